"""Make the README's pictures of the bundled corpus' maps: headless Chromium, network cut.

Run from the repository root after `make demo` (it writes out/map.html):

    .venv/bin/python docs/screenshot.py

The literature map as it first draws (docs/map-literature.png), and with a study's evidence
panel open (docs/map-panel.png).
"""

from __future__ import annotations

import sys
from pathlib import Path

from playwright.sync_api import sync_playwright

ROOT = Path(__file__).resolve().parent.parent
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--no-first-run"]


def main() -> int:
    page_path = ROOT / "out" / "map.html"
    if not page_path.is_file():
        print("out/map.html is missing: run `make demo` first", file=sys.stderr)
        return 2
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path="/usr/bin/chromium", args=ARGS)
        page = browser.new_page(viewport={"width": 1400, "height": 900})
        page.route("**/*", lambda route: route.continue_() if route.request.url.startswith("file:") else route.abort())
        page.goto(page_path.as_uri())
        page.wait_for_function("window.network !== undefined && window.kgMap !== undefined")
        page.wait_for_timeout(800)
        page.screenshot(path=str(ROOT / "docs" / "map-literature.png"))
        study = "https://w3id.org/recovery-kg/id/study/borg2004"
        page.evaluate("id => window.kgMap.show(id)", study)
        page.wait_for_timeout(500)
        page.screenshot(path=str(ROOT / "docs" / "map-panel.png"))
        browser.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
