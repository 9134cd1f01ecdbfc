"""Content checks and the editors' report: sections, cases, citations, LIX, review dates, uncertain facts."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from types import SimpleNamespace

import click
from flask import Flask

from klarret import clock, settings
from klarret.dates import long_date
from klarret.export import RECORDS_FILE, Record, export_dir, iter_records, read_laws
from klarret.guidance.editorial import USIKKER, uncertain_marks
from klarret.legal import CitationError, parse_reference
from klarret.registry import registry

# The catalogue's 34 topics and the manager's page (page id = file stem), each with the same five sections.
TOPICS = (
    "hjemmel", "skoen-saglighed", "afgoerelsesbegrebet", "inhabilitet", "god-forvaltningsskik",
    "ligebehandling", "vejledning", "helhedsvurdering", "partsrepraesentation", "sagsoplysning",
    "partshoering", "notatpligt-journalisering", "sagsbehandlingstid", "meddelelse", "begrundelse",
    "klagevejledning", "genvurdering", "genoptagelse", "klagebehandling", "ugyldighed-tilsyn",
    "partsaktindsigt", "aktindsigt-offl", "aktindsigt-frister", "indsigtsret-gdpr", "tavshedspligt",
    "videregivelse", "databeskyttelse", "ytringsfrihed", "whistleblowing", "borgerraadgiveren",
    "it-krav", "automatiske-afgoerelser", "ai-beslutningsstoette", "digital-kommunikation",
    "lederens-ansvar",
)
SECTIONS = {"kort": "Kort fortalt", "reglen": "Reglen", "saadan": "Sådan gør du", "fejl": "Typiske fejl",
            "sager": "Sagseksempler"}
LIX_LIMIT = 50
# Abbreviations after which a full stop does not end a sentence (LIX).
ABBREVIATIONS = ("stk", "nr", "pkt", "jf", "fx", "f.eks", "bl.a", "art", "kap", "ca", "evt", "mv", "mm",
                 "dvs", "osv", "pga", "inkl", "ift", "vedr", "m.fl", "fvl", "offl", "rsl", "dbl", "sel", "bl",
                 "strfl", "kstyrl", "ombl", "wbl", "lbk", "bek", "vej", "jan", "feb", "aug", "sep", "okt",
                 "nov", "dec", "hhv", "tlf")
_ABBR = frozenset(ABBREVIATIONS)
_END = re.compile(r"[.!?:](?=\s)")
_WORD = re.compile(r"[^\W\d_]+")



def lix(text: str) -> tuple[float, int, int]:
    """(LIX, words, sentences): words per sentence + percentage of words longer than six letters."""
    words = _WORD.findall(text)
    if not words:
        return 0.0, 0, 0
    body = re.sub(r"\s+", " ", text.strip()) + " "
    sentences = 0
    for m in _END.finditer(body):
        before = body[:m.start()].rsplit(" ", 1)[-1].lstrip("(»\"'").lower()
        after = body[m.end():m.end() + 2].strip()
        if m.group() == "." and before in _ABBR:
            continue
        if before[-1:].isdigit() and not (after[:1].isupper()):
            continue  # "1. pkt.", "§ 19: ..." mid-sentence
        sentences += 1
    if not re.search(r"[.!?:]\s*$", body):
        sentences += 1
    long_words = sum(1 for w in words if len(w) > 6)
    sentences = max(1, sentences)
    return len(words) / sentences + 100 * long_words / len(words), len(words), sentences


@dataclass
class PageReport:
    """What the content report says about one page."""

    page: str
    title: str
    source: str
    sections: list[str] = field(default_factory=list)
    cases: int = 0
    citations: int = 0
    words: int = 0
    lix: float = 0.0
    reviewed: str = ""
    summary: str = ""
    uncertain: list[str] = field(default_factory=list)
    report_cases: int = 0

    @property
    def is_topic(self) -> bool:
        return self.page in TOPICS

    def stale(self, today: dt.date) -> bool:
        """Not reviewed for more than a year (or never)."""
        try:
            return (today - dt.date.fromisoformat(self.reviewed)).days > 365
        except ValueError:
            return True


def page_text(records: Iterable[Record]) -> dict[str, str]:
    """All exported text of each page (cases included), for LIX and spelling."""
    out: dict[str, str] = {}
    for r in records:
        if r.kind == "page":
            out[r.page] = r.text
    return out


def build_report(html_dir: Path, source_dir: Path) -> list[PageReport]:
    """One report per page of the build, reading the export and the MyST sources."""
    records = list(iter_records(export_dir(html_dir) / RECORDS_FILE))
    reports: dict[str, PageReport] = {}
    for r in records:
        if r.kind == "page":
            value, words, _ = lix(r.text)
            src = source_dir / f"{r.docname}.md"
            raw = src.read_text(encoding="utf-8") if src.exists() else ""
            reports[r.page] = PageReport(
                page=r.page, title=r.title, source=str(src), words=words, lix=round(value, 1),
                reviewed=r.reviewed, summary=r.summary, citations=len(r.citations),
                uncertain=[" ".join(m.split()) for m in USIKKER.findall(raw)],
                report_cases=raw.count("% beretning2024"),
            )
    for r in records:
        rep = reports.get(r.page) if r.kind != "term" else None
        if rep is None:
            continue
        if r.kind == "case":
            rep.cases += 1
        elif r.kind == "section" and r.anchor.startswith(r.page + "-"):
            rep.sections.append(r.anchor[len(r.page) + 1:])
    return sorted(reports.values(), key=lambda p: p.page)


def citing(html_dir: Path, law: str, reference: str) -> list[Record]:
    """The sections, cases and pages that cite a provision (a range that includes it counts)."""
    target = parse_reference(law, reference)[0][0]
    out = []
    for r in iter_records(export_dir(html_dir) / RECORDS_FILE):
        if r.kind == "page":
            continue
        for c in r.citations:
            if c.law == target.law and c.covers(target.par) and (target.stk is None or c.stk in (None, target.stk)):
                out.append(r)
                break
    return out


@click.group("content")
def content_group() -> None:
    """Rapporter om vejledningens indhold (til redaktører)."""


@content_group.command("report")
@click.option("--cites", metavar="'LOV §'", help="Vis hvor en bestemmelse citeres, fx --cites \"fvl 19\".")
@click.option("--usikker", "usikker", is_flag=True,
              help="Vis de åbne usikre oplysninger til juridisk gennemgang: side, afsnit, sætning og spørgsmål.")
@click.option("--changed-since", "since", type=click.DateTime(["%Y-%m-%d"]), metavar="ÅÅÅÅ-MM-DD",
              help="Vis de afsnit, der er ændret siden datoen (efter git-historikken), og spørgsmålene til dem.")
def report_command(cites: str | None, usikker: bool, since: dt.datetime | None) -> None:
    """Sider, afsnit, sager, citater, ord, LIX, gennemgangsdato og usikre oplysninger."""
    if usikker:
        _print_uncertain(settings.current().source_dir)
        return
    if since:
        _print_changed(settings.current().source_dir, since.date())
        return
    html = settings.current().html_dir
    try:
        if cites:
            _print_cites(html, cites)
            return
        reports = build_report(html, settings.current().source_dir)
    except FileNotFoundError as exc:
        raise click.ClickException(str(exc)) from None
    today = clock.today()
    click.echo(f"{'side':28} {'afsnit':>6} {'sager':>5} {'citater':>7} {'ord':>6} {'LIX':>5}  gennemgået")
    for p in reports:
        flag = " (for høj)" if p.is_topic and p.lix > LIX_LIMIT else ""
        click.echo(f"{p.page:28} {len(p.sections):>6} {p.cases:>5} {p.citations:>7} {p.words:>6} "
                   f"{p.lix:>5}  {p.reviewed or '-'}{flag}")
    missing = sorted(set(TOPICS) - {p.page for p in reports})
    if missing:
        click.echo("\nEmner uden side: " + ", ".join(missing))
    stale = [p.page for p in reports if p.is_topic and p.stale(today)]
    click.echo("\nIkke gennemgået i over et år: " + (", ".join(stale) if stale else "ingen"))
    marks = [(p.page, u) for p in reports for u in p.uncertain]
    click.echo(f"\nUsikre oplysninger til juridisk gennemgang ({len(marks)}):")
    for page, text in marks:
        click.echo(f"  {page}: {text}")
    for hook in registry().content_report_hooks:
        hook(reports)


def _print_uncertain(source_dir: Path) -> None:
    marks = uncertain_marks(source_dir)
    click.echo(f"{len(marks)} usikre oplysninger til juridisk gennemgang.")
    click.echo("Luk en markering ved at rette eller bekræfte teksten og slette kommentaren; "
               "skriv i commit-beskeden, hvilken lov og paragraf (eller offentlig kilde) du har tjekket.")
    for i, mark in enumerate(marks, 1):
        click.echo(f"\n{i}. {mark.page} › {mark.section or '(før første overskrift)'}  ({mark.source}:{mark.line})")
        click.echo(f"   Sætning:   {mark.sentence or '(ingen sætning lige før markeringen)'}")
        click.echo(f"   Spørgsmål: {mark.question}")


def _print_changed(source_dir: Path, since: dt.date) -> None:
    from klarret.guidance.history import sections_changed_since

    changed = sections_changed_since(source_dir, since)
    click.echo(f"{len(changed)} afsnit er ændret siden {long_date(since)}:")
    for page, label in changed:
        click.echo(f"  {page} › {label}")
    # The features say what links to these sections (e.g. the course questions to review).
    found = [SimpleNamespace(page=page, anchor=label) for page, label in changed]
    for hook in registry().cites_report_hooks:
        hook(found)


def _print_cites(html: Path, cites: str) -> None:
    law, _, ref = cites.strip().partition(" ")
    laws = read_laws(html)
    if law not in laws:
        raise click.ClickException(f"Ukendt lov '{law}'. Kendte love: {', '.join(sorted(laws))}.")
    try:
        found = citing(html, law, ref.replace("§", "").strip())
    except CitationError:
        raise click.ClickException(f"Kan ikke læse '{ref}' som en paragraf. Skriv fx --cites \"fvl 19\".") from None
    click.echo(f"{len(found)} steder citerer {laws[law]['genitive']} § {ref.replace('§', '').strip()}:")
    for r in found:
        click.echo(f"  {r.page:28} {r.kind:8} {' › '.join(r.breadcrumb)}  ({r.url})")
    for hook in registry().cites_report_hooks:
        hook(found)


def init_app(app: Flask) -> None:
    """Register `klarret content report`."""
    app.cli.add_command(content_group)
