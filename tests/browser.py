"""Headless Debian Chromium for the map tests and the benchmark, driven by Python playwright.

No browser is downloaded: playwright launches the system's /usr/bin/chromium. Pages open with
the network cut: every request that is not the file:// page itself is aborted and recorded.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
VIEWPORT = {"width": 1280, "height": 800}


def browser_missing_reason() -> str | None:
    """Why the browser tests cannot run here, or None when they can."""
    try:
        import playwright.sync_api  # noqa: F401  (only asked whether it imports)
    except ImportError:
        return "Python playwright is not installed (pip install -e '.[test]')"
    if not CHROMIUM.exists():
        return f"{CHROMIUM} is missing (make browser, or apt-get install chromium)"
    return None


def running_in_ci() -> bool:
    return bool(os.environ.get("CI"))


@dataclass
class OpenedPage:
    """A page and what it tried: requests to anywhere but the page itself, console errors."""

    page: object
    blocked_requests: list[str] = field(default_factory=list)
    console_errors: list[str] = field(default_factory=list)
    console_logs: list[str] = field(default_factory=list)


def record_console(opened: OpenedPage, message) -> None:
    (opened.console_errors if message.type == "error" else opened.console_logs).append(message.text)


@contextmanager
def chromium() -> Iterator[object]:
    """A launched headless Chromium (a playwright Browser), closed on exit."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True)
        try:
            yield browser
        finally:
            browser.close()


@contextmanager
def offline_page(browser, path: Path, init_script: str | None = None, wait_until: str = "load") -> Iterator[OpenedPage]:
    """Open ``path`` in a fresh context where only that file may load; yield an OpenedPage."""
    context = browser.new_context(viewport=VIEWPORT)
    page = context.new_page()
    opened = OpenedPage(page)
    page_url = path.resolve().as_uri()

    def only_the_page(route):
        if route.request.url == page_url:
            route.continue_()
        else:
            opened.blocked_requests.append(route.request.url)
            route.abort()

    page.route("**/*", only_the_page)
    page.on("console", lambda message: record_console(opened, message))
    page.on("pageerror", lambda error: opened.console_errors.append(str(error)))
    if init_script:
        page.add_init_script(init_script)
    try:
        page.goto(page_url, wait_until=wait_until)
        yield opened
    finally:
        context.close()
