"""Which rule sections a case example applies: where a situation that matches a case's story is answered.

A case applies rules: a situation told in the query's words ("min kollega er gift med ansøgeren")
matches the case's story, but the answer is the section of its page that states the provision the
case cites (fvl § 3, stk. 1, nr. 1 -> *Hvornår er du inhabil?*, which states § 3, stk. 1). A case
that cites nothing its page's rule sections state or cite points to the rule section whose words
are most like its own.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from functools import cache
from math import sqrt
from typing import Any

from klarret.export import Citation
from search.analysis import content_stems

MIN_LIKENESS = 0.15  # below this cosine, a case's words say nothing about which rule it applies


def _specificity(stated: Citation, cited: Citation) -> int | None:
    """How precisely ``stated`` covers ``cited`` (a range 0 … a nr. 3), or None if it does not."""
    if stated.law != cited.law or not stated.covers(cited.par):
        return None
    if stated.stk is not None and stated.stk != cited.stk:
        return None
    if stated.nr is not None and str(stated.nr).lower() != str(cited.nr or "").lower():
        return None
    return (stated.par_to is None) + (stated.stk is not None) + (stated.nr is not None)


def applied_rules(records: Iterable[Any], rule_role: str = "rule") -> dict[str, list[tuple[str, float]]]:
    """Case id -> the rule sections of its page it applies, with shares summing to 1: each citation
    goes to the most precise section(s) stating it, or else citing it (see the module's docstring)."""
    rules: dict[str, list[Any]] = {}
    cases = []
    for r in records:
        if r.kind == "section" and r.role == rule_role:
            rules.setdefault(r.page, []).append(r)
        elif r.kind == "case":
            cases.append(r)
    out: dict[str, list[tuple[str, float]]] = {}

    @cache
    def vectors(page: str) -> list[tuple[str, tuple[Counter[str], float]]]:
        """A page's rule sections' word vectors, made once for all its cases."""
        return [(sec.anchor, _vector(sec.text)) for sec in rules.get(page, ())]

    for case in cases:
        shares: dict[str, float] = {}
        for cited in case.citations:
            # A section that states the provision before one that only refers to it.
            found = [((stated, s), sec.anchor) for sec in rules.get(case.page, ())
                     for stated, provisions in ((True, sec.states), (False, sec.citations)) for st in provisions
                     if (s := _specificity(st, cited)) is not None]
            if not found:
                continue
            best = max(s for s, _ in found)
            anchors = sorted({a for s, a in found if s == best})
            for a in anchors:
                shares[a] = shares.get(a, 0.0) + 1.0 / (len(case.citations) * len(anchors))
        if shares:
            total = sum(shares.values())
            out[case.id] = [(a, round(v / total, 4)) for a, v in sorted(shares.items())]
        elif (like := most_like(case, vectors(case.page))) is not None:
            out[case.id] = [(like, 1.0)]
    return out


def _vector(text: str) -> tuple[Counter[str], float]:
    counts = Counter(content_stems(text))
    return counts, sqrt(sum(n * n for n in counts.values())) or 1.0


def most_like(case: Any, sections: Iterable[tuple[str, tuple[Counter[str], float]]]) -> str | None:
    """The anchor of the section (anchor, word vector) whose words are most like the case's (cosine),
    if alike enough."""
    words, norm = _vector(case.text)
    best, best_anchor = MIN_LIKENESS, None
    for anchor, (other, other_norm) in sections:
        like = sum(n * other[w] for w, n in words.items()) / (norm * other_norm)
        if like > best:
            best, best_anchor = like, anchor
    return best_anchor
