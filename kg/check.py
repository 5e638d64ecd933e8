"""Check a whole corpus at once: every id declared once, every id used declared, every key known.

Errors stop the build; warnings (unused declarations, uncited references) are reported and the
build goes on. Each message names the file and line of the fault, the value, and what to do.
"""

from __future__ import annotations

from collections.abc import Iterable

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
            out.append(Problem(item.path, item.line, f"{kind} id '{item.id}' is declared twice{scope}",
                               f"the first is at {first.path}:{first.line}; rename or remove one"))
        else:
            seen[item.id] = item
    return seen


def _closest(value: str, known: Iterable[str]) -> str:
    import difflib

    close = difflib.get_close_matches(value, sorted(known), n=3, cutoff=0.8)
    return f"did you mean {', '.join(repr(c) for c in close)}?" if close else ""


def _unknown(path: str, use: Use, kind: str, owner: str, known: Iterable[str], where: str) -> Problem:
    hint = _closest(use.value, known)
    todo = f"declare it under {where} or fix the id"
    return Problem(path, use.line, f"unknown {kind} '{use.value}' in {owner}", f"{hint} {todo}".strip())


def check_corpus(corpus: Corpus, complete: bool = True) -> list[Problem]:
    """Every cross-reference problem of a read corpus (errors and warnings), in file order.

    With ``complete=False`` (an annotation file could not be read at all), what that file may
    have declared is unknown: uses of corpus-wide factors and actions, matches to other studies
    and unused declarations are not judged, so one broken file gives one error, not a cascade.

    >>> check_corpus(Corpus())
    []
    """
    out: list[Problem] = []
    refs = corpus.references
    used_factors: set[str] = set()
    used_actions: set[str] = set()
    cited_keys: set[str] = set()

    studies: dict[str, Annotation] = {}
    for ann in corpus.annotations:
        key = ann.study.value
        if not key:
            continue
        if key in studies:
            first = studies[key]
            out.append(Problem(ann.path, ann.study.line, f"study '{key}' is annotated in two files",
                               f"the other is {first.path}; keep one annotation file per study"))
            continue
        studies[key] = ann
        cited_keys.add(key)
        if key not in refs:
            out.append(Problem(ann.path, ann.study.line, f"study '{key}' is not a key in the BibTeX",
                               f"{_closest(key, refs)} add its entry to references/*.bib or fix the key".strip()))

    themes_of = {key: {t.id: t for t in ann.themes if t.id} for key, ann in studies.items()}

    for key, ann in studies.items():
        scope = f" in study '{key}'"
        participants = _first_and_dupes(ann.participants, "participant", scope, out)
        themes = _first_and_dupes(ann.themes, "theme", scope, out)
        _first_and_dupes(ann.quotes, "quote", scope, out)
        _first_and_dupes(ann.citations, "citation", scope, out)
        used_participants: set[str] = set()
        used_themes: set[str] = set()

        for theme in ann.themes:
            owner = f"theme '{theme.id}'"
            if "/" in theme.id:
                out.append(Problem(ann.path, theme.line, f"theme id '{theme.id}' holds '/'",
                                   "'matches: [STUDY/THEME]' splits at the last '/': use '-' instead"))
            if theme.broader:
                if theme.broader.value not in themes:
                    out.append(_unknown(ann.path, theme.broader, "broader theme", owner, themes, "themes:"))
                used_themes.add(theme.broader.value)
            for match in theme.matches:
                other_study, sep, other_theme = match.value.rpartition("/")
                if not sep or not other_study or not other_theme:
                    out.append(Problem(ann.path, match.line, f"match '{match.value}' of {owner} is not STUDY/THEME",
                                       "write the BibTeX key of the other study, '/', and its theme id"))
                elif other_study not in studies and complete:
                    out.append(Problem(ann.path, match.line, f"match '{match.value}' of {owner} names study "
                                       f"'{other_study}', which no annotation file annotates",
                                       f"{_closest(other_study, studies)} use the 'study:' key of another "
                                       "file in quotes/".strip()))
                elif other_study in studies and other_theme not in themes_of[other_study]:
                    out.append(Problem(ann.path, match.line, f"match '{match.value}' of {owner}: study "
                                       f"'{other_study}' has no theme '{other_theme}'",
                                       f"{_closest(other_theme, themes_of[other_study])} use a theme id "
                                       f"declared in {studies[other_study].path}".strip()))
        out.extend(_broader_cycles(ann))

        for quote in ann.quotes:
            owner = f"quote '{quote.id}'"
            if quote.speaker:
                used_participants.add(quote.speaker.value)
                speaker = participants.get(quote.speaker.value)
                if speaker is None:
                    out.append(_unknown(ann.path, quote.speaker, "speaker", owner, participants, "participants:"))
                elif quote.role and quote.role != speaker.role:
                    out.append(Problem(ann.path, quote.line, f"{owner} says role '{quote.role}' but its speaker "
                                       f"'{speaker.id}' is a {speaker.role}",
                                       "drop 'role:' (the speaker's role is used) or fix it"))
            elif not quote.role:
                out.append(Problem(ann.path, quote.line, f"{owner} has neither 'speaker' nor 'role'",
                                   "name the participant with 'speaker: ID', or give 'role: user|professional' "
                                   "for an unidentified speaker"))
            for use in quote.themes:
                used_themes.add(use.value)
                if use.value not in themes:
                    out.append(_unknown(ann.path, use, "theme", owner, themes, "themes:"))
            for use in quote.actions:
                used_actions.add(use.value)
                if use.value not in corpus.actions and complete:
                    out.append(_unknown(ann.path, use, "action", owner, corpus.actions, "actions: (in any file)"))
            for use in quote.factors:
                used_factors.add(use.value)
                if use.value not in corpus.factors and complete:
                    out.append(_unknown(ann.path, use, "factor", owner, corpus.factors, "factors: (in any file)"))

        for citation in ann.citations:
            owner = f"citation '{citation.id}'"
            for use in citation.cites:
                cited_keys.add(use.value)
                if use.value not in refs:
                    out.append(Problem(ann.path, use.line, f"unknown citation key '{use.value}' in {owner}",
                                       f"{_closest(use.value, refs)} add the entry to references/*.bib or fix "
                                       "the key".strip()))
            for use in citation.themes:
                used_themes.add(use.value)
                if use.value not in themes:
                    out.append(_unknown(ann.path, use, "theme", owner, themes, "themes:"))

        # A theme matched from another study counts as used.
        for other in studies.values():
            for theme in other.themes:
                for match in theme.matches:
                    study_key, _, theme_id = match.value.rpartition("/")
                    if study_key == key:
                        used_themes.add(theme_id)
        for pid, participant in participants.items():
            if pid not in used_participants:
                out.append(warning(ann.path, participant.line, f"participant '{pid}' speaks no quote",
                                   "remove it, or give it a quote"))
        for tid, theme in themes.items():
            if tid not in used_themes:
                out.append(warning(ann.path, theme.line, f"theme '{tid}' is used by no quote or citation",
                                   "remove it, or code a quote or citation with it"))

    for action in corpus.actions.values():
        for use in action.supports:
            used_factors.add(use.value)
            if use.value not in corpus.factors and complete:
                out.append(_unknown(action.path, use, "factor", f"action '{action.id}'", corpus.factors,
                                    "factors: (in any file)"))
    for fid, factor in sorted(corpus.factors.items()):
        if fid not in used_factors:
            out.append(warning(factor.path, factor.line, f"factor '{fid}' is used by no quote or action",
                               "remove it, or use it"))
    for aid, action in sorted(corpus.actions.items()):
        if aid not in used_actions:
            out.append(warning(action.path, action.line, f"action '{aid}' is described by no quote",
                               "remove it, or code a quote with it"))

    # A crossref parent of a cited entry is in use too.
    parents = {refs[k].fields.get("crossref", "") for k in cited_keys if k in refs}
    for key, ref in sorted(refs.items()):
        if key not in cited_keys and key not in parents:
            out.append(warning(ref.path, ref.line, f"BibTeX entry '{key}' is cited by no citation and "
                               "annotated by no file", "cite it in a citation, or remove it"))
    return out if complete else [p for p in out if p.is_error]


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
            cycle = chain[chain.index(node):]
            reported |= set(cycle)
            out.append(Problem(ann.path, line[cycle[0]], f"themes {' -> '.join(cycle + [node])} are broader "
                               "than each other in a circle", "remove one 'broader:' to break the circle"))
    return out
