"""Build the Whoosh index from the guidance export, beside the live one, and switch atomically."""

from __future__ import annotations

import json
import os
import shutil
import tempfile
import time
from collections import defaultdict
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from whoosh import fields, index
from whoosh.analysis import KeywordAnalyzer

from klarret.export import RECORDS_FILE, Citation, Record, export_dir, iter_records, read_laws
from search import synonyms
from search.analysis import (
    STOP_WORDS,
    compound_analyzer,
    content_stems,
    danish_analyzer,
    phrase_key,
    plain_analyzer,
    stem,
    vocabulary,
    words,
)
from search.applies import applied_rules
from search.citations import CitationParser, index_tokens, law_tokens, provision_words

GLOSSARY_PAGE = "ordliste"
NAVIGATION_ROLE = "see-also"  # lists other pages' titles: it would rank this page for them
RULE_ROLE = "rule"
BROAD_SHARE = 0.2
META_FILE = "klarret-search.json"  # law table, glossary and synonym rules, beside the Whoosh files
KEEP_OLD = 1  # previous index folders kept for workers that still read them


def schema(wordset: set[str]) -> fields.Schema:
    """Fields and boosts (BM25F): title, headings, summary, glossary terms and citations weigh most."""
    da = danish_analyzer()
    compound = compound_analyzer(wordset)
    keyword = KeywordAnalyzer(lowercase=True)
    return fields.Schema(
        id=fields.ID(stored=True, unique=True),
        kind=fields.ID(stored=True),
        page=fields.ID(stored=True),
        chapter=fields.ID(stored=True),
        anchor=fields.STORED(),
        url=fields.STORED(),
        breadcrumb=fields.STORED(),
        summary_text=fields.STORED(),
        label=fields.STORED(),  # the heading shown: a page's title or a section's heading
        role=fields.STORED(),  # the section's role in the content schema (export), "" for pages
        also_called_words=fields.STORED(),  # a page's "also called" words, to say so in its result
        # A page's title weighs most; a section's own heading and the headings above it less.
        title=fields.TEXT(analyzer=da, field_boost=4.0),
        headings=fields.TEXT(analyzer=da, field_boost=2.0),
        summary=fields.TEXT(analyzer=da, field_boost=3.0),
        terms=fields.TEXT(analyzer=da, field_boost=3.0),
        # A page's lay language (front matter): its "also called" words count like its title,
        # the questions case workers bring to it like its text, but as a field of their own.
        also=fields.KEYWORD(analyzer=keyword, scorable=True, field_boost=4.0),  # whole phrases, see phrase_key
        questions=fields.TEXT(analyzer=da, field_boost=4.0, stored=True),
        qcompound=fields.TEXT(analyzer=compound, field_boost=0.5),
        text=fields.TEXT(analyzer=da, stored=True, chars=True),
        # Compounds split into the guidance's own words: "klagefrist" meets "frist for klage".
        compound=fields.TEXT(analyzer=compound, field_boost=0.5),
        tcompound=fields.TEXT(analyzer=compound, field_boost=2.0),
        citations=fields.KEYWORD(analyzer=keyword, scorable=True, field_boost=6.0),
        # The provisions a page's rule sections state: that page is where the rule lives.
        rule=fields.KEYWORD(analyzer=keyword, scorable=True, field_boost=6.0),
        # The provisions a section's own text states ("står i § 19"): the section a citation query wants.
        stated=fields.KEYWORD(analyzer=keyword, scorable=True, field_boost=3.0),
        spell=fields.TEXT(analyzer=plain_analyzer(), spelling=True),
    )


def term_definition(r: Record) -> str:
    """A glossary entry's definition without its trailing "Læs mere: …" link text."""
    return " ".join(r.text.split("Læs mere:")[0].split())


def documents(records: list[Record]) -> Iterator[dict[str, Any]]:
    """One index document per page, section and case (glossary terms feed the page they point to)."""
    terms: dict[str, list[str]] = defaultdict(list)
    rules: dict[str, list[Citation]] = defaultdict(list)
    navigation: dict[str, list[str]] = defaultdict(list)
    for r in records:
        if r.kind == "section" and r.role == NAVIGATION_ROLE and r.text:
            navigation[r.page].append(r.text)
        if r.kind == "term":
            terms[r.page].append(r.title)
        elif r.kind == "section" and r.role == RULE_ROLE:
            rules[r.page] += r.states  # stated there, not only referred to (", jf. art. 33")
    for r in records:
        if r.kind == "term" or r.page == GLOSSARY_PAGE:
            continue  # the glossary is the term box, not a result
        if r.kind == "section" and r.role == NAVIGATION_ROLE:
            continue  # "Se også" lists other pages' titles: it would rank this page for them
        page = r.kind == "page"
        text = r.text
        for nav in navigation.get(r.page, []) if page else []:
            text = text.replace(nav, " ")
        own_terms = " ".join(terms.get(r.page, [])) if page else ""
        also = r.also_called  # a section: the words its page files under it
        questions = "\n".join(r.questions)  # a section: the lines its page files under it
        yield {
            "id": r.id, "kind": r.kind, "page": r.page, "chapter": r.chapter, "anchor": r.anchor,
            "url": r.url, "breadcrumb": json.dumps(r.breadcrumb, ensure_ascii=False),
            "summary_text": r.summary, "label": r.title, "title": r.title if page else "",
            "role": r.role, "also_called_words": json.dumps(also, ensure_ascii=False),
            "also": " ".join(phrase_key(w) for w in also), "questions": questions, "qcompound": questions,
            "headings": " ".join(r.breadcrumb[1:] if page else r.breadcrumb), "summary": r.summary, "terms": own_terms,
            "text": text, "compound": text, "tcompound": f"{r.title} {own_terms}",
            "citations": " ".join(index_tokens(r.citations)), "stated": " ".join(index_tokens(r.states)),
            "rule": " ".join(law_tokens(rules.get(r.page, []))) if page else "",
            "spell": "\n".join([r.title, text, *also, questions]),
        }


def page_vocabulary(records: list[Record], compound) -> dict[str, list[str]]:
    """Page id -> the stems of all its words and of their compounds' parts (text with cases, title,
    summary, lay language): which of a query's words a page has, in some form."""
    out = {}
    for r in records:
        if r.kind == "page" and r.page != GLOSSARY_PAGE:
            text = "\n".join([r.title, r.summary, r.text, *r.questions, *r.also_called])
            out[r.page] = sorted(set(content_stems(text)) | {t.text for t in compound(text)})
    return out


def page_stems(records: list[Record]) -> list[set[str]]:
    """The stems of each topic page's words."""
    return [{stem(w) for w in words(r.text)} for r in records if r.kind == "page" and r.page != GLOSSARY_PAGE]


def specific(variants: list[str], pages: list[set[str]]) -> list[str]:
    """The variants that are not everyday words of the guidance: a one-word variant found on more
    than BROAD_SHARE of the pages ("afslag", "vejledning") finds those pages itself, and searching
    the glossary term too would only pull unrelated pages up."""
    out = []
    for v in variants:
        vw = [w for w in words(v) if w not in STOP_WORDS]
        if len(vw) == 1 and sum(stem(vw[0]) in ps for ps in pages) > BROAD_SHARE * len(pages):
            continue
        out.append(v)
    return out


def topic_words(records: list[Record], laws: dict[str, dict[str, Any]]) -> dict[str, list]:
    """Title and glossary words the guidance writes before each provision (see ``provision_words``)."""
    keep = {stem(w) for r in records if r.kind in ("page", "term")
            for name in (r.title, *r.variants) for w in words(name) if w not in STOP_WORDS}
    texts = (r.text for r in records if r.kind in ("section", "case"))
    return provision_words(texts, CitationParser(laws), stem, keep)


def glossary(records: list[Record]) -> list[dict[str, Any]]:
    """The glossary for the term box and type-ahead: term, variants, definition, links."""
    return [{"term": r.title, "variants": r.variants, "definition": term_definition(r),
             "url": r.url, "page": r.page} for r in records if r.kind == "term"]


def build_index(html_dir: str | Path, index_dir: str | Path, echo=print,
                synonym_file: Path = synonyms.SYNONYMS_FILE, extra_words: dict[str, list[str]] | None = None) -> int:
    """Index the export in ``html_dir`` into a new folder, then point ``index_dir`` at it;
    ``extra_words`` are editors' "also called" words by page id (merged with the front matter's)."""
    records = list(iter_records(export_dir(html_dir) / RECORDS_FILE))
    for r in records:
        if r.kind == "page" and extra_words and extra_words.get(r.page):
            r.also_called = list(dict.fromkeys([*r.also_called, *extra_words[r.page]]))
    laws = read_laws(html_dir)
    gloss = glossary(records)
    stems = page_stems(records)
    # The editors' file first: a malformed line fails the build before any work is done.
    rules = [*synonyms.read_file(synonym_file),
             *synonyms.glossary_rules((g["term"], specific(g["variants"], stems)) for g in gloss),
             *synonyms.law_rules(laws)]
    index_dir = Path(index_dir)
    parent = index_dir.parent
    parent.mkdir(parents=True, exist_ok=True)
    # A unique new folder beside the live one; sorting by name keeps build order.
    new = Path(tempfile.mkdtemp(prefix=f"{index_dir.name}-{time.strftime('%Y%m%d%H%M%S')}-", dir=parent))
    try:
        wordset = vocabulary([r.title for r in records] + [r.text for r in records])
        ix = index.create_in(str(new), schema(wordset))
        writer = ix.writer(limitmb=128)
        n = 0
        for n, doc in enumerate(documents(records), 1):
            writer.add_document(**doc)
            if n % 500 == 0:
                echo(f"  {n} poster indekseret …")
        writer.commit()
        meta = {"laws": laws, "glossary": gloss, "synonyms": [r.to_json() for r in rules],
                "vocabulary": page_vocabulary(records, compound_analyzer(wordset)),
                "provision_words": topic_words(records, laws), "applies": applied_rules(records, RULE_ROLE)}
        (new / META_FILE).write_text(json.dumps(meta, ensure_ascii=False), encoding="utf-8")
    except BaseException:
        shutil.rmtree(new, ignore_errors=True)
        raise
    _switch(index_dir, new)
    echo(f"  Søgeindeks med {n} poster klar i {new.name}.")
    return n


def _switch(link: Path, target: Path) -> None:
    """Atomically point ``link`` at ``target`` (a symlink swap) and prune old index folders."""
    tmp = link.with_name(link.name + ".new")
    if tmp.is_symlink() or tmp.exists():
        tmp.unlink()
    tmp.symlink_to(target.name)
    if link.exists() and not link.is_symlink():
        shutil.rmtree(link)  # an index from before symlinked folders
    os.replace(tmp, link)
    old = sorted(p for p in link.parent.glob(f"{link.name}-*") if p != target and p.is_dir())
    for p in old[:-KEEP_OLD] if KEEP_OLD else old:
        shutil.rmtree(p, ignore_errors=True)
