"""BM25F scoring of the engine's flat queries (Or of Terms and of And-of-Terms) from cached postings.

Whoosh's matcher tree cost most of a query's time on this small index: building a matcher per term
and scoring posting by posting through several layers. The queries the engine builds are only
``Or([Term | And([Term, ...])])``, so each term's scored postings are computed once per index
(the same BM25F formula, field boosts and statistics as Whoosh's ``BM25F``) and summed here.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from math import log

from whoosh import query
from whoosh.searching import Searcher

CACHE_TERMS = 20_000  # scored posting lists kept per index
# Fields that list names (a page's "also called" words, which count like its title): their length is
# not normalised, as one more name does not make the others count less ("partshøringsbrev" beside
# "høringsbrev").
NAME_FIELDS = frozenset({"also"})
# Fields of compounds' parts: a part is rare among titles' parts but may be one of the commonest words
# of the text, and would otherwise count as a rare word wherever it ends up as a part.
PART_FIELDS = frozenset({"compound", "tcompound", "qcompound"})


class PostingScorer:
    """Scores queries against one opened index; thread-safe, bounded cache of scored postings."""

    def __init__(self, lengths: dict[str, list[int]], B: float = 0.6, K1: float = 1.2):
        self.lengths, self.B, self.K1 = lengths, B, K1
        self._cache: OrderedDict[tuple[str, str], list[tuple[int, float]]] = OrderedDict()
        self._lock = threading.Lock()

    def postings(self, s: Searcher, field: str, text: str) -> list[tuple[int, float]]:
        """(docnum, BM25 score) for every document with ``text`` in ``field``."""
        key = (field, text)
        with self._lock:
            hit = self._cache.get(key)
            if hit is not None:
                self._cache.move_to_end(key)
                return hit
        scored = self._score_postings(s, field, text)
        with self._lock:
            self._cache[key] = scored
            if len(self._cache) > CACHE_TERMS:
                self._cache.popitem(last=False)
        return scored

    def _score_postings(self, s: Searcher, field: str, text: str) -> list[tuple[int, float]]:
        if not s.doc_frequency(field, text):
            return []
        items = list(s.postings(field, text).items_as("weight"))
        lengths = self.lengths.get(field)
        if lengths is None or not s.schema[field].scorable:
            return [(d, w) for d, w in items]
        df = s.doc_frequency(field, text)
        if field in PART_FIELDS:  # a part is as common as the word is in the text ("borger" of "Borgerrådgiveren")
            df = max(df, s.doc_frequency("text", text))
        idf = log(s.doc_count_all() / (df + 1)) + 1
        avg = s.avg_field_length(field) or 1
        B, K1 = (0.0 if field in NAME_FIELDS else self.B), self.K1
        return [(d, idf * (w * (K1 + 1)) / (w + K1 * ((1 - B) + B * lengths[d] / avg))) for d, w in items]

    def search(self, s: Searcher, q: query.Query, limit: int) -> list[tuple[int, float]]:
        """The ``limit`` best (docnum, score), best first, of an Or of Terms and Ands of Terms."""
        acc: dict[int, float] = {}
        for sub in (q.subqueries if isinstance(q, query.Or) else [q]):
            if isinstance(sub, query.Term):
                boost, get = sub.boost, acc.get
                for d, sc in self.postings(s, sub.fieldname, sub.text):
                    acc[d] = get(d, 0.0) + boost * sc
            elif isinstance(sub, query.And):
                parts = [{d: sc * t.boost for d, sc in self.postings(s, t.fieldname, t.text)}
                         for t in sub.subqueries]
                common = set(parts[0]).intersection(*parts[1:]) if parts else set()
                for d in common:
                    acc[d] = acc.get(d, 0.0) + sum(p[d] for p in parts)
            else:
                raise TypeError(f"unsupported query part {sub!r}")
        # Best first, ties by docnum: (-score, docnum) tuples sort in C, with no key function per hit.
        best = sorted([(-sc, d) for d, sc in acc.items()])[:limit]
        return [(d, -neg) for neg, d in best]
