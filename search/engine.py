"""Answer a search: parse citations and words, rank with BM25F, group by page, highlight, suggest."""

from __future__ import annotations

import json
import os
import threading
from math import log
from collections import OrderedDict, defaultdict
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from whoosh import index
from whoosh.searching import Searcher

from search.indexer import META_FILE
from search.analysis import content_stems
from search.query import Glossary, Parsed, QueryBuilder, clean_query
from search.scorer import PostingScorer
from search.snippets import snippet
from search.wordlists import warm_up
from search.synonyms import Rule, SynonymTable

RECORD_LIMIT = 400  # matching records read before grouping by page
CACHE_SIZE = 1000  # answers kept per worker (KLARRET_SEARCH_CACHE; 0 turns the cache off)
NAVIGATION_WEIGHT = 0.5  # a page that is only a title and links (a chapter's front page) ranks lower
NAVIGATION_TEXT = 300  # characters: below this, a page with no sections is such a page
OTHER_CHAPTER = "Øvrige sider"  # the facet for pages outside the chapters (front page, about)
SUMMARY_ROLE = "summary"
# How much a record's role counts when choosing the section shown first for its page (not the
# page's rank): a case only applies a rule, a list of mistakes rarely answers a question.
ROLE_WEIGHT = {"case": 0.35, "mistakes": 0.8, "summary": 0.9}
HEADING_WEIGHT = 1.0
COVERAGE_POWER = 1.0  # a page that has all the words asked about beats one that has one of them often  # a section whose own heading the query covers is the one shown first
HOW_WORDS = frozenset({"hvordan", "sådan"})  # "hvordan skriver jeg …" asks for the how-to section
HOW_TO_WEIGHT = 1.5
CITED_ROLE_WEIGHT = {"case": 0.4, "mistakes": 0.6, "summary": 0.7, "how-to": 0.8}


@dataclass(frozen=True)
class Opened:
    """Everything read from one index folder. Replaced as a whole on reindex, so a query that
    started on the old folder finishes on the old folder's arrays (docnums differ between folders)."""

    target: str
    ix: Any
    docs: list[tuple[str, str, str]]  # docnum -> (page, kind, chapter)
    stored: list[dict[str, Any]]  # docnum -> stored fields, read once: per hit they cost a third of a query
    scorer: PostingScorer
    builder: QueryBuilder
    glossary: Glossary
    titles: list[tuple[str, str, str, str]]  # type-ahead: (title, folded, url, kind)
    navigation: frozenset[str]  # pages that are only a title and links
    synonym_rules: list[Rule]
    summaries: dict[str, int]  # page -> docnum of its "Kort fortalt" (summary role) section
    topics: dict[str, list[frozenset[str]]]  # page -> stems of its title and each "also called" word
    headings: list[frozenset[str]]  # docnum -> stems of a section's own heading, minus title_stems (cases: none)
    vocab: dict[str, frozenset[str]]  # page -> the stems of all its words (text, title, lay language)
    title_stems: dict[str, frozenset[str]]  # page -> its title's stems and compound parts


def open_index(target: str) -> Opened:
    """Open the index folder ``target`` and read what every query needs."""
    ix = index.open_dir(target)
    compound = ix.schema["compound"].analyzer
    meta = json.loads((Path(target) / META_FILE).read_text(encoding="utf-8"))
    rules = [Rule(tuple(a), tuple(b), o) for a, b, o in meta["synonyms"]]
    titles, docs, stored, with_sections = [], [], [], set()
    summaries: dict[str, int] = {}
    topics: dict[str, list[frozenset[str]]] = defaultdict(list)
    with ix.reader() as reader:
        for docnum, doc in reader.iter_docs():
            docs += [None] * (docnum + 1 - len(docs))
            stored += [None] * (docnum + 1 - len(stored))
            docs[docnum] = (doc["page"], doc["kind"], doc["chapter"])
            stored[docnum] = doc
            if doc["kind"] == "page":
                titles.append((doc["label"], doc["label"].casefold(), "/" + doc["url"], "page"))
                for name in [doc["label"], *json.loads(doc.get("also_called_words") or "[]")]:
                    topics[doc["page"]].append(frozenset(content_stems(name)))
            else:
                with_sections.add(doc["page"])
                if doc.get("role") == SUMMARY_ROLE and doc["page"] not in summaries:
                    summaries[doc["page"]] = docnum
        lengths = {name: [reader.doc_field_length(n, name, 1) for n in range(len(docs))]
                   for name, f in ix.schema.items() if f.scorable}
    for e in meta["glossary"]:
        for name in (e["term"], *e["variants"]):
            titles.append((name, name.casefold(), "/" + e["url"], "term"))
    titles.sort(key=lambda t: (t[3] != "page", t[1]))
    navigation = frozenset(d["page"] for d in stored if d and d["kind"] == "page" and d["page"] not in with_sections
                           and len(d.get("text", "")) < NAVIGATION_TEXT)
    title_stems = {d["page"]: frozenset(content_stems(d["label"])) | frozenset(t.text for t in compound(d["label"]))
                   for d in stored if d and d["kind"] == "page"}
    # A section's heading without its page's title words: those name the page, not the section.
    # A case's title tells a story ("Naboen blev ikke hørt"); it does not say what the case answers.
    headings = [frozenset(content_stems(d["label"])) - title_stems.get(d["page"], frozenset())
                if d and d["kind"] == "section" else frozenset() for d in stored]
    return Opened(target, ix, docs, stored, PostingScorer(lengths),
                  QueryBuilder(meta["laws"], SynonymTable(rules), meta.get("provision_words")),
                  Glossary(meta["glossary"]), titles, navigation, rules, summaries, dict(topics), headings,
                  {page: frozenset(stems) for page, stems in meta.get("vocabulary", {}).items()}, title_stems)


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
        warm_up()

    # --- opening, once per worker; reopened when a reindex has switched the symlink ---
    def current(self) -> tuple[Opened, Searcher]:
        """The opened index and this thread's searcher on it, reopened if the symlink has moved."""
        target = os.path.realpath(self.index_dir)
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
            if getattr(local, "searcher", None) is not None:
                local.searcher.close()
            # Only postings and statistics are read from it: PostingScorer does the BM25F scoring.
            local.searcher = opened.ix.searcher()
            local.target = opened.target
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
        elif parsed.query is None and not any(content_stems(w) for w in parsed.words):
            result["notice"] = ("Søgningen indeholder kun småord eller tegn, som søgningen springer over. "
                                "Skriv et emne eller en paragraf, fx »partshøring« eller »fvl § 19«.")
        elif not result["total"]:
            result["notice"] = _no_results(q, o.builder.closest(s, parsed.words))
        return result

    def _run(self, o: Opened, s: Searcher, parsed: Parsed, q: str, limit: int, chapter: str | None,
             kind: str | None) -> dict[str, Any]:
        terms = o.glossary.match(parsed)
        empty = {"query": q, "total": 0, "terms": terms, "facets": {"chapter": {}, "kind": {}}, "results": [],
                 "notice": None}
        if parsed.query is None:
            return empty
        docs = o.docs
        grouped: dict[str, dict] = {}
        weights = CITED_ROLE_WEIGHT if parsed.cited else ROLE_WEIGHT
        if HOW_WORDS.intersection(parsed.words):
            weights = {**weights, "how-to": HOW_TO_WEIGHT}
        # Only docnums and scores here: stored fields are read for the results shown, not for every hit.
        for docnum, score in o.scorer.search(s, parsed.query, RECORD_LIMIT):
            page, doc_kind, doc_chapter = docs[docnum]
            if kind and doc_kind != kind and doc_kind != "page":
                continue
            if chapter and (doc_chapter or OTHER_CHAPTER) != chapter:
                continue
            g = grouped.get(page)
            if g is None:
                g = grouped[page] = {"scores": [], "records": [], "page_doc": None, "chapter": doc_chapter,
                                     "kinds": set(), "asked": _asked(o, page, parsed)}
            g["scores"].append(score)
            g["kinds"].add(doc_kind)
            if doc_kind == "page":
                g["page_doc"] = docnum
            else:
                g["records"].append((score * weights.get(o.stored[docnum].get("role", ""), 1.0)
                                     * _heading_factor(o, docnum, g["asked"]), docnum))
        if kind:
            grouped = {p: g for p, g in grouped.items() if kind in g["kinds"]}
        topic = _topic(o, parsed)
        coverage = _coverage(o, parsed.groups)
        for page, g in grouped.items():
            g["score"] = _page_score(g["scores"]) * (NAVIGATION_WEIGHT if page in o.navigation else 1.0) \
                * coverage.get(page, 1.0) ** COVERAGE_POWER
            g["records"] = [n for _, n in sorted(g["records"], key=lambda r: (-r[0], r[1]))]
            summary = o.summaries.get(page)
            # A bare topic name (unless it is a section's heading: "meroffentlighed"), or a page found
            # only through its own fields: "Kort fortalt" answers it.
            named = page in topic and not any(_heading_factor(o, n, g["asked"]) >= 1.0 + HEADING_WEIGHT
                                              for n in g["records"])
            if summary is not None and kind in (None, "section") and (named or not g["records"]):
                g["records"] = [summary, *(n for n in g["records"] if n != summary)]
        ranked = sorted(grouped.items(), key=lambda item: -item[1]["score"])
        # Facets count pages, like the total: a filter's count is the number of pages it leaves.
        chapter_counts: dict[str, int] = defaultdict(int)
        kind_counts: dict[str, int] = defaultdict(int)
        for _, g in ranked:
            chapter_counts[g["chapter"] or OTHER_CHAPTER] += 1
            for k in g["kinds"] - {"page"}:
                kind_counts[k] += 1
        results = [_result(o, page, g, parsed.highlight) for page, g in ranked[:limit]]
        return {**empty, "total": len(ranked),
                "facets": {"chapter": dict(chapter_counts), "kind": dict(kind_counts)}, "results": results}

    def complete(self, prefix: str, limit: int = 8) -> list[dict[str, str]]:
        """Type-ahead: page titles and glossary terms with a word starting with ``prefix``."""
        titles = self.current()[0].titles
        p = clean_query(prefix).casefold()
        if not p:
            return []
        out = []
        for title, folded, url, kind in titles:
            if folded.startswith(p) or f" {p}" in folded:
                out.append({"title": title, "url": url, "kind": kind})
                if len(out) >= limit:
                    break
        return out



def _coverage(o: Opened, groups: list[list[frozenset[str]]]) -> dict[str, float]:
    """Page -> the share of the content words asked about that it has (in some form), each word
    weighted by how few pages have it: "søgt" is on most pages, "søster" on few."""
    if not groups:
        return {}
    has = [{p for p, vocab in o.vocab.items() if any(way <= vocab for way in ways)} for ways in groups]
    weights = [log(1 + len(o.vocab) / (1 + len(pages))) for pages in has]
    total = sum(weights) or 1.0
    return {p: sum(w for w, pages in zip(weights, has) if p in pages) / total for p in o.vocab}


def _no_results(q: str, closest: list[str]) -> str:
    """The notice for words the guidance does not use, with its closest words if it has any."""
    text = f"Ingen resultater for »{q}«."
    if closest:
        names = [f"»{w}«" for w in closest]
        listed = names[0] if len(names) == 1 else ", ".join(names[:-1]) + " eller " + names[-1]
        return f"{text} De nærmeste ord i vejledningen er {listed}."
    return f"{text} Tjek stavningen, eller prøv et andet eller bredere ord, fx »partshøring« eller »fvl § 19«."


def _asked(o: Opened, page: str, parsed: Parsed) -> frozenset[str]:
    """The query's stems that could name one of ``page``'s sections: not its title words."""
    return parsed.stems - o.title_stems.get(page, frozenset())


def _heading_factor(o: Opened, docnum: int, asked: frozenset[str]) -> float:
    """More for a section whose own heading's words the query names ("Hvad kan du indberette?");
    the page's title words name the page, not one of its sections (see ``_asked``)."""
    heading = o.headings[docnum]
    if not heading or not asked:
        return 1.0
    # Cosine-like: a long heading that holds two of the words beats a short one that holds one.
    return 1.0 + HEADING_WEIGHT * len(heading & asked) / (len(heading) * len(asked)) ** 0.5


def _topic(o: Opened, parsed: Parsed) -> set[str]:
    """The pages whose title or "also called" word the query names and nothing more ("partshøring")."""
    if parsed.cited or not parsed.phrases or not parsed.phrases[0]:
        return set()
    typed = frozenset(parsed.phrases[0])
    return {page for page, names in o.topics.items() if typed in names}


def _also_called(page_doc: dict[str, Any] | None, stems: frozenset[str]) -> list[str]:
    """The page's "also called" words that the query names."""
    if not page_doc:
        return []
    return [w for w in json.loads(page_doc.get("also_called_words") or "[]")
            if (ws := content_stems(w)) and set(ws) <= stems]


def _mentions(text: str, names: list[str]) -> bool:
    """Whether ``text`` uses any of ``names``' words."""
    return "<mark>" in snippet(text, frozenset(w for n in names for w in content_stems(n)))


def _result(o: Opened, page: str, g: dict, stems: frozenset[str]) -> dict[str, Any]:
    records = [o.stored[n] for n in g["records"][:4]]
    page_doc = o.stored[g["page_doc"]] if g["page_doc"] is not None else None
    best = records[0] if records else page_doc
    assert best is not None
    breadcrumb = json.loads(best["breadcrumb"])
    fallback = (page_doc or {}).get("summary_text", "")
    text = snippet(best["text"], stems, fallback)
    also = _also_called(page_doc, stems)
    return {
        "page": page, "anchor": best["anchor"], "url": "/" + best["url"],
        "title": page_doc["label"] if page_doc else breadcrumb[0],
        "breadcrumb": breadcrumb, "snippet": text,
        "kind": best["kind"], "role": best.get("role", ""), "score": round(g["score"], 3),
        # Found through an everyday word the text does not use: say so ("Også kaldet: agterskrivelse").
        "also_called": also if also and not _mentions(best["text"], also) else [],
        "sections": [{"anchor": r["anchor"], "title": r["label"], "snippet": snippet(r["text"], stems),
                      "kind": r["kind"], "role": r.get("role", "")} for r in records[1:4]],
    }


def _page_score(scores: list[float]) -> float:
    """A page's score: its best record, plus a little for every further record that matches."""
    top = sorted(scores, reverse=True)
    return top[0] + 0.25 * sum(top[1:6])
