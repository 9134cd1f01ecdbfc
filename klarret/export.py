"""The guidance export: the record schema shared by the Sphinx build, search and quizzes.

The build writes ``<build dir>/export/records.jsonl`` (one JSON object per line) and
``<build dir>/export/laws.json`` (the citation table from ``conf.py``). This module is the only
coupling between the build and the features: they read the export, never Sphinx's internals.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from klarret import legal

EXPORT_DIR = "export"
RECORDS_FILE = "records.jsonl"
LAWS_FILE = "laws.json"
# The PDFs (`klarret pdf`) sit beside the HTML; the extension links every page to its own.
PDF_DIR = "_pdf"
GUIDE_PDF = f"{PDF_DIR}/klarret.pdf"
KINDS = ("page", "section", "case", "term")
# A section's role on its page (the extension's content schema assigns it; "" if none applies).
ROLES = ("summary", "rule", "how-to", "mistakes", "case", "see-also")


@dataclass(frozen=True)
class Citation:
    """One cited provision: law key, paragraph (or article), optional range end, stk. and nr."""

    law: str
    par: str
    par_to: str | None = None
    stk: int | None = None
    nr: str | None = None

    def covers(self, par: str) -> bool:
        """Whether this citation's paragraph (or range) includes paragraph ``par``."""
        return legal.covers(self.par, self.par_to, par)


@dataclass
class Record:
    """One searchable unit of the guidance: a page, a section, a case example or a glossary term."""

    id: str
    kind: str
    page: str
    anchor: str
    url: str
    title: str
    breadcrumb: list[str]
    chapter: str
    text: str
    citations: list[Citation] = field(default_factory=list)
    summary: str = ""
    reviewed: str = ""
    administrations: list[str] = field(default_factory=list)
    variants: list[str] = field(default_factory=list)
    docname: str = ""
    role: str = ""  # one of ROLES for sections and cases
    states: list[Citation] = field(default_factory=list)  # section: provisions its own text states
    questions: list[str] = field(default_factory=list)  # page (all) and section (its own): `spørgsmål:`
    also_called: list[str] = field(default_factory=list)  # page (all) and section (its own): `ogsaa_kaldet:`

    def to_json(self) -> dict[str, Any]:
        """The record as a JSON-ready dict (page-only fields left out of other kinds)."""
        data = asdict(self)
        if self.kind != "page":
            for key in ("summary", "reviewed", "administrations"):
                data.pop(key)
            for key in ("questions", "also_called"):  # a section's own lines, if the page files any there
                if not data[key]:
                    data.pop(key)
        if self.kind != "term":
            data.pop("variants")
        if self.kind in ("page", "term"):
            data.pop("role")
        if self.kind != "section":
            data.pop("states")
        return data

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Record:
        """Build a record from one line of the export."""
        data = dict(data)
        data["citations"] = [Citation(**c) for c in data.get("citations", [])]
        data["states"] = [Citation(**c) for c in data.get("states", [])]
        return cls(**data)


def export_dir(build_dir: str | Path) -> Path:
    """The export folder inside a Sphinx HTML build directory."""
    return Path(build_dir) / EXPORT_DIR


def pdf_file(docname: str) -> str:
    """A page's PDF, relative to the HTML root ('grundlag/hjemmel' -> '_pdf/grundlag/hjemmel.pdf')."""
    return f"{PDF_DIR}/{docname}.pdf"


def write_records(path: str | Path, records: Iterable[Record]) -> int:
    """Write records as JSON Lines, atomically; return how many were written."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".tmp")
    n = 0
    with tmp.open("w", encoding="utf-8") as f:
        for record in records:
            f.write(json.dumps(record.to_json(), ensure_ascii=False) + "\n")
            n += 1
    tmp.replace(path)
    return n


def iter_records(path: str | Path) -> Iterator[Record]:
    """Read the records of an export file."""
    path = Path(path)
    if not path.exists():
        raise FileNotFoundError(
            f"No guidance export at {path}. Build the guidance first: `klarret build`."
        )
    with path.open(encoding="utf-8") as f:
        for line in f:
            if line.strip():
                yield Record.from_json(json.loads(line))


def read_laws(build_dir: str | Path) -> dict[str, dict[str, Any]]:
    """The citation table (law key -> name, genitive, url, aliases) written by the build."""
    path = export_dir(build_dir) / LAWS_FILE
    if not path.exists():
        raise FileNotFoundError(f"No law table at {path}. Build the guidance first: `klarret build`.")
    return json.loads(path.read_text(encoding="utf-8"))


def anchors(records: Iterable[Record]) -> dict[str, set[str]]:
    """Page id -> the anchors that exist on it (the empty string stands for the page itself)."""
    out: dict[str, set[str]] = {}
    for r in records:
        if r.kind == "term":
            out.setdefault("ordliste", {""}).add(r.anchor)
            continue
        out.setdefault(r.page, {""}).add(r.anchor)
    return out
