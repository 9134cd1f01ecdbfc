"""HR files awaiting confirmation, kept in the database so any instance can confirm a preview made on another.

The preview (one request) and the confirmation (the next, possibly on another instance behind the proxy)
share nothing but the database, so the uploaded bytes live there, not in an instance folder. The import
itself reads a file, so each request writes the bytes to a private temporary file for as long as it runs.
"""

from __future__ import annotations

import datetime as dt
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy import DateTime, LargeBinary, String
from sqlalchemy.orm import Mapped, mapped_column

from klarret import clock
from klarret.db import db, lock_row, purge_rows

# A preview that was never confirmed is removed after this long (by `klarret purge`).
KEEP = dt.timedelta(days=1)


class StaffUpload(db.Model):
    """One uploaded HR file between its preview and its confirmation (or cancellation)."""

    __tablename__ = "staff_upload"
    token: Mapped[str] = mapped_column(String(32), primary_key=True)
    staff_no: Mapped[str] = mapped_column(String(32))  # who uploaded it: only they can confirm it
    filename: Mapped[str] = mapped_column(String(255))
    ext: Mapped[str] = mapped_column(String(8))
    content: Mapped[bytes] = mapped_column(LargeBinary)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=clock.now)


@contextmanager
def scratch_file(ext: str) -> Iterator[Path]:
    """A private temporary path ending in ``ext``, removed afterwards (also when the worker is stopped)."""
    with tempfile.TemporaryDirectory(prefix="klarret-import-") as folder:
        yield Path(folder) / f"import{ext}"


def keep(token: str, staff_no: str, filename: str, path: Path) -> None:
    """Store the previewed file under ``token`` until it is confirmed or cancelled; committed."""
    db.session.add(StaffUpload(token=token, staff_no=staff_no, filename=filename[:255], ext=path.suffix,
                               content=path.read_bytes(), created_at=clock.now()))
    db.session.commit()


def find(token: str, staff_no: str, claim: bool = False) -> StaffUpload | None:
    """The pending upload ``token`` of ``staff_no`` that has not expired, or None.

    With ``claim`` the row is locked for the transaction: a second confirmation (a double click, or the same
    form sent to another instance) waits, then finds it gone instead of importing the file twice."""
    upload = lock_row(StaffUpload, token) if claim else db.session.get(StaffUpload, token)
    if upload is None or upload.staff_no != staff_no or clock.now() - upload.created_at > KEEP:
        return None
    return upload


@contextmanager
def as_file(upload: StaffUpload) -> Iterator[Path]:
    """The upload's bytes as a temporary file, for the import, which reads files."""
    with scratch_file(upload.ext) as path:
        path.write_bytes(upload.content)
        yield path


def discard(token: str) -> None:
    """Remove a pending upload (cancelled, refused or failed); committed. Safe when it is already gone."""
    db.session.rollback()
    db.session.execute(StaffUpload.__table__.delete().where(StaffUpload.token == token))
    db.session.commit()


def purge_expired(dry_run: bool) -> int:
    """Retention: remove previews older than ``KEEP`` that were never confirmed."""
    return purge_rows(StaffUpload.__table__, StaffUpload.created_at < clock.now() - KEEP, dry_run)
