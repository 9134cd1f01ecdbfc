"""Collect pages, sections, case examples and glossary terms; write them as JSON Lines at build end.

An EnvironmentCollector keeps each document's records in the pickled environment, so incremental
and parallel (-j) builds still export every page.
"""

from __future__ import annotations

import json
import re
from pathlib import PurePosixPath
from typing import Any

from docutils import nodes
from sphinx import addnodes
from sphinx.application import Sphinx
from sphinx.environment import BuildEnvironment
from sphinx.environment.collectors import EnvironmentCollector
from sphinx.util import docname_join, logging

from klarret.export import LAWS_FILE, RECORDS_FILE, Citation, Record, export_dir, write_records
from klarret.sphinxext.schema import (
    ALSO_CALLED_KEY,
    PAGE_KEY,
    QUESTIONS_KEY,
    by_section,
    inherited_role,
    stating,
)

logger = logging.getLogger(__name__)

SKIP = (nodes.system_message, nodes.problematic, nodes.raw, nodes.comment, nodes.substitution_definition,
        addnodes.toctree, addnodes.index, nodes.title, nodes.target)
CHAPTER_PREFIX = "kapitel-"


def _skip(node: nodes.Node) -> bool:
    return isinstance(node, SKIP) or "klarret-case-kind" in getattr(node, "get", lambda *_: ())("classes", ())


def _implicit_link(node: nodes.Node) -> str | None:
    """An implicit {doc}/{ref} link still shows its target here; mark it to be titled at export time."""
    if isinstance(node, addnodes.pending_xref) and not node.get("refexplicit") and \
            node.get("reftype") in ("doc", "ref"):
        target = node["reftarget"]
        if node["reftype"] == "doc":
            target = docname_join(node.get("refdoc", ""), target)
        return f"\x00{node['reftype']}:{target}\x00"
    return None


def plain_text(node: nodes.Node, stop: tuple[type, ...] = (), cases: bool = False) -> str:
    """Plain text of a node, leaving out markup, messages, nested ``stop`` nodes and (unless
    ``cases``) case examples, which are records of their own."""
    out: list[str] = []

    def walk(n: nodes.Node) -> None:
        if _skip(n) or (stop and isinstance(n, stop) and n is not node) or \
                (not cases and _is_case(n) and n is not node):
            return
        link = _implicit_link(n)
        if link is not None:
            out.append(link)
            return
        if isinstance(n, nodes.Text):
            out.append(str(n))
            return
        for child in n.children:
            walk(child)
        if isinstance(n, (nodes.paragraph, nodes.rubric, nodes.list_item, nodes.term, nodes.title)):
            out.append("\n")

    walk(node)
    return re.sub(r"[ \t]*\n\s*", "\n", re.sub(r"[ \t]+", " ", "".join(out))).strip()


def _own_elements(node: nodes.Element, stop: tuple[type, ...]):
    """The elements under ``node``, not descending into nested ``stop`` nodes or case examples."""
    yield node
    for child in node.children:
        if isinstance(child, nodes.Element) and not (stop and isinstance(child, stop)) and \
                not (stop and _is_case(child)):
            yield from _own_elements(child, stop)


def _is_case(node: nodes.Node) -> bool:
    return isinstance(node, nodes.Element) and "klarret_case" in node


def _citations(node: nodes.Node, stop: tuple[type, ...] = ()) -> list[Citation]:
    seen, out = set(), []
    for n in _own_elements(node, stop):
        for c in n.get("klarret_citations", ()):
            cit = Citation(**c)
            if cit not in seen:
                seen.add(cit)
                out.append(cit)
    return out


def _stated(node: nodes.Node, stop: tuple[type, ...]) -> list[Citation]:
    """The provisions a section's own text states ("Reglen står i § 19", "Efter § 22 …"), not
    those it only refers to (", jf. § 32") or a case example applies."""
    seen, out = set(), []
    for n in _own_elements(node, stop):
        if not n.get("klarret_citations") or not isinstance(n.parent, nodes.Element):
            continue
        siblings = n.parent.children
        i = siblings.index(n)
        # The text before it in its paragraph: MyST keeps a soft line break as a node of its own.
        before = "".join(sib.astext() for sib in siblings[max(0, i - 3):i])
        if not stating(before):
            continue
        for c in n["klarret_citations"]:
            cit = Citation(**c)
            if cit not in seen:
                seen.add(cit)
                out.append(cit)
    return out


def _anchor(section: nodes.Element, page: str) -> str:
    """Prefer the editor's explicit label (<page>-<name>) over the generated heading id."""
    ids = section.get("ids", [])
    for i in ids:
        if i.startswith(page + "-") or i == page:
            return i
    return ids[0] if ids else ""


def _metadata_list(value: Any) -> list[str]:
    if isinstance(value, list):
        return [str(v) for v in value]
    if isinstance(value, str) and value.strip().startswith("["):
        try:
            return [str(v) for v in json.loads(value)]
        except ValueError:
            pass
    return [v.strip() for v in str(value or "").split(",") if v.strip()]


class ExportCollector(EnvironmentCollector):
    """Keeps ``env.klarret_records[docname]``: the export records of each document."""

    def clear_doc(self, app: Sphinx, env: BuildEnvironment, docname: str) -> None:
        getattr(env, "klarret_records", {}).pop(docname, None)

    def merge_other(self, app: Sphinx, env: BuildEnvironment, docnames: set[str],
                    other: BuildEnvironment) -> None:
        store = _store(env)
        for docname in docnames:
            if docname in getattr(other, "klarret_records", {}):
                store[docname] = other.klarret_records[docname]

    def process_doc(self, app: Sphinx, doctree: nodes.document) -> None:
        env = app.env
        docname = env.docname
        page = PurePosixPath(docname).name
        url = app.builder.get_target_uri(docname) if hasattr(app.builder, "get_target_uri") else docname + ".html"
        meta = env.metadata.get(docname, {})
        title = env.titles[docname].astext() if docname in env.titles else page
        asked = by_section(meta.get(QUESTIONS_KEY), page)
        called = by_section(meta.get(ALSO_CALLED_KEY), page)  # the same shape: per section or not
        records = [Record(
            id=page, kind="page", page=page, anchor="", url=url, title=title, breadcrumb=[title],
            chapter="", text=plain_text(doctree, cases=True), citations=_citations(doctree),
            summary=str(meta.get("summary", "")), reviewed=str(meta.get("reviewed", "")),
            administrations=_metadata_list(meta.get("administrations")), docname=docname,
            questions=[line for lines in asked.values() for line in lines],
            also_called=[word for words in called.values() for word in words],
        )]
        for section in doctree.findall(nodes.section):
            crumbs = [s[0].astext() for s in _ancestors(section)]
            if len(crumbs) < 2:  # the page title itself
                continue
            anchor = _anchor(section, page)
            records.append(Record(
                id=f"{page}#{anchor}", kind="section", page=page, anchor=anchor, url=f"{url}#{anchor}",
                title=crumbs[-1], breadcrumb=crumbs, chapter="",
                text=plain_text(section, stop=(nodes.section,)),
                citations=_citations(section, stop=(nodes.section,)), docname=docname,
                role=_role(page, section), states=_stated(section, (nodes.section,)),
                questions=asked.pop(anchor, []), also_called=called.pop(anchor, []),
            ))
        for case in doctree.findall(_is_case):
            info = case["klarret_case"]
            parent = next((s for s in _ancestors(case)), None)
            crumbs = [s[0].astext() for s in _ancestors(case)] if parent is not None else [title]
            records.append(Record(
                id=f"{page}#{info['id']}", kind="case", page=page, anchor=info["id"],
                url=f"{url}#{info['id']}", title=info["title"], breadcrumb=crumbs + [info["title"]],
                chapter="", text=plain_text(case), citations=_citations(case), docname=docname,
                role="case",
            ))
        for key, left in ((QUESTIONS_KEY, asked), (ALSO_CALLED_KEY, called)):
            for anchor in set(left) - {""}:  # filed under a section the page does not have
                logger.warning("%s: »%s« er ikke et afsnit på siden (intet mærke (%s)=). Skriv et af sidens "
                               "afsnitsmærker uden »%s-« foran, fx »reglen«, eller »%s« for hele siden.", key,
                               anchor[len(page) + 1:], anchor, page, PAGE_KEY, location=docname)
        records.extend(_terms(doctree, page, url, title, docname))
        _store(env)[docname] = records


def _role(page: str, section: nodes.section) -> str:
    """The section's role in the content schema (inherited from the section it belongs to)."""
    return inherited_role(page, [(s.get("ids", []), s[0].astext()) for s in _ancestors(section)])


def _ancestors(node: nodes.Node) -> list[nodes.section]:
    out = []
    n = node if isinstance(node, nodes.section) else node.parent
    while n is not None:
        if isinstance(n, nodes.section):
            out.append(n)
        n = n.parent
    return list(reversed(out))


def _terms(doctree: nodes.document, page: str, url: str, title: str, docname: str) -> list[Record]:
    """One record per glossary entry: its first term, its variants and the page that explains it."""
    out = []
    for glossary in doctree.findall(addnodes.glossary):
        for item in glossary.findall(nodes.definition_list_item):
            terms = [t for t in item.children if isinstance(t, nodes.term)]
            definition = next((d for d in item.children if isinstance(d, nodes.definition)), None)
            if not terms or definition is None:
                continue
            names = [plain_text(t) for t in terms]
            anchor = terms[0]["ids"][0] if terms[0]["ids"] else ""
            target = next((x["reftarget"] for x in definition.findall(addnodes.pending_xref)
                           if x.get("reftype") == "doc"), "")
            best = PurePosixPath(target).name if target else page
            out.append(Record(
                id=f"{page}#{anchor}", kind="term", page=best, anchor=anchor, url=f"{url}#{anchor}",
                title=names[0], breadcrumb=[title, names[0]], chapter="", text=plain_text(definition),
                variants=names[1:], docname=docname,
            ))
    return out


def _store(env: BuildEnvironment) -> dict[str, list[Record]]:
    if not hasattr(env, "klarret_records"):
        env.klarret_records = {}
    return env.klarret_records


def _chapters(env: BuildEnvironment) -> dict[str, str]:
    """Docname -> chapter title, from the chapter overview pages (kapitel-*) and their toctrees."""
    out: dict[str, str] = {}
    for parent, children in env.toctree_includes.items():
        if PurePosixPath(parent).name.startswith(CHAPTER_PREFIX):
            chapter = env.titles[parent].astext()
            out[parent] = chapter
            for child in children:
                out[child] = chapter
    return out


_LINK = re.compile("\x00(doc|ref):([^\x00]*)\x00")


def _resolve_links(env: BuildEnvironment, record: Record) -> Record:
    """Replace implicit-link markers with the linked page's or section's title."""
    labels = env.get_domain("std").labels

    def title(m: re.Match) -> str:
        kind, target = m.groups()
        if kind == "doc":
            return env.titles[target].astext() if target in env.titles else ""
        return labels.get(target.lower(), ("", "", ""))[2]

    record.text = _LINK.sub(title, record.text)
    return record


def check_unique_page_ids(app: Sphinx, env: BuildEnvironment) -> None:
    """Page ids are file stems: two pages with the same stem would collide in search and quizzes."""
    seen: dict[str, str] = {}
    for docname in sorted(env.found_docs):
        stem = PurePosixPath(docname).name
        if stem in seen:
            logger.error("Side-id'et '%s' findes to gange: %s og %s. Giv den ene fil et andet navn.",
                         stem, seen[stem], docname, location=docname)
        seen[stem] = docname


def write_export(app: Sphinx, exception: Exception | None) -> None:
    """At build end, write records.jsonl and laws.json into <outdir>/export/."""
    if exception is not None or app.builder.format != "html":
        return
    env = app.env
    chapters = _chapters(env)
    store = _store(env)

    def records():
        for docname in sorted(store):
            if docname not in env.found_docs:
                continue
            for r in store[docname]:
                r.chapter = chapters.get(docname, "")
                yield r

    out = export_dir(app.outdir)
    n = write_records(out / RECORDS_FILE, (_resolve_links(env, r) for r in records()))
    (out / LAWS_FILE).write_text(json.dumps(app.config.klarret_laws, ensure_ascii=False, indent=1),
                                 encoding="utf-8")
    logger.info("klarret: eksporterede %d poster til %s", n, out / RECORDS_FILE)


def setup_export(app: Sphinx) -> None:
    """Register the collector, the page-id check and the export writer."""
    app.add_env_collector(ExportCollector)
    app.connect("env-check-consistency", check_unique_page_ids)
    app.connect("build-finished", write_export)
