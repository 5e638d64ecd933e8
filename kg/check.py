"""Check a whole corpus at once: every id declared once, every id used declared, every key known.

Errors stop the build; warnings (unused declarations, uncited references) are reported and the
build goes on. Each message names the file and line of the fault, the value, and what to do.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable
from dataclasses import dataclass, field

from kg.errors import Problem, warning
from kg.model import Annotation, Corpus, Use


def _first_and_dupes(items: Iterable, kind: str, scope: str, out: list[Problem]) -> dict:
    """Index items by id; report each later duplicate against the first declaration."""
    seen: dict = {}
    for item in items:
        if not item.id:
            continue  # an empty id was already reported by the reader
        if item.id in seen:
            first = seen[item.id]
            out.append(
                Problem(
                    item.path,
                    item.line,
                    f"{kind} id '{item.id}' is declared twice{scope}",
                    f"the first is at {first.path}:{first.line}; rename or remove one",
                )
            )
        else:
            seen[item.id] = item
    return seen


def _closest(value: str, known: Iterable[str]) -> str:
    close = difflib.get_close_matches(value, sorted(known), n=3, cutoff=0.8)
    return f"did you mean {', '.join(repr(c) for c in close)}?" if close else ""


def _unknown(path: str, use: Use, kind: str, owner: str, known: Iterable[str], where: str) -> Problem:
    # An id that is itself in error (a theme id holding '/') is no suggestion.
    hint = _closest(use.value, [k for k in known if "/" not in k] if "theme" in kind else known)
    todo = f"declare it under {where} or fix the id"
    return Problem(path, use.line, f"unknown {kind} '{use.value}' in {owner}", f"{hint} {todo}".strip())


@dataclass
class _Context:
    """One check of a corpus: what is known, what was used so far, and the problems found."""

    corpus: Corpus
    complete: bool
    studies: dict[str, Annotation] = field(default_factory=dict)
    themes_of: dict[str, dict] = field(default_factory=dict)  # study key -> theme id -> Theme
    used_factors: set[str] = field(default_factory=set)
    used_actions: set[str] = field(default_factory=set)
    cited_keys: set[str] = field(default_factory=set)
    out: list[Problem] = field(default_factory=list)


def check_corpus(corpus: Corpus, complete: bool = True) -> list[Problem]:
    """Every cross-reference problem of a read corpus (errors and warnings), in file order.

    With ``complete=False`` (an annotation file could not be read at all), what that file may
    have declared is unknown: uses of corpus-wide factors and actions, matches to other studies
    and unused declarations are not judged, so one broken file gives one error, not a cascade.

    >>> check_corpus(Corpus())
    []
    """
    ctx = _Context(corpus, complete)
    _index_studies(ctx)
    ctx.themes_of = {key: {t.id: t for t in ann.themes if t.id} for key, ann in ctx.studies.items()}
    for ann in ctx.studies.values():
        _check_study(ctx, ann)
    _check_actions(ctx)
    _unused_shared(ctx)
    _uncited_references(ctx)
    return ctx.out if complete else [p for p in ctx.out if p.is_error]


def _index_studies(ctx: _Context) -> None:
    """One annotation file per study, each study a BibTeX key."""
    refs = ctx.corpus.references
    for ann in ctx.corpus.annotations:
        key = ann.study.value
        if not key:
            continue
        if key in ctx.studies:
            first = ctx.studies[key]
            ctx.out.append(
                Problem(
                    ann.path,
                    ann.study.line,
                    f"study '{key}' is annotated in two files",
                    f"the other is {first.path}; keep one annotation file per study",
                )
            )
            continue
        ctx.studies[key] = ann
        ctx.cited_keys.add(key)
        if not ctx.corpus.knows_key(key):
            ctx.out.append(
                Problem(
                    ann.path,
                    ann.study.line,
                    f"study '{key}' is not a key in the BibTeX",
                    f"{_closest(key, refs)} add its entry to references/*.bib or fix the key".strip(),
                )
            )


def _check_study(ctx: _Context, ann: Annotation) -> None:
    """Everything local to one study: ids declared once, every id used declared, nothing unused."""
    scope = f" in study '{ann.study.value}'"
    participants = _first_and_dupes(ann.participants, "participant", scope, ctx.out)
    themes = _first_and_dupes(ann.themes, "theme", scope, ctx.out)
    _first_and_dupes(ann.quotes, "quote", scope, ctx.out)
    _first_and_dupes(ann.citations, "citation", scope, ctx.out)
    used_themes = _check_codebook(ctx, ann, themes)
    _check_quotes(ctx, ann, participants, themes, used_themes)
    _check_citations(ctx, ann, themes, used_themes)
    used_themes |= _matched_from_elsewhere(ctx, ann.study.value)
    for tid, theme in themes.items():
        if tid not in used_themes:
            ctx.out.append(
                warning(
                    ann.path,
                    theme.line,
                    f"theme '{tid}' is used by no quote or citation",
                    "remove it, or code a quote or citation with it",
                )
            )


def _check_codebook(ctx: _Context, ann: Annotation, themes: dict) -> set[str]:
    """Theme ids, broader themes, matches to other studies' themes, circles; the themes used."""
    used: set[str] = set()
    for theme in ann.themes:
        owner = f"theme '{theme.id}'"
        if "/" in theme.id:
            ctx.out.append(
                Problem(
                    ann.path,
                    theme.line,
                    f"theme id '{theme.id}' holds '/'",
                    "'matches: [STUDY/THEME]' splits at the last '/': use '-' instead",
                )
            )
        if theme.broader:
            if theme.broader.value not in themes:
                ctx.out.append(_unknown(ann.path, theme.broader, "broader theme", owner, themes, "themes:"))
            used.add(theme.broader.value)
        for match in theme.matches:
            _check_match(ctx, ann, owner, match)
    ctx.out.extend(_broader_cycles(ann))
    return used


def _check_match(ctx: _Context, ann: Annotation, owner: str, match: Use) -> None:
    other_study, sep, other_theme = match.value.rpartition("/")
    if not sep or not other_study or not other_theme:
        ctx.out.append(
            Problem(
                ann.path,
                match.line,
                f"match '{match.value}' of {owner} is not STUDY/THEME",
                "write the BibTeX key of the other study, '/', and its theme id",
            )
        )
    elif other_study not in ctx.studies and ctx.complete:
        ctx.out.append(
            Problem(
                ann.path,
                match.line,
                f"match '{match.value}' of {owner} names study '{other_study}', which no annotation file annotates",
                f"{_closest(other_study, ctx.studies)} use the 'study:' key of another file in quotes/".strip(),
            )
        )
    elif other_study in ctx.studies and other_theme not in ctx.themes_of[other_study]:
        ctx.out.append(
            Problem(
                ann.path,
                match.line,
                f"match '{match.value}' of {owner}: study '{other_study}' has no theme '{other_theme}'",
                f"{_closest(other_theme, ctx.themes_of[other_study])} use a theme id "
                f"declared in {ctx.studies[other_study].path}".strip(),
            )
        )


def _check_quotes(ctx: _Context, ann: Annotation, participants: dict, themes: dict, used_themes: set[str]) -> set[str]:
    """Each quote's speaker (or role) and codes; returns the participants who speak."""
    corpus, used_participants = ctx.corpus, set()
    for quote in ann.quotes:
        owner = f"quote '{quote.id}'"
        if quote.speaker:
            used_participants.add(quote.speaker.value)
            speaker = participants.get(quote.speaker.value)
            if speaker is None:
                ctx.out.append(_unknown(ann.path, quote.speaker, "speaker", owner, participants, "participants:"))
            elif quote.role and quote.role != speaker.role:
                ctx.out.append(
                    Problem(
                        ann.path,
                        quote.line,
                        f"{owner} says role '{quote.role}' but its speaker '{speaker.id}' is a {speaker.role}",
                        "drop 'role:' (the speaker's role is used) or fix it",
                    )
                )
        elif not quote.role:
            ctx.out.append(
                Problem(
                    ann.path,
                    quote.line,
                    f"{owner} has neither 'speaker' nor 'role'",
                    "name the participant with 'speaker: ID', or give 'role: user|professional' "
                    "for an unidentified speaker",
                )
            )
        used_themes.update(_check_uses(ann.path, quote.themes, "theme", owner, themes, "themes:", ctx.out))
        ctx.used_actions.update(
            _check_uses(
                ann.path,
                quote.actions,
                "action",
                owner,
                corpus.actions,
                "actions: (in any file)",
                ctx.out,
                ctx.complete,
            )
        )
        ctx.used_factors.update(
            _check_uses(
                ann.path,
                quote.factors,
                "factor",
                owner,
                corpus.factors,
                "factors: (in any file)",
                ctx.out,
                ctx.complete,
            )
        )
    return used_participants


def _check_citations(ctx: _Context, ann: Annotation, themes: dict, used_themes: set[str]) -> None:
    """Each citing passage's keys (in the BibTeX) and themes (in the study's codebook)."""
    refs = ctx.corpus.references
    for citation in ann.citations:
        owner = f"citation '{citation.id}'"
        for use in citation.cites:
            ctx.cited_keys.add(use.value)
            if not ctx.corpus.knows_key(use.value):
                ctx.out.append(
                    Problem(
                        ann.path,
                        use.line,
                        f"unknown citation key '{use.value}' in {owner}",
                        f"{_closest(use.value, refs)} add the entry to references/*.bib or fix the key".strip(),
                    )
                )
        used_themes.update(_check_uses(ann.path, citation.themes, "theme", owner, themes, "themes:", ctx.out))


def _check_uses(
    path: str, uses: list[Use], kind: str, owner: str, known, where: str, out: list[Problem], judge: bool = True
) -> set[str]:
    """Report each use of an undeclared id (when ``judge``); return the ids used."""
    for use in uses:
        if judge and use.value not in known:
            out.append(_unknown(path, use, kind, owner, known, where))
    return {use.value for use in uses}


def _matched_from_elsewhere(ctx: _Context, key: str) -> set[str]:
    """The themes of study ``key`` that another study's ``matches:`` names: they count as used."""
    matched = set()
    for other in ctx.studies.values():
        for theme in other.themes:
            for match in theme.matches:
                study_key, _, theme_id = match.value.rpartition("/")
                if study_key == key:
                    matched.add(theme_id)
    return matched


def _check_actions(ctx: _Context) -> None:
    corpus = ctx.corpus
    for action in corpus.actions.values():
        ctx.used_factors.update(
            _check_uses(
                action.path,
                action.supports,
                "factor",
                f"action '{action.id}'",
                corpus.factors,
                "factors: (in any file)",
                ctx.out,
                ctx.complete,
            )
        )


def _unused_shared(ctx: _Context) -> None:
    """Warnings for corpus-wide factors and actions that nothing uses."""
    for fid, factor in sorted(ctx.corpus.factors.items()):
        if fid not in ctx.used_factors:
            ctx.out.append(
                warning(
                    factor.path, factor.line, f"factor '{fid}' is used by no quote or action", "remove it, or use it"
                )
            )
    for aid, action in sorted(ctx.corpus.actions.items()):
        if aid not in ctx.used_actions:
            ctx.out.append(
                warning(
                    action.path,
                    action.line,
                    f"action '{aid}' is described by no quote",
                    "remove it, or code a quote with it",
                )
            )


def _uncited_references(ctx: _Context) -> None:
    """Entries that nothing cites or annotates: normal in a whole library, so one kind of warning."""
    used = used_references(ctx.corpus)
    for key, ref in sorted(ctx.corpus.references.items()):
        if key not in used:
            ctx.out.append(
                warning(
                    ref.path,
                    ref.line,
                    f"BibTeX entry '{key}' is cited by no citation and annotated by no file",
                    "it is left out of the graph; cite it, or build with --all-references to keep it",
                    kind="uncited-reference",
                )
            )


def used_references(corpus: Corpus) -> set[str]:
    """The keys of the works the graph is about: annotated, cited, or the crossref parent of one."""
    keys = {ann.study.value for ann in corpus.annotations}
    keys |= {use.value for ann in corpus.annotations for c in ann.citations for use in c.cites}
    refs = corpus.references
    keys |= {refs[k].fields.get("crossref", "") for k in keys if k in refs} - {""}
    return keys


def check_declarations(corpus_factors: list, corpus_actions: list) -> tuple[dict, dict, list[Problem]]:
    """Index the corpus-wide factors and actions, reporting any declared twice (in any files)."""
    out: list[Problem] = []
    factors = _first_and_dupes(corpus_factors, "factor", " in the corpus", out)
    actions = _first_and_dupes(corpus_actions, "action", " in the corpus", out)
    return factors, actions, out


def _broader_cycles(ann: Annotation) -> list[Problem]:
    parent = {t.id: t.broader.value for t in ann.themes if t.broader}
    line = {t.id: t.line for t in ann.themes}
    out, reported = [], set()
    for start in sorted(parent):
        chain, node = [start], parent[start]
        while node in parent and node not in chain:
            chain.append(node)
            node = parent[node]
        if node in chain and not reported & set(chain):
            cycle = chain[chain.index(node) :]
            reported |= set(cycle)
            out.append(
                Problem(
                    ann.path,
                    line[cycle[0]],
                    f"themes {' -> '.join(cycle + [node])} are broader than each other in a circle",
                    "remove one 'broader:' to break the circle",
                )
            )
    return out
