"""Build the Whoosh index from the guidance export, beside the live one, and switch atomically."""

from __future__ import annotations

import json
import os
import shutil
import tempfile
import time
from pathlib import Path

from whoosh import fields, index
from whoosh.analysis import KeywordAnalyzer

from klarret.export import RECORDS_FILE, Citation, Record, export_dir, iter_records, read_laws
from search.analysis import compound_analyzer, danish_analyzer, plain_analyzer, vocabulary

GLOSSARY_PAGE = "ordliste"
KEEP_OLD = 1  # previous index folders kept for workers that still read them


def schema(wordset: set[str]) -> fields.Schema:
    """Fields and boosts (BM25F): title, headings, summary, glossary terms and citations weigh most."""
    da = danish_analyzer()
    return fields.Schema(
        id=fields.ID(stored=True, unique=True),
        kind=fields.ID(stored=True),
        page=fields.ID(stored=True),
        chapter=fields.ID(stored=True),
        anchor=fields.STORED(),
        url=fields.STORED(),
        breadcrumb=fields.STORED(),
        summary_text=fields.STORED(),
        title=fields.TEXT(analyzer=da, stored=True, field_boost=4.0),
        headings=fields.TEXT(analyzer=da, field_boost=2.0),
        summary=fields.TEXT(analyzer=da, field_boost=1.5),
        terms=fields.TEXT(analyzer=da, field_boost=3.0),
        text=fields.TEXT(analyzer=da, stored=True, chars=True),
        compound=fields.TEXT(analyzer=compound_analyzer(wordset), field_boost=0.5),
        citations=fields.KEYWORD(analyzer=KeywordAnalyzer(lowercase=True), scorable=True, field_boost=6.0),
        spell=fields.TEXT(analyzer=plain_analyzer(), spelling=True),
        suggest=fields.TEXT(analyzer=plain_analyzer(), stored=False),
    )


def citation_tokens(citations: list[Citation]) -> list[str]:
    """Keyword tokens for cited provisions: law, law:§, law:§:stk (ranges expanded to each §)."""
    out: set[str] = set()
    for c in citations:
        out.add(c.law)
        pars = [c.par]
        if c.par_to is not None and c.par.isdigit() and c.par_to.isdigit() and int(c.par_to) - int(c.par) < 100:
            pars = [str(p) for p in range(int(c.par), int(c.par_to) + 1)]
        for par in pars:
            p = par.replace(" ", "")
            out.add(f"{c.law}:{p}")
            out.add(f"§{p}")
            if c.stk is not None:
                out.add(f"{c.law}:{p}:{c.stk}")
    return sorted(out)


def document(r: Record) -> dict:
    """One index document for one export record."""
    text = r.text
    return {
        "id": r.id, "kind": r.kind, "page": r.page, "chapter": r.chapter, "anchor": r.anchor,
        "url": r.url, "breadcrumb": json.dumps(r.breadcrumb, ensure_ascii=False),
        "summary_text": r.summary, "title": r.title,
        "headings": " ".join(r.breadcrumb[:-1]), "summary": r.summary,
        "terms": " ".join([r.title, *r.variants]) if r.kind == "term" else "",
        "text": text, "compound": f"{r.title} {text}",
        "citations": " ".join(citation_tokens(r.citations)),
        "spell": f"{r.title} {text}", "suggest": r.title if r.kind in ("page", "term") else "",
    }


def build_index(html_dir: str | Path, index_dir: str | Path, echo=print) -> int:
    """Index the export in ``html_dir`` into a new folder, then point ``index_dir`` at it."""
    # The glossary page itself is not a result: its entries are indexed one by one as terms.
    records = [r for r in iter_records(export_dir(html_dir) / RECORDS_FILE)
               if r.kind == "term" or r.page != GLOSSARY_PAGE]
    laws = read_laws(html_dir)
    index_dir = Path(index_dir)
    parent = index_dir.parent
    parent.mkdir(parents=True, exist_ok=True)
    # A unique new folder beside the live one; sorting by name keeps build order.
    new = Path(tempfile.mkdtemp(prefix=f"{index_dir.name}-{time.strftime('%Y%m%d%H%M%S')}-", dir=parent))
    wordset = vocabulary(r.text for r in records)
    ix = index.create_in(str(new), schema(wordset))
    writer = ix.writer(limitmb=128)
    for i, r in enumerate(records, 1):
        writer.add_document(**document(r))
        if i % 500 == 0:
            echo(f"  {i}/{len(records)} poster indekseret …")
    writer.commit()
    (new / "laws.json").write_text(json.dumps(laws, ensure_ascii=False), encoding="utf-8")
    _switch(index_dir, new)
    echo(f"  Søgeindeks med {len(records)} poster klar i {new.name}.")
    return len(records)


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
