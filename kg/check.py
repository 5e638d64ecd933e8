"""Check a whole corpus at once: every id declared once, every id used declared, every key known.

Errors stop the build; warnings (unused declarations, uncited references) are reported and the
build goes on. Each message names the file and line of the fault, the value, and what to do.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable
from dataclasses import dataclass, field

from kg.errors import Problem, warning
from kg.model import Annotation, Citation, Corpus, Quote, Use
from kg.vocab import CITO_INTENTS


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


def _unknown(
    path: str, use: Use, kind: str, owner: str, known: Iterable[str], where: str, other: tuple[str, Iterable[str]] = ()
) -> Problem:
    """An id used but not declared; ``other`` (kind, ids) names the list it may belong to instead."""
    if other and use.value in other[1]:
        # A theme listed under concepts: (or the reverse) is the likeliest slip of all.
        todo = f"'{use.value}' is a {other[0]} of this study: list it under {other[0]}s:, not {kind}s:"
        return Problem(path, use.line, f"unknown {kind} '{use.value}' in {owner}", todo)
    # An id that is itself in error (a theme id holding '/') is no suggestion.
    hint = _closest(use.value, [k for k in known if "/" not in k] if kind in ("theme", "concept") else known)
    todo = f"declare it under {where} or fix the id"
    return Problem(path, use.line, f"unknown {kind} '{use.value}' in {owner}", f"{hint} {todo}".strip())


@dataclass
class _Context:
    """One check of a corpus: what is known, what was used so far, and the problems found."""

    corpus: Corpus
    complete: bool
    studies: dict[str, Annotation] = field(default_factory=dict)
    codes_of: dict[str, dict] = field(default_factory=dict)  # study key -> theme or concept id -> its kind
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
    ctx.codes_of = {key: ann.code_kinds() for key, ann in ctx.studies.items()}
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


@dataclass
class _Codes:
    """A study's declared themes and concepts (id -> object), and the ids used so far."""

    themes: dict
    concepts: dict
    used: set[str] = field(default_factory=set)


def _check_study(ctx: _Context, ann: Annotation) -> None:
    """Everything local to one study: ids declared once, every id used declared, nothing unused."""
    scope = f" in study '{ann.study.value}'"
    participants = _first_and_dupes(ann.participants, "participant", scope, ctx.out)
    codes = _Codes(
        _first_and_dupes(ann.themes, "theme", scope, ctx.out), _first_and_dupes(ann.concepts, "concept", scope, ctx.out)
    )
    _first_and_dupes(ann.quotes, "quote", scope, ctx.out)
    _first_and_dupes(ann.citations, "citation", scope, ctx.out)
    _check_codebook(ctx, ann, codes)
    _check_quotes(ctx, ann, participants, codes)
    _check_citations(ctx, ann, codes)
    codes.used |= _matched_from_elsewhere(ctx, ann.study.value)
    for kind, declared in (("theme", codes.themes), ("concept", codes.concepts)):
        for code_id, code in declared.items():
            if code_id not in codes.used:
                ctx.out.append(
                    warning(
                        ann.path,
                        code.line,
                        f"{kind} '{code_id}' is used by no quote or citation",
                        f"remove it, or list it in the '{kind}s:' of a quote or citation",
                        kind="unused-code",  # a QDA codebook may hold hundreds: summarised
                    )
                )


def _check_codebook(ctx: _Context, ann: Annotation, codes: _Codes) -> None:
    """Theme and concept ids, broader themes, matches to other studies, circles; notes the themes
    that a sub-theme makes used."""
    for code in [*ann.themes, *ann.concepts]:
        kind = "theme" if code in ann.themes else "concept"
        owner = f"{kind} '{code.id}'"
        if "/" in code.id:
            ctx.out.append(
                Problem(
                    ann.path,
                    code.line,
                    f"{kind} id '{code.id}' holds '/'",
                    "'matches: [STUDY/ID]' splits at the last '/': use '-' instead",
                )
            )
        for match in code.matches:
            _check_match(ctx, ann, owner, match)
    for concept in codes.concepts.values():
        theme = codes.themes.get(concept.id)
        if theme is not None:
            ctx.out.append(
                Problem(
                    ann.path,
                    concept.line,
                    f"concept id '{concept.id}' is also a theme id in study '{ann.study.value}' "
                    f"(the theme is at {theme.path}:{theme.line})",
                    "a concept the paper names is not a theme of its analysis: keep one of them, or rename the concept",
                )
            )
    for theme in ann.themes:
        if theme.broader:
            if theme.broader.value not in codes.themes:
                ctx.out.append(
                    _unknown(
                        ann.path,
                        theme.broader,
                        "broader theme",
                        f"theme '{theme.id}'",
                        codes.themes,
                        "themes:",
                        ("concept", codes.concepts),
                    )
                )
            codes.used.add(theme.broader.value)
    ctx.out.extend(_broader_cycles(ann))


def _check_match(ctx: _Context, ann: Annotation, owner: str, match: Use) -> None:
    other_study, sep, other_id = match.value.rpartition("/")
    if not sep or not other_study or not other_id:
        ctx.out.append(
            Problem(
                ann.path,
                match.line,
                f"match '{match.value}' of {owner} is not STUDY/ID",
                "write the BibTeX key of the other study, '/', and the id of its theme or concept",
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
    elif other_study in ctx.studies and other_id not in ctx.codes_of[other_study]:
        ctx.out.append(
            Problem(
                ann.path,
                match.line,
                f"match '{match.value}' of {owner}: study '{other_study}' has no theme or concept '{other_id}'",
                f"{_closest(other_id, ctx.codes_of[other_study])} use a theme or concept id "
                f"declared in {ctx.studies[other_study].path}".strip(),
            )
        )


def _check_quotes(ctx: _Context, ann: Annotation, participants: dict, codes: _Codes) -> set[str]:
    """Each quote's speaker (or role) and codes; returns the participants who speak."""
    corpus, used_participants = ctx.corpus, set()
    for quote in ann.quotes:
        owner = f"quote '{quote.id}'"
        if quote.speaker:
            used_participants.add(quote.speaker.value)
        _check_speaker(ctx, ann, quote, participants)
        _check_codes(ctx, ann, owner, quote, codes)
        ctx.used_actions.update(
            _check_uses(
                quote.path,
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
                quote.path,
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


def _check_speaker(ctx: _Context, ann: Annotation, quote: Quote, participants: dict) -> None:
    """A quote names a declared participant (whose role agrees), or gives an unidentified role."""
    owner = f"quote '{quote.id}'"
    if quote.speaker:
        speaker = participants.get(quote.speaker.value)
        if speaker is None:
            where = _declared_in(ann, quote, "participants:")
            ctx.out.append(_unknown(quote.path, quote.speaker, "speaker", owner, participants, where))
        elif quote.role and quote.role != speaker.role:
            ctx.out.append(
                Problem(
                    quote.path,
                    quote.line,
                    f"{owner} says role '{quote.role}' but its speaker '{speaker.id}' is a {speaker.role}",
                    "drop 'role:' (the speaker's role is used) or fix it",
                )
            )
        return
    if not quote.role:
        ctx.out.append(
            Problem(
                quote.path,
                quote.line,
                f"{owner} has neither 'speaker' nor 'role'",
                "name the participant with 'speaker: ID', or give 'role: user|professional' "
                "for an unidentified speaker",
            )
        )
    if quote.attribution == "marked":
        ctx.out.append(
            Problem(
                quote.path,
                quote.line,
                f"{owner} has 'attribution: marked' but no speaker",
                "give the id the paper prints after the quote as 'speaker:', or use 'attribution: from-text' "
                "or 'uncertain'",
            )
        )


def _check_codes(ctx: _Context, ann: Annotation, owner: str, item: Quote | Citation, codes: _Codes) -> None:
    """The themes and concepts a quote or passage is coded with: each declared in its study."""
    themes, concepts = _declared_in(ann, item, "themes:"), _declared_in(ann, item, "concepts:")
    codes.used.update(
        _check_uses(item.path, item.themes, "theme", owner, codes.themes, themes, ctx.out, other=codes.concepts)
    )
    codes.used.update(
        _check_uses(item.path, item.concepts, "concept", owner, codes.concepts, concepts, ctx.out, other=codes.themes)
    )


def _declared_in(ann: Annotation, item: Quote | Citation, key: str) -> str:
    """Where an id a quote uses is declared: the key, and the study's file when the quote is elsewhere (a CSV)."""
    return key if item.path == ann.path else f"{key} in {ann.path}"


def _check_citations(ctx: _Context, ann: Annotation, codes: _Codes) -> None:
    """Each citing passage's keys (in the BibTeX), themes and concepts (declared in its study)."""
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
        _check_intents(ctx, ann, owner, citation)
        _check_codes(ctx, ann, owner, citation, codes)


def _check_intents(ctx: _Context, ann: Annotation, owner: str, citation: Citation) -> None:
    """Each ``intent:`` a CiTO term (once per place it is written), for a key the passage cites."""
    cited = [use.value for use in citation.cites]
    judged: set[tuple[int, str]] = set()
    for intent in citation.intents:
        term, key = intent.term, intent.key.value
        if term.value not in CITO_INTENTS and (term.line, term.value) not in judged:
            judged.add((term.line, term.value))
            ctx.out.append(
                Problem(
                    ann.path,
                    term.line,
                    f"unknown citation intent '{term.value}' in {owner}",
                    f"{_closest(term.value, CITO_INTENTS)} use a CiTO term such as agreesWith, citesAsEvidence, "
                    "disputes or usesMethodIn (the README lists them all)".strip(),
                )
            )
        if key not in cited:
            ctx.out.append(
                Problem(
                    ann.path,
                    intent.key.line,
                    f"intent for '{key}' in {owner}, which does not cite it",
                    f"{_closest(key, cited)} list the key under cites: or fix it".strip(),
                )
            )


def _check_uses(
    path: str,
    uses: list[Use],
    kind: str,
    owner: str,
    known,
    where: str,
    out: list[Problem],
    judge: bool = True,
    other: Iterable[str] = (),
) -> set[str]:
    """Report each use of an undeclared id (when ``judge``); return the ids used. ``other`` holds
    the ids of the other kind of code (concepts for themes, themes for concepts), to say so."""
    other_kind = "concept" if kind == "theme" else "theme"
    for use in uses:
        if judge and use.value not in known:
            out.append(_unknown(path, use, kind, owner, known, where, (other_kind, other)))
    return {use.value for use in uses}


def _matched_from_elsewhere(ctx: _Context, key: str) -> set[str]:
    """The themes and concepts of study ``key`` that another study's ``matches:`` names: they
    count as used."""
    matched = set()
    for other in ctx.studies.values():
        for code in [*other.themes, *other.concepts]:
            for match in code.matches:
                study_key, _, code_id = match.value.rpartition("/")
                if study_key == key:
                    matched.add(code_id)
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
                    f"{'BibTeX entry' if ref.path.lower().endswith('.bib') else 'entry'} '{key}' is cited by no "
                    "citation and annotated by no file",
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
