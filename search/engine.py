"""Answer a search: parse citations and words, rank with BM25F, group by page, highlight, suggest."""

from __future__ import annotations

import json
import os
import re
import threading
from collections import defaultdict
from dataclasses import dataclass
from html import escape
from pathlib import Path
from typing import Any

from whoosh import highlight, index, query, scoring
from whoosh.searching import Searcher

from search.citations import CitationParser

MAX_QUERY = 500  # characters kept of a query; the rest is ignored
RECORD_LIMIT = 400  # matching records read before grouping by page
CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")
TEXT_FIELDS = ("title", "headings", "summary", "terms", "text", "compound")
WORD = re.compile(r"\w+", re.UNICODE)


class MarkFormatter(highlight.Formatter):
    """Snippet HTML: everything escaped, matched words wrapped in a bare <mark>."""

    between = " … "

    def format_token(self, text: str, token, replace: bool = False) -> str:
        return "<mark>" + escape(highlight.get_text(text, token, replace), quote=False) + "</mark>"

    def format_fragment(self, fragment, replace: bool = False) -> str:
        out, index_ = [], fragment.startchar
        text = fragment.text
        for t in fragment.matches:
            if t.startchar < index_:
                continue
            out.append(escape(text[index_:t.startchar], quote=False))
            out.append(self.format_token(text, t, replace))
            index_ = t.endchar
        out.append(escape(text[index_:fragment.endchar], quote=False))
        return "".join(out)


@dataclass
class Hit:
    page: str
    score: float
    best: dict[str, Any]
    sections: list[dict[str, Any]]
    page_doc: dict[str, Any] | None


class Engine:
    """A search engine over one index folder (a symlink that a reindex swaps)."""

    def __init__(self, index_dir: str | Path):
        self.index_dir = Path(index_dir)
        self._local = threading.local()
        self._lock = threading.Lock()
        self._target: str | None = None
        self._ix = None
        self.parser: CitationParser | None = None
        self.titles: list[tuple[str, str, str, str]] = []

    # --- opening, once per worker; reopened when a reindex has switched the symlink ---
    def _current_target(self) -> str:
        return os.path.realpath(self.index_dir)

    def _open(self) -> None:
        target = self._current_target()
        if not index.exists_in(target):
            raise FileNotFoundError(f"Intet søgeindeks i {self.index_dir}. Kør 'klarret build' eller 'klarret index'.")
        ix = index.open_dir(target)
        laws = json.loads((Path(target) / "laws.json").read_text(encoding="utf-8"))
        titles = []
        with ix.searcher() as s:
            for doc in s.documents():
                if doc["kind"] in ("page", "term"):
                    titles.append((doc["title"], doc["title"].casefold(), "/" + doc["url"], doc["kind"]))
        titles.sort(key=lambda t: (t[3] != "page", t[1]))
        self._ix, self.parser, self.titles, self._target = ix, CitationParser(laws), titles, target

    def searcher(self) -> Searcher:
        """This thread's searcher, reopened if the index folder has been switched."""
        target = self._current_target()
        if self._target != target or self._ix is None:
            with self._lock:
                if self._target != target or self._ix is None:
                    self._open()
        local = self._local
        if getattr(local, "target", None) != self._target:
            if getattr(local, "searcher", None) is not None:
                local.searcher.close()
            local.searcher = self._ix.searcher(weighting=scoring.BM25F(B=0.6, K1=1.2))
            local.target = self._target
        return local.searcher

    def doc_count(self) -> int:
        """Number of indexed records (health check)."""
        return self.searcher().doc_count()

    # --- querying ---
    def build_query(self, s: Searcher, text: str) -> tuple[query.Query | None, list[str]]:
        """The Whoosh query for a user's text (never parsed as Whoosh syntax) and its plain words."""
        assert self.parser is not None
        cites, rest = self.parser.parse(text)
        parts: list[query.Query] = []
        for token, boost in cites:
            parts.append(query.Term("citations", token, boost=boost))
        words = WORD.findall(rest)
        free = " ".join(words)
        for field in TEXT_FIELDS:
            terms = list(dict.fromkeys(t.text for t in s.schema[field].analyzer(free)))
            parts.extend(query.Term(field, t) for t in terms)
        return (query.Or(parts) if parts else None), words

    def suggest(self, s: Searcher, words: list[str]) -> str | None:
        """'Mente du …?': replace unknown raw words with the closest word in the guidance."""
        corrector = s.corrector("spell")
        changed, out = False, []
        for w in words:
            lw = w.lower()
            if len(lw) >= 4 and not lw.isdigit() and s.doc_frequency("spell", lw) == 0:
                alt = corrector.suggest(lw, limit=1, maxdist=2)
                if alt:
                    out.append(alt[0])
                    changed = True
                    continue
            out.append(w)
        return " ".join(out) if changed else None

    def search(self, q: str, limit: int = 10, chapter: str | None = None, kind: str | None = None,
               correct: bool = True) -> dict[str, Any]:
        """The API answer for ``q`` (see README: "Search API")."""
        q = clean_query(q)
        s = self.searcher()
        whoosh_q, words = self.build_query(s, q)
        suggestion = self.suggest(s, words) if words else None
        result = self._run(s, whoosh_q, q, limit, chapter, kind)
        result["suggestion"] = suggestion
        result["corrected_from"] = None
        if correct and result["total"] == 0 and suggestion and not result["terms"]:
            corrected = self.search(suggestion, limit, chapter, kind, correct=False)
            if corrected["total"]:
                corrected["corrected_from"] = q
                corrected["suggestion"] = None
                return corrected
        return result

    def _run(self, s: Searcher, whoosh_q, q: str, limit: int, chapter: str | None,
             kind: str | None) -> dict[str, Any]:
        empty = {"query": q, "total": 0, "terms": [], "facets": {"chapter": {}, "kind": {}}, "results": []}
        if whoosh_q is None:
            return empty
        hits = s.search(whoosh_q, limit=RECORD_LIMIT)
        hits.formatter = MarkFormatter()
        hits.fragmenter = highlight.PinpointFragmenter(maxchars=220, surround=70, autotrim=True)
        terms, grouped = [], {}
        kind_counts: dict[str, int] = defaultdict(int)
        for h in hits:
            doc = h.fields()
            if doc["kind"] == "term":
                if len(terms) < 3 and h.score >= hits[0].score * 0.2:
                    terms.append({"term": doc["title"], "definition": doc["text"].split("\nLæs mere")[0].strip(),
                                  "url": "/" + doc["url"], "page": doc["page"]})
                continue
            if kind and doc["kind"] != kind and doc["kind"] != "page":
                continue
            if chapter and doc["chapter"] != chapter:
                continue
            kind_counts[doc["kind"]] += 1
            g = grouped.setdefault(doc["page"], {"scores": [], "records": [], "page_doc": None})
            g["scores"].append(h.score)
            entry = {"doc": doc, "hit": h, "score": h.score}
            if doc["kind"] == "page":
                g["page_doc"] = entry
            else:
                g["records"].append(entry)
        if kind:
            grouped = {p: g for p, g in grouped.items() if any(r["doc"]["kind"] == kind for r in g["records"])}
        ranked = sorted(grouped.items(), key=lambda item: -_page_score(item[1]["scores"]))
        chapter_counts: dict[str, int] = defaultdict(int)
        for _, g in ranked:
            doc = (g["page_doc"] or g["records"][0])["doc"]
            chapter_counts[doc["chapter"] or "Øvrige sider"] += 1
        results = [self._result(page, g) for page, g in ranked[:limit]]
        return {"query": q, "total": len(ranked), "terms": terms,
                "facets": {"chapter": dict(chapter_counts), "kind": dict(kind_counts)}, "results": results}

    def _result(self, page: str, g: dict) -> dict[str, Any]:
        records = sorted(g["records"], key=lambda r: -r["score"])
        best = records[0] if records else g["page_doc"]
        page_doc = (g["page_doc"] or best)["doc"]
        bdoc = best["doc"]
        snippet = best["hit"].highlights("text", top=2) or escape(page_doc.get("summary_text") or
                                                                   bdoc["text"][:200], quote=False)
        return {
            "page": page, "anchor": bdoc["anchor"], "url": "/" + bdoc["url"],
            "title": page_doc["title"] if g["page_doc"] else json.loads(bdoc["breadcrumb"])[0],
            "breadcrumb": json.loads(bdoc["breadcrumb"]), "snippet": snippet, "kind": bdoc["kind"],
            "score": round(_page_score(g["scores"]), 3),
            "sections": [{"anchor": r["doc"]["anchor"], "title": r["doc"]["title"],
                          "snippet": r["hit"].highlights("text", top=1) or "", "kind": r["doc"]["kind"]}
                         for r in records[1:4]],
        }

    def complete(self, prefix: str, limit: int = 8) -> list[dict[str, str]]:
        """Type-ahead: page titles and glossary terms with a word starting with ``prefix``."""
        self.searcher()
        p = clean_query(prefix).casefold()
        if not p:
            return []
        out = []
        for title, folded, url, kind in self.titles:
            if folded.startswith(p) or f" {p}" in folded:
                out.append({"title": title, "url": url, "kind": kind})
                if len(out) >= limit:
                    break
        return out


def _page_score(scores: list[float]) -> float:
    """A page's score: its best record, plus a little for every further record that matches."""
    top = sorted(scores, reverse=True)
    return top[0] + 0.25 * sum(top[1:6])


def clean_query(q: str) -> str:
    """Control characters out, white space folded, at most MAX_QUERY characters."""
    return " ".join(CONTROL.sub(" ", q or "").split())[:MAX_QUERY]
