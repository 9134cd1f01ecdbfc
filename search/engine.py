"""Answer a search: parse citations and words, rank with BM25F, group by page, highlight, suggest."""

from __future__ import annotations

import os
import threading
from collections import OrderedDict, defaultdict
from pathlib import Path
from typing import Any

from whoosh import index
from whoosh.index import EmptyIndexError
from whoosh.searching import Searcher

from search import ranking, sections
from search.analysis import content_stems
from search.query import Parsed, clean_query
from search.ranking import OTHER_CHAPTER, Opened, open_index
from search.snippets import Marks
from search.synonyms import Rule
from search.wordlists import warm_up

RECORD_LIMIT = 400  # matching records read before grouping by page
OPEN_TRIES = 3  # reading the index link again when a reindex pruned the folder it pointed at
CACHE_SIZE = 1000  # answers kept per worker (KLARRET_SEARCH_CACHE; 0 turns the cache off)


class IndexMissing(FileNotFoundError):
    """The index folder is missing or empty (the guidance has not been built and indexed yet)."""


class Engine:
    """A search engine over one index folder (a symlink that a reindex swaps)."""

    def __init__(self, index_dir: str | Path, cache_size: int = CACHE_SIZE):
        self.index_dir = Path(index_dir)
        self.cache_size = cache_size
        self._cache: OrderedDict[tuple, dict[str, Any]] = OrderedDict()
        self._local = threading.local()
        self._lock = threading.Lock()
        self._opened: Opened | None = None
        self._suggester: Any = None
        warm_up()

    # --- opening, once per worker; reopened when a reindex has switched the symlink ---
    def current(self) -> tuple[Opened, Searcher]:
        """The opened index and this thread's searcher on it, reopened if the symlink has moved."""
        target = self._resolve()
        for _ in range(OPEN_TRIES - 1):
            try:
                return self._open(target)
            except (FileNotFoundError, EmptyIndexError):
                # A reindex prunes old folders: the one just read from the link may be gone before it
                # is opened. Then the link has moved on, and is read again.
                moved = self._resolve()
                if moved == target:
                    raise
                target = moved
        return self._open(target)

    def _resolve(self) -> str:
        """The folder the index link points at now."""
        return os.path.realpath(self.index_dir)

    def _open(self, target: str) -> tuple[Opened, Searcher]:
        """The index in ``target`` (opened unless it is the one open now) and this thread's searcher on it."""
        opened = self._opened
        if opened is None or opened.target != target:
            with self._lock:
                opened = self._opened
                if opened is None or opened.target != target:
                    if not index.exists_in(target):
                        raise IndexMissing(f"Intet søgeindeks i {self.index_dir}. "
                                           "Kør 'klarret build' eller 'klarret index'.")
                    opened = self._opened = open_index(target)
        local = self._local
        if getattr(local, "target", None) != opened.target:
            # Only postings and statistics are read from it: PostingScorer does the BM25F scoring. Made
            # before the old one is closed: if the folder has gone meanwhile, the thread keeps a searcher
            # it has not closed, and the next search does not close it a second time.
            searcher, old = opened.ix.searcher(), getattr(local, "searcher", None)
            local.searcher, local.target = searcher, opened.target
            if old is not None:
                old.close()
        return opened, local.searcher

    def searcher(self) -> Searcher:
        """This thread's searcher on the current index."""
        return self.current()[1]

    @property
    def _target(self) -> str | None:
        return self._opened.target if self._opened else None

    @property
    def synonym_rules(self) -> list[Rule]:
        """The synonym rules of the current index (editors' file, glossary, laws)."""
        return self.current()[0].synonym_rules

    def doc_count(self) -> int:
        """Number of indexed records (health check)."""
        return self.searcher().doc_count()

    # --- querying ---
    def search(self, q: str, limit: int = 10, chapter: str | None = None, kind: str | None = None,
               cache: bool = True) -> dict[str, Any]:
        """The API answer for ``q`` (see README: "Search"); a fresh dict the caller may extend."""
        q = clean_query(q)
        opened, s = self.current()
        # Case workers repeat each other's questions: answers are kept per index (a reindex starts afresh).
        key = (opened.target, q, limit, chapter, kind)
        with self._lock:
            hit = self._cache.get(key) if cache else None
            if hit is not None:
                self._cache.move_to_end(key)
                return dict(hit)
        result = self._answer(opened, s, q, limit, chapter, kind)
        if self.cache_size:
            with self._lock:
                self._cache[key] = result
                while len(self._cache) > self.cache_size:
                    self._cache.popitem(last=False)
        return dict(result)

    def _answer(self, o: Opened, s: Searcher, q: str, limit: int, chapter: str | None,
                kind: str | None) -> dict[str, Any]:
        parsed = o.builder.parse(s, q)
        suggestion = parsed.suggestion()
        if suggestion:
            # Said so only when the words as typed find nothing: then the corrected query is run.
            as_typed = o.builder.parse(s, q, correct=False)
            if self._run(o, s, as_typed, q, 1, chapter, kind)["total"] == 0:
                result = self._run(o, s, o.builder.parse(s, suggestion, correct=False), suggestion,
                                   limit, chapter, kind)
                result.update(suggestion=None, corrected_from=q if result["total"] else None)
                if result["total"]:
                    return result
        result = self._run(o, s, parsed, q, limit, chapter, kind)
        result.update(suggestion=suggestion, corrected_from=None)
        if parsed.unknown_law:
            result["notice"] = (f"Vejledningen henviser ikke til »{parsed.unknown_law}«. Søg på emnet i stedet, "
                                "eller slå paragraffen op på retsinformation.dk.")
        elif parsed.uncited:
            named = " og ".join(parsed.uncited)
            result["notice"] = (f"Vejledningen henviser ikke til {named}. " + (
                "Resultaterne er for resten af søgningen." if result["total"] else
                "Søg på emnet i stedet, eller slå bestemmelsen op i selve loven."))
        elif parsed.query is None and not any(content_stems(w) for w in parsed.words):
            result["notice"] = ("Søgningen indeholder kun småord eller tegn, som søgningen springer over. "
                                "Skriv et emne eller en paragraf, fx »partshøring« eller »fvl § 19«.")
        elif not result["total"]:
            result["notice"] = ranking.no_results(q, o.builder.closest(s, parsed.words))
        return result

    def _run(self, o: Opened, s: Searcher, parsed: Parsed, q: str, limit: int, chapter: str | None,
             kind: str | None) -> dict[str, Any]:
        terms = o.glossary.match(parsed)
        empty = {"query": q, "total": 0, "terms": terms, "facets": {"chapter": {}, "kind": {}}, "results": [],
                 "notice": None}
        if parsed.query is None:
            return empty
        docs = o.docs  # hoisted: ~400 hits
        grouped: dict[str, dict] = {}
        # Only docnums and scores here: stored fields are read, and a page's records ordered, for the
        # results shown, not for every hit.
        for docnum, score in o.scorer.search(s, parsed.query, RECORD_LIMIT):
            page, doc_kind, doc_chapter, facet_kind = docs[docnum]
            if kind and doc_kind != kind and doc_kind != "page":
                continue
            if chapter and (doc_chapter or OTHER_CHAPTER) != chapter:
                continue
            g = grouped.get(page)
            if g is None:
                g = grouped[page] = {"scores": [], "records": [], "page_doc": None, "chapter": doc_chapter,
                                     "kinds": set()}
            # A case's story shares words with many situations: it counts less toward its page's rank.
            g["scores"].append(score * ranking.CASE_PAGE_WEIGHT if doc_kind == "case" else score)
            g["kinds"].add(facet_kind)
            if doc_kind == "page":
                g["page_doc"] = docnum
            else:
                g["records"].append((score, docnum))
        if kind:
            grouped = {p: g for p, g in grouped.items() if kind in g["kinds"]}
        shares = ranking.coverage(o, parsed.groups, grouped)
        topic = ranking.topic_pages(o, parsed)
        for page, g in grouped.items():
            navigation = ranking.NAVIGATION_WEIGHT if page in o.navigation else 1.0
            named = ranking.TOPIC_PAGE_WEIGHT if page in topic else 1.0
            g["score"] = ranking.page_score(g["scores"]) * navigation * named * \
                shares.get(page, 1.0) ** ranking.COVERAGE_POWER
        ranked = sorted(grouped.items(), key=lambda item: -item[1]["score"])
        # Facets count pages, like the total: a filter's count is the number of pages it leaves.
        chapter_counts: dict[str, int] = defaultdict(int)
        kind_counts: dict[str, int] = defaultdict(int)
        for _, g in ranked:
            chapter_counts[g["chapter"] or OTHER_CHAPTER] += 1
            for k in g["kinds"] - {"page"}:
                kind_counts[k] += 1
        marks = Marks(parsed.highlight)
        for page, g in ranked[:limit]:
            g["records"] = sections.order_records(o, parsed, page, g["records"], topic, kind)
        results = [ranking.result(o, page, g, marks) for page, g in ranked[:limit]]
        return {**empty, "total": len(ranked),
                "facets": {"chapter": dict(chapter_counts), "kind": dict(kind_counts)}, "results": results}

    def complete(self, prefix: str, limit: int = 8) -> list[dict[str, str]]:
        """Type-ahead (search.suggest): pages, sections, glossary terms and cited provisions."""
        if self._suggester is None:
            from search.suggest import Suggester  # it calls back into search(): imported on first use

            self._suggester = Suggester(self)
        return self._suggester.suggest(prefix, limit)
