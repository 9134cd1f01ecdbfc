"""Which record a shown page shows first: by score and role, by how much of a section's own heading
and of one of its question lines the query names, and by the rule a matching case applies."""

from __future__ import annotations

from collections import Counter, defaultdict
from math import log
from typing import TYPE_CHECKING, Any

from search.analysis import content_stems
from search.query import Parsed

if TYPE_CHECKING:
    from search.ranking import Opened

# How much a record's role counts when choosing the section shown first for its page (not the
# page's rank): a case only applies a rule, a list of mistakes rarely answers a question.
ROLE_WEIGHT = {"case": 0.25, "mistakes": 0.8, "summary": 0.9}
# A case's score also counts, this much, for the rule sections stating what it cites (``applies``):
# such a section scores at least that, so the rule a matching story applies is shown before the story.
APPLIED_WEIGHT = 0.7
HEADING_WEIGHT = 1.0  # a section whose own heading the query covers is the one shown first
QUESTION_WEIGHT = 1.5  # a section one of whose questions the query all but repeats is the one shown first
HEADED_ROLES = frozenset({"rule", "how-to"})  # sections that can answer a word their heading names
HOW_WORDS = frozenset({"hvordan", "sådan"})  # "hvordan skriver jeg …" asks for the how-to section
HOW_TO_WEIGHT = 4.0  # as much as a rule section whose heading and a question line the query names
CITED_ROLE_WEIGHT = {"case": 0.4, "mistakes": 0.6, "summary": 0.7, "how-to": 0.8}
# A stop word that turns a heading's meaning around ("Hvad er ikke en afgørelse?"): it counts in
# heading matching when the query has it too, and is ignored otherwise.
NEGATIONS = frozenset({"ikke"})


def question_lines(doc: dict[str, Any] | None, title_stems: dict[str, frozenset[str]],
                   rarity: dict[str, tuple[float, dict[str, float]]]) -> tuple[tuple[frozenset[str], float], ...]:
    """The stems of each question line filed under a section, without its page's title words, and
    the sum of their weights (``section_rarity``), which does not depend on the query."""
    if not doc or doc["kind"] != "section" or not doc.get("questions"):
        return ()
    title = title_stems.get(doc["page"], frozenset())
    unknown, weights = rarity.get(doc["page"], (1.0, {}))
    return tuple((ws, sum(weights.get(w, unknown) for w in ws)) for line in doc["questions"].split("\n")
                 if (ws := frozenset(content_stems(line)) - title))


def section_rarity(stored: list[dict[str, Any] | None], roles: list[str]) -> dict[str, tuple[float, dict[str, float]]]:
    """Page -> (the weight of a word none of its sections has, stem -> log(1 + sections / sections with it)),
    over its sections' headings, text and question lines; cases tell stories and are left out."""
    sections: dict[str, list[frozenset[str]]] = defaultdict(list)
    for n, d in enumerate(stored):
        if d and d["kind"] == "section" and roles[n] != "case":
            sections[d["page"]].append(frozenset(content_stems(f"{d['label']} {d.get('text', '')} "
                                                               f"{d.get('questions', '')}")))
    out = {}
    for page, stems in sections.items():
        having = Counter(w for st in stems for w in st)
        out[page] = (log(1 + len(stems)), {w: log(1 + len(stems) / k) for w, k in having.items()})
    return out


def headed_sections(stored: list[dict[str, Any] | None]) -> dict[str, tuple[int, ...]]:
    """Page -> the docnums of its sections that can answer a word their heading names."""
    out: dict[str, list[int]] = defaultdict(list)
    for n, d in enumerate(stored):
        if d and d.get("role", "") in HEADED_ROLES:
            out[d["page"]].append(n)
    return {page: tuple(ns) for page, ns in out.items()}


def asked(o: Opened, page: str, parsed: Parsed) -> frozenset[str]:
    """The query's stems that could name one of ``page``'s sections: not its title words."""
    return (parsed.stems | NEGATIONS.intersection(parsed.words)) - o.title_stems.get(page, frozenset())


def heading_factor(o: Opened, docnum: int, asked: frozenset[str]) -> float:
    """More for a section whose own heading's words the query names ("Hvad kan du indberette?");
    the page's title words name the page, not one of its sections (see ``_asked``)."""
    heading = o.headings[docnum]
    if not heading or not asked:  # most records (all cases) have no heading of their own
        return 1.0
    if not heading.isdisjoint(NEGATIONS) and asked.isdisjoint(NEGATIONS):
        heading = heading - NEGATIONS
        if not heading:
            return 1.0
    # Cosine-like: a long heading that holds two of the words beats a short one that holds one.
    return 1.0 + HEADING_WEIGHT * len(heading & asked) / (len(heading) * len(asked)) ** 0.5


def question_factor(o: Opened, docnum: int, asked: frozenset[str]) -> float:
    """More for a section with a question line close to the query: one line, not words from many lines."""
    lines = o.lines[docnum]
    if not lines or not asked:
        return 1.0
    # Each word weighs by how few of the page's sections have it: "oplysninger" is in nearly all of
    # *Videregivelse*'s, "jobcentret" only in the lines of the one on sharing within the municipality.
    unknown, rarity = o.rarity.get(o.docs[docnum][0], (1.0, {}))
    weight = {w: rarity.get(w, unknown) for w in asked}
    total = sum(weight.values())
    # Cosine of the weighted stems, counted only when the line shares two of the query's words (or its
    # only one): one word in common ("skrive") is chance, not the same question.
    need = min(2, len(asked))
    best = max((sum(weight[w] for w in shared) / (norm * total) ** 0.5
                for line, norm in lines if len(shared := line & asked) >= need), default=0.0)
    return 1.0 + QUESTION_WEIGHT * best


def section_factor(o: Opened, docnum: int, asked: frozenset[str]) -> float:
    """How much of a section the query names: its heading and its closest question line."""
    return heading_factor(o, docnum, asked) * question_factor(o, docnum, asked)


def order_records(o: Opened, parsed: Parsed, page: str, records: list[tuple[float, int]], topic: set[str],
                  kind: str | None) -> list[int]:
    """A shown page's records (score, docnum), the one to show first first: by score, role, how much
    of its heading the query names and the cases that apply it; "Kort fortalt" for a bare topic name."""
    weights = CITED_ROLE_WEIGHT if parsed.cited else ROLE_WEIGHT
    # A case's matching story points to the rule it applies (``applies``), unless the query asks how
    # to do something (the how-to section answers that) or only cases are asked for.
    applies = o.applies if not kind else {}
    if HOW_WORDS.intersection(parsed.words):
        weights, applies = {**weights, "how-to": HOW_TO_WEIGHT}, {}
    wanted = asked(o, page, parsed)
    roles = o.roles
    factors = {n: section_factor(o, n, wanted) for _, n in records}
    scores = {n: score * weights.get(roles[n], 1.0) * factors[n] for score, n in records}
    applied: dict[int, float] = {}
    for score, n in records:
        for target, share in applies.get(n, ()):
            applied[target] = applied.get(target, 0.0) + score * share
    for target, score in applied.items():
        factors.setdefault(target, section_factor(o, target, wanted))
        scores[target] = max(scores.get(target, 0.0),
                             APPLIED_WEIGHT * score * weights.get(roles[target], 1.0) * factors[target])
    # Sorting (-weighted score, docnum) tuples: best first, ties by docnum, with no key function.
    ordered = [n for _, n in sorted([(-score, n) for n, score in scores.items()])]
    summary = o.summaries.get(page)
    names = parsed.names  # only the words typed, not their synonyms, are filed under a section
    filed = o.filed.get(page, {}).get(names[0]) if names and kind in (None, "section") else None
    if filed is not None:  # a word an editor filed under one section, asked for alone: that section
        return [filed, *(n for n in ordered if n != filed)]
    # A bare topic name (unless it is a section's heading: "meroffentlighed"), or a page found only
    # through its own fields: "Kort fortalt" answers it.
    named = page in topic and not any(f >= 1.0 + HEADING_WEIGHT for f in factors.values())
    if not ordered and kind in (None, "section"):
        # Found only through the page's own fields ("fuldmagtserklæring", an "also called" word, is
        # not split in the search): a section whose heading names a part of it answers, else the summary.
        heading = max(((heading_factor(o, n, wanted), -n) for n in o.headed.get(page, ())), default=(1.0, 0))
        if heading[0] >= 1.0 + HEADING_WEIGHT / 2:  # most of the heading, not a "sag" in a long one
            ordered = [-heading[1], *([summary] if summary is not None else [])]
    if summary is not None and kind in (None, "section") and (named or not ordered):
        ordered = [summary, *(n for n in ordered if n != summary)]
    return ordered

