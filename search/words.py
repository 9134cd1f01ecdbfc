"""Editors' "also called" words (decision 5): added from the search statistics, used from the next index build.

A query that found nothing is often a word the guidance does not use ("kontradiktion" for "partshøring").
An editor adds it to the page that answers it; ``klarret index`` (a daily job) merges the words into the
index, and until then the page lists them as waiting.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from flask import flash, redirect, request, url_for
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from klarret import audit, settings
from klarret.auth import current_user, role_required
from klarret.db import db
from klarret.export import RECORDS_FILE, export_dir, iter_records
from klarret.roles import Role
from search.models import AlsoCalled
from search.report import bp

MAX_WORD = 100


@dataclass(frozen=True)
class Word:
    """One editor's word as the statistics page lists it."""

    page: str
    page_title: str
    word: str
    added: dt.datetime
    waiting: bool  # added after the current index was built: not searchable yet


def pages() -> list[tuple[str, str]]:
    """(page id, title) of every guidance page in the build's export, by title."""
    path = export_dir(settings.current().html_dir) / RECORDS_FILE
    if not path.exists():
        return []
    return sorted(((r.page, r.title) for r in iter_records(Path(path)) if r.kind == "page"), key=lambda p: p[1])


def index_built() -> dt.datetime | None:
    """When the index in use was built (its folder's time, naive UTC as the database stores times)."""
    try:
        folder = Path(settings.current().index_dir).resolve(strict=True)
    except (OSError, RuntimeError):
        return None
    return dt.datetime.fromtimestamp(folder.stat().st_mtime, dt.UTC).replace(tzinfo=None)


def words() -> list[Word]:
    """Every editor's word, newest first, and whether it waits for the next index build."""
    titles = dict(pages())
    built = index_built()
    rows = db.session.scalars(select(AlsoCalled).order_by(AlsoCalled.created_at.desc(), AlsoCalled.id.desc()))
    return [Word(r.page, titles.get(r.page, r.page), r.word, r.created_at, built is None or r.created_at > built)
            for r in rows]


@bp.post("/soeg/statistik/ogsaa-kaldet")
@role_required(Role.EDITOR)
def add_word():
    """Add an "also called" word to a page; audited; searchable from the next index build."""
    word = " ".join(request.form.get("ord", "").split())
    page = request.form.get("side", "")
    titles = dict(pages())
    back = url_for("search_report.page")
    if not 2 <= len(word) <= MAX_WORD:
        flash(f"Skriv et ord på mellem 2 og {MAX_WORD} tegn.")
        return redirect(back + "#tilfoej")
    if page not in titles:
        flash("Vælg den side i vejledningen, som ordet skal føre til.")
        return redirect(url_for("search_report.page", ord=word) + "#tilfoej")
    try:
        with db.session.begin_nested():
            db.session.add(AlsoCalled(page=page, word=word))
    except IntegrityError:
        flash(f"»{word}« er allerede tilføjet til »{titles[page]}«.")
        return redirect(back + "#redaktoerord")
    audit.record(current_user().staff_no, "search.also_called", page, word=word)
    db.session.commit()
    flash(f"»{word}« er tilføjet til »{titles[page]}«. Ordet kan findes, når søgeindekset er bygget igen "
          "(hver nat).")
    return redirect(back + "#redaktoerord")
