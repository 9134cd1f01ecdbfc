"""Ranking for one opened index: what a folder holds, which pages rank first and what a result shows.

A page ranks by its records' BM25F scores and by the share of the query's words it has; which of its
sections it shows first is ``search.sections``'s choice.
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from math import log
from pathlib import Path
from typing import Any

from whoosh import index

from search.analysis import analyzer_kinds, content_stems, words
from search.glossary import Glossary
from search.indexer import META_FILE
from search.query import TEXT_FIELDS, Parsed, QueryBuilder
from search.scorer import PostingScorer
from search.sections import NEGATIONS, headed_sections, question_lines, section_rarity
from search.snippets import Cut, Marks, cut, snippet
from search.synonyms import Rule, SynonymTable

NAVIGATION_WEIGHT = 0.5  # a page that is only a title and links (a chapter's front page) ranks lower
NAVIGATION_TEXT = 300  # characters: below this, a page with no sections is such a page
OTHER_CHAPTER = "Øvrige sider"  # the facet for pages outside the chapters (front page, about)
SUMMARY_ROLE = "summary"
CASE_PAGE_WEIGHT = 0.5  # a case's score toward its page's rank
PAGE_SPREAD = 0.25  # how much a page's further matching records add to its best one
COVERAGE_POWER = 1.0  # a page that has all the words asked about beats one that has one of them often
# A title's head ends at its first preposition: "Aktindsigt for enhver" is about "aktindsigt";
# "Frister og klage i sager om aktindsigt" is about "frister og klage".
HEAD_END = frozenset({"af", "for", "i", "om", "efter", "over", "mellem", "ved", "på", "til", "med", "mod", "som"})
TOPIC_PAGE_WEIGHT = 1.5  # a page whose title's head (or a word filed for the page) the query names and nothing more


@dataclass(frozen=True)
class Opened:
    """Everything read from one index folder. Replaced as a whole on reindex, so a query that
    started on the old folder finishes on the old folder's arrays (docnums differ between folders)."""

    target: str
    ix: Any
    docs: list[tuple[str, str, str, str]]  # docnum -> (page, kind, chapter, the kind it counts as in the facet)
    stored: list[dict[str, Any]]  # docnum -> stored fields, read once: per hit they cost a third of a query
    scorer: PostingScorer
    builder: QueryBuilder
    glossary: Glossary
    titles: list[tuple[str, str, str, str]]  # type-ahead: (title, folded, url, kind)
    navigation: frozenset[str]  # pages that are only a title and links
    synonym_rules: list[Rule]
    summaries: dict[str, int]  # page -> docnum of its "Kort fortalt" (summary role) section
    topics: dict[str, list[frozenset[str]]]  # page -> stems of its title and of the words filed for the page
    headings: list[frozenset[str]]  # docnum -> stems of a section's own heading (and its negation), minus
    # title_stems (cases: none)
    vocab: dict[str, frozenset[str]]  # page -> the stems of all its words (text, title, lay language)
    title_stems: dict[str, frozenset[str]]  # page -> its title's stems and compound parts
    also_words: dict[str, list[tuple[str, frozenset[str]]]]  # page -> its "also called" words and their stems
    pages_with: dict[str, frozenset[str]]  # stem -> the pages whose vocab has it (``vocab`` inverted)
    applies: dict[int, tuple[tuple[int, float], ...]]  # case docnum -> (rule section docnum, share)
    cuts: list[Cut | None]  # docnum -> its text cut for snippets: ~25 per answer, each a regex otherwise
    roles: list[str]  # docnum -> its role ("" for pages)
    crumbs: list[tuple[str, ...]]  # docnum -> its breadcrumb, parsed once rather than per result
    headed: dict[str, tuple[int, ...]]  # page -> its rule and how-to sections (HEADED_ROLES)
    lines: list[tuple[tuple[frozenset[str], float], ...]]  # docnum -> each question filed under it: its
    # stems, title's less, and their summed rarity
    filed: dict[str, dict[frozenset[str], int]]  # page -> stems of an "also called" word filed under a section -> it
    rarity: dict[str, tuple[float, dict[str, float]]]  # page -> how well each word tells its sections apart


def open_index(target: str) -> Opened:
    """Open the index folder ``target`` and read what every query needs."""
    ix = index.open_dir(target)
    compound = ix.schema["compound"].analyzer
    meta = json.loads((Path(target) / META_FILE).read_text(encoding="utf-8"))
    rules = [Rule(tuple(a), tuple(b), o) for a, b, o in meta["synonyms"]]
    titles, docs, stored, with_sections = [], [], [], set()
    summaries: dict[str, int] = {}
    topics: dict[str, list[frozenset[str]]] = defaultdict(list)
    also_words: dict[str, list[tuple[str, frozenset[str]]]] = {}
    filed: dict[str, dict[frozenset[str], int]] = defaultdict(dict)  # page -> a section's word's stems -> it
    with ix.reader() as reader:
        for docnum, doc in reader.iter_docs():
            docs += [None] * (docnum + 1 - len(docs))
            stored += [None] * (docnum + 1 - len(stored))
            docs[docnum] = (doc["page"], doc["kind"], doc["chapter"], doc["kind"])
            stored[docnum] = doc
            if doc["kind"] == "page":
                titles.append((doc["label"], doc["label"].casefold(), "/" + doc["url"], "page"))
                also = [(w, frozenset(content_stems(w))) for w in json.loads(doc.get("also_called_words") or "[]")]
                also_words[doc["page"]] = also
                # The whole title, and its head if that is shorter ("Aktindsigt for enhver": "aktindsigt").
                topics[doc["page"]] += dict.fromkeys([frozenset(content_stems(doc["label"])), title_head(doc["label"])])
            else:
                with_sections.add(doc["page"])
                for w in json.loads(doc.get("also_called_words") or "[]"):
                    filed[doc["page"]][frozenset(content_stems(w))] = docnum
                if doc.get("role") == SUMMARY_ROLE and doc["page"] not in summaries:
                    summaries[doc["page"]] = docnum
        lengths = {name: [reader.doc_field_length(n, name, 1) for n in range(len(docs))]
                   for name, f in ix.schema.items() if f.scorable}
    # The words an editor filed for the whole page (not under one of its sections) name its topic, like
    # its title: asked for alone, "Kort fortalt" answers them ("habilitet").
    for page, also in also_words.items():
        topics[page] += [ws for _, ws in also if ws and ws not in filed.get(page, {})]
    # A page found through its own fields is shown by its "Kort fortalt", a section: it counts as that.
    docs = [(*d[:3], docs[summaries[d[0]]][1]) if d and d[1] == "page" and d[0] in summaries else d
            for d in docs]
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
    headings = [(frozenset(content_stems(d["label"])) - title_stems.get(d["page"], frozenset()))
                | NEGATIONS.intersection(words(d["label"]))
                if d and d["kind"] == "section" else frozenset() for d in stored]
    vocab = {page: frozenset(stems) for page, stems in meta.get("vocabulary", {}).items()}
    pages_with: dict[str, set[str]] = defaultdict(set)
    for page, stems in vocab.items():
        for st in stems:
            pages_with[st].add(page)
    by_id = {d["id"]: n for n, d in enumerate(stored) if d}
    applies = {by_id[case]: tuple((by_id[f"{case.split('#')[0]}#{a}"], share) for a, share in targets)
               for case, targets in meta.get("applies", {}).items() if case in by_id}
    roles = [d.get("role", "") if d else "" for d in stored]
    rarity = section_rarity(stored, roles)
    return Opened(target, ix, docs, stored, PostingScorer(lengths),
                  QueryBuilder(meta["laws"], SynonymTable(rules), meta.get("provision_words"),
                               analyzer_kinds(ix.schema, TEXT_FIELDS)),
                  Glossary(meta["glossary"]), titles, navigation, rules, summaries, dict(topics), headings,
                  vocab, title_stems, also_words, {st: frozenset(p) for st, p in pages_with.items()}, applies,
                  [cut(d.get("text", "")) if d else None for d in stored], roles,
                  [tuple(json.loads(d["breadcrumb"])) if d else () for d in stored], headed_sections(stored),
                  [question_lines(d, title_stems, rarity) for d in stored], dict(filed), rarity)


def title_head(title: str) -> frozenset[str]:
    """The stems of a title's words before its first preposition (see ``HEAD_END``)."""
    head = []
    for w in words(title):
        if w in HEAD_END:
            break
        head.append(w)
    return frozenset(content_stems(" ".join(head)))


def coverage(o: Opened, groups: list[list[frozenset[str]]], only: Iterable[str] | None = None) -> dict[str, float]:
    """Page -> the share of the content words asked about that it has (in some form), each word
    weighted by how few pages have it: "søgt" is on most pages, "søster" on few. ``only``: just
    these pages (the ones found), not all."""
    if not groups:
        return {}
    everywhere = frozenset(o.vocab)
    # A compound part the guidance never uses ("begæring" in "aktindsigtsbegæring") is left out of
    # its way; a word no page has in any way is left out altogether (it would zero every page alike).
    has = [pages for ways in groups
           if (pages := set().union(*(everywhere.intersection(*known) for way in ways
                                      if (known := [o.pages_with[st] for st in way if st in o.pages_with]))))]
    if not has:
        return {}
    weights = [log(1 + len(o.vocab) / (1 + len(pages))) for pages in has]
    total = sum(weights) or 1.0
    wanted = o.vocab if only is None else (p for p in only if p in o.vocab)
    return {p: sum(w for w, pages in zip(weights, has, strict=False) if p in pages) / total for p in wanted}


def no_results(q: str, closest: list[str]) -> str:
    """The notice for words the guidance does not use, with its closest words if it has any."""
    text = f"Ingen resultater for »{q}«."
    if closest:
        names = [f"»{w}«" for w in closest]
        listed = names[0] if len(names) == 1 else ", ".join(names[:-1]) + " eller " + names[-1]
        return f"{text} De nærmeste ord i vejledningen er {listed}."
    return f"{text} Tjek stavningen, eller prøv et andet eller bredere ord, fx »partshøring« eller »fvl § 19«."


def topic_pages(o: Opened, parsed: Parsed) -> set[str]:
    """The pages whose title (or a word filed for the whole page) the query names and nothing more, or
    a synonym of it names, where the page does not use the words typed ("whistleblowing")."""
    if not parsed.names:
        return set()
    own, *synonyms = parsed.names
    return {page for page, names in o.topics.items()
            if own in names or (not own <= o.vocab.get(page, frozenset()) and any(n in names for n in synonyms))}


def also_called(o: Opened, page_doc: dict[str, Any] | None, stems: frozenset[str]) -> list[str]:
    """The page's "also called" words that the query names."""
    if not page_doc:
        return []
    return [w for w, ws in o.also_words.get(page_doc["page"], ()) if ws and ws <= stems]


def mentions(text: str, names: list[str], pre: Cut | None = None) -> bool:
    """Whether ``text`` uses any of ``names``' words."""
    return "<mark>" in snippet(text, frozenset(w for n in names for w in content_stems(n)), pre=pre)


def result(o: Opened, page: str, g: dict, marks: Marks) -> dict[str, Any]:
    shown = g["records"][:4]
    records = [o.stored[n] for n in shown]
    page_doc = o.stored[g["page_doc"]] if g["page_doc"] is not None else None
    best = records[0] if records else page_doc
    best_cut = o.cuts[shown[0] if shown else g["page_doc"]]
    if best is None:  # a group is made by a matching record or page: this would be an indexing bug
        raise LookupError(f"search result for page {page!r} has neither a record nor a page document")
    breadcrumb = list(o.crumbs[shown[0] if shown else g["page_doc"]])
    fallback = (page_doc or {}).get("summary_text", "")
    text = snippet(best["text"], marks, fallback, best_cut)
    also = also_called(o, page_doc, marks.stems)
    return {
        "page": page, "anchor": best["anchor"], "url": "/" + best["url"],
        "title": page_doc["label"] if page_doc else breadcrumb[0],
        "breadcrumb": breadcrumb, "snippet": text,
        "kind": best["kind"], "role": best.get("role", ""), "score": round(g["score"], 3),
        # Found through an everyday word the text does not use: say so ("Også kaldet: agterskrivelse").
        "also_called": also if also and not mentions(best["text"], also, best_cut) else [],
        "sections": [{"anchor": r["anchor"], "title": r["label"],
                      "snippet": snippet(r["text"], marks, pre=o.cuts[n]), "kind": r["kind"],
                      "role": r.get("role", "")} for n, r in zip(shown[1:], records[1:], strict=True)],
    }


def page_score(scores: list[float]) -> float:
    """A page's score: its best record, plus a little for every further record that matches."""
    top = sorted(scores, reverse=True)
    return top[0] + PAGE_SPREAD * sum(top[1:6])
