"""The review outline written out: Markdown (plain or Pandoc ``[@key]`` citations) or HTML.

The outline (:mod:`kg.views.review`) says what to write; this module says how. Citations and
the bibliography come from citeproc-py with a CSL style (:class:`kg.render.citing.Citer`), or,
in Pandoc mode, are left to ``pandoc --citeproc`` with the CSL-JSON of the cited works beside.
Text from the inputs is escaped once, for the output's format.
"""

from __future__ import annotations

import html
import json
import re
from dataclasses import dataclass

from kg.render.citing import Citer, escape_markdown
from kg.render.entries import ReferenceEntries
from kg.render.formatted import NO_CACHE, FormattingCache
from kg.render.references import csl_items, load_style
from kg.store import Store
from kg.views.review import ReviewOutline, ThemeSection, cited_studies, review_outline

FORMATS = ("md", "html")
_PLACEHOLDER = re.compile("\x00(\\d+)\x00")
_PLAIN_KEY = re.compile(r"[A-Za-z0-9_](?:[\w:.#$%&\-+?<>~/]*\w)?")


@dataclass
class ReviewDocument:
    text: str
    references: list[dict]  # CSL-JSON of every cited work, by id

    def references_json(self) -> bytes:
        return (json.dumps(self.references, ensure_ascii=False, indent=2, sort_keys=True) + "\n").encode("utf-8")


def pandoc_key(key: str) -> str:
    """A cite key as Pandoc reads it: bare when it can be, else in braces.

    >>> pandoc_key("borg2004"), pandoc_key("DBLP:journals/cacm/Knuth74"), pandoc_key("a b")
    ('@borg2004', '@DBLP:journals/cacm/Knuth74', '@{a b}')
    """
    return f"@{key}" if _PLAIN_KEY.fullmatch(key) else "@{" + key + "}"


class _Writer:
    """Blocks of one format; citations either Pandoc's or placeholders that citeproc fills in."""

    def __init__(self, fmt: str, citer: Citer | None):
        self.fmt, self.citer, self.blocks = fmt, citer, []

    def esc(self, text: str) -> str:
        return html.escape(text, quote=True) if self.fmt == "html" else escape_markdown(text)

    def cite(self, cited: list[tuple[str, str]]) -> str:
        if self.citer is None:
            return "[" + "; ".join(pandoc_key(key) + (f", p. {page}" if page else "") for key, page in cited) + "]"
        return f"\x00{self.citer.register(cited)}\x00"

    def heading(self, level: int, text: str) -> None:
        self.blocks.append(f"<h{level}>{text}</h{level}>" if self.fmt == "html" else f"{'#' * level} {text}")

    def para(self, text: str) -> None:
        self.blocks.append(f"<p>{text}</p>" if self.fmt == "html" else text)

    def quote(self, text: str, attribution: str) -> None:
        if self.fmt == "html":
            self.blocks.append(f"<blockquote><p>“{text}”</p><footer>— {attribution}</footer></blockquote>")
        else:
            self.blocks.append(f"> “{text}”\n> — {attribution}")

    def items(self, entries: list[str]) -> None:
        if self.fmt == "html":
            self.blocks.append("<ul>\n" + "\n".join(f"<li>{e}</li>" for e in entries) + "\n</ul>")
        else:
            self.blocks.append("\n".join(f"- {e}" for e in entries))

    def strong(self, text: str) -> str:
        return f"<strong>{text}</strong>" if self.fmt == "html" else f"**{text}**"

    def emphasis(self, text: str) -> str:
        return f"<em>{text}</em>" if self.fmt == "html" else f"*{text}*"

    def finish(self, title: str) -> str:
        body = "\n\n".join(self.blocks)
        if self.citer is not None:
            body = _PLACEHOLDER.sub(lambda m: self.citer.text(int(m.group(1))), body)
        if self.fmt == "md":
            return body + "\n"
        return (
            '<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n'
            f"<title>{html.escape(title)}</title>\n"
            "<style>body{font-family:serif;max-width:46em;margin:2em auto;line-height:1.5;padding:0 1em}"
            "blockquote{border-left:3px solid #999;margin-left:0;padding-left:1em}"
            "footer{font-size:.9em;color:#444}</style>\n</head>\n<body>\n" + body + "\n</body>\n</html>\n"
        )


def render_review(
    store: Store,
    themes: list[str] | None = None,
    title: str = "",
    style: str = "apa",
    fmt: str = "md",
    pandoc: bool = False,
    cache: FormattingCache = NO_CACHE,
    outline: ReviewOutline | None = None,
    entries: ReferenceEntries | None = None,
) -> ReviewDocument:
    """The review outline of the store's themes (or of ``themes``, IRIs) as Markdown or HTML.

    Example::

        doc = render_review(open_store(project="."), title="Small things in recovery", pandoc=True)
        Path("review.md").write_text(doc.text); Path("references.json").write_bytes(doc.references_json())
    """
    outline = outline or review_outline(store, themes)
    items = entries.by_iri if entries is not None and entries.by_iri is not None else csl_items(store)
    cited = [items[iri] for iri in cited_studies(outline) if iri in items]
    load_style(style)  # a bad style is an error even when Pandoc will format the references
    writer = _Writer(fmt, None if pandoc else Citer(cited, style, fmt, cache, entries))
    title = title or "Literature review"
    writer.heading(1, writer.esc(title))
    writer.para(writer.emphasis("A review outline, written from the knowledge graph by recovery-kg."))
    _introduction(writer, outline)
    for number, section in enumerate(outline.sections, start=1):
        _write_section(writer, outline, section, str(number), 2)
    _bibliography(writer, pandoc)
    return ReviewDocument(writer.finish(title), sorted(cited, key=lambda item: item["id"]))


def _key(outline: ReviewOutline, iri: str) -> str:
    return outline.records.key_of(iri)


def _introduction(writer: _Writer, outline: ReviewOutline) -> None:
    records = outline.records
    quotes = [q for s in outline.walk() for t in s.themes for q in records.quotes_coding(t.iri)]
    quotes = list({q.iri: q for q in quotes}.values())
    speakers = {role: len({q.speaker_iri for q in quotes if q.role == role}) for role in ("user", "professional")}
    studies = sorted({q.study for q in quotes}, key=records.key_of)
    passages = {p.iri for s in outline.walk() for g in s.literature for p in g.passages}
    works = {iri for s in outline.walk() for g in s.literature for iri in g.studies}
    if not outline.sections:
        writer.para("The graph holds no themes yet: annotate quotes and citing passages, then build it again.")
        return
    sources = writer.cite([(_key(outline, s), "") for s in studies]) if studies else ""
    writer.para(
        f"This outline follows {len(outline.walk())} themes through {len(quotes)} interview quotes, from "
        f"{speakers['user']} service users and {speakers['professional']} professionals"
        + (f" {sources}" if sources else "")
        + f", and through {len(passages)} passages that cite {len(works)} works of the literature. "
        "Themes keep the order of their codebooks, sub-themes are nested under their theme, and a theme "
        "that another paper's codebook also names is told together with it. For each theme: what it is, "
        "how users and professionals voice it, the literature cited with it (works cited together "
        "in one passage are grouped; where the passages say how they use a work, it is listed again "
        "as supporting, disputing, or giving a method ...), and where voices and literature part."
    )


def _write_section(writer: _Writer, outline: ReviewOutline, section: ThemeSection, number: str, level: int) -> None:
    theme = section.theme
    writer.heading(level, f"{number} {writer.esc(theme.label)}")
    source = f"A theme in the codebook of the study {writer.cite([(_key(outline, theme.study), '')])}"
    for other in section.matched:
        source += f"; also named “{writer.esc(other.label)}” in {writer.cite([(_key(outline, other.study), '')])}"
    writer.para(writer.emphasis(source + "."))
    for entity in section.themes:
        if entity.definition:
            writer.para(writer.esc(entity.definition) + " " + writer.cite([(_key(outline, entity.study), "")]))
    _write_voices(writer, outline, section)
    _write_literature(writer, outline, section)
    if section.gaps:
        writer.para(
            writer.strong("Gaps.") + " " + " ".join(writer.esc(g[0].upper() + g[1:] + ".") for g in section.gaps)
        )
    for index, sub in enumerate(section.subsections, start=1):
        _write_section(writer, outline, sub, f"{number}.{index}", min(level + 1, 6))


def _plural(count: int, word: str) -> str:
    return f"{count or 'no'} {word}{'' if count == 1 else 's'}"


def _write_voices(writer: _Writer, outline: ReviewOutline, section: ThemeSection) -> None:
    users, professionals = section.counts["user"], section.counts["professional"]
    if not users and not professionals:
        writer.para(writer.strong("Voices.") + " No interview quote illustrates this theme.")
        return
    below = " (sub-themes included)" if section.subsections else ""
    sentence = (
        f"{_plural(users, 'quote')} of service users and {_plural(professionals, 'quote')} of "
        f"professionals illustrate this theme{below}" + ("; for example:" if section.quotes else ".")
    )
    writer.para(writer.strong("Voices.") + " " + sentence[0].upper() + sentence[1:])
    for quote in section.quotes:
        who = f"{quote.role} {quote.speaker}" if quote.speaker else f"an unidentified {quote.role}"
        where = writer.cite([(_key(outline, quote.study), quote.page)])
        writer.quote(writer.esc(quote.text), f"{writer.esc(who)} {where}")


def _write_literature(writer: _Writer, outline: ReviewOutline, section: ThemeSection) -> None:
    if not section.literature:
        writer.para(writer.strong("Literature.") + " No citing passage is about this theme.")
        return
    works = sum(len(group.studies) for group in section.literature)
    writer.para(
        writer.strong("Literature.")
        + f" {_plural(works, 'work')} {'is' if works == 1 else 'are'} cited with this theme"
        + ("; works cited in the same passages are listed together:" if works > 1 else ":")
    )
    entries = []
    for group in section.literature:
        works_cited = writer.cite([(_key(outline, iri), "") for iri in group.studies])
        passages = [f"“{writer.esc(p.text)}” {writer.cite([(_key(outline, p.study), p.page)])}" for p in group.passages]
        if len(passages) == 1:
            entries.append(f"{works_cited}: {passages[0]}")
        else:
            joined = "".join(("\n    - " if writer.fmt == "md" else "<br>• ") + p for p in passages)
            entries.append(f"{works_cited}, in {len(passages)} passages:{joined}")
    writer.items(entries)
    _write_intents(writer, outline, section)


def intent_words(term: str) -> str:
    """A CiTO term as a writer reads it.

    >>> intent_words("citesAsEvidence"), intent_words("agreesWith")
    ('cites as evidence', 'agrees with')
    """
    return re.sub(r"(?<=[a-z])(?=[A-Z])", " ", term).lower()


def _write_intents(writer: _Writer, outline: ReviewOutline, section: ThemeSection) -> None:
    """The literature by how the passages use it: "Supported by" ..., each work with its intent
    and the passage (by id) that says so."""
    for group in section.intents:
        uses = [
            f"{writer.cite([(_key(outline, use.study), '')])} ({intent_words(use.term)}, {writer.esc(use.passage.id)})"
            for use in group.uses
        ]
        writer.para(writer.strong(f"{group.heading}.") + " " + "; ".join(uses) + ".")


def _bibliography(writer: _Writer, pandoc: bool) -> None:
    writer.heading(2, "References")
    if pandoc:
        writer.blocks.append("::: {#refs}\n:::")
        return
    for _, entry in writer.citer.bibliography():
        writer.para(entry)
