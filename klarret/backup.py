"""`klarret backup FILE` and `klarret restore FILE [--force]`: the whole database in one file, and back.

The file is a tar readable by its owner only, holding ``manifest.json`` (which migration, which kind of
database, when) and the database: SQLite copied through its online backup API (consistent while
KlarRet runs), PostgreSQL as a ``pg_dump`` custom-format dump (restored with ``pg_restore``). Restore
refuses a backup from a newer KlarRet, a backup of the other kind of database, and a database that
holds data unless ``--force`` (the restore then replaces everything in it).
"""

from __future__ import annotations

import datetime as dt
import io
import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
from pathlib import Path

import click
from flask import Flask
from flask.cli import with_appcontext
from sqlalchemy import URL, Engine, MetaData, func, select

from klarret import clock, dates, schema, settings
from klarret.db import db

MANIFEST = "manifest.json"
MEMBERS = {"sqlite": "database.sqlite", "postgresql": "database.pgdump"}
KINDS = {"sqlite": "SQLite", "postgresql": "PostgreSQL"}
TOOLS_HELP = ("Installér PostgreSQL' klientprogrammer i samme eller nyere version end serveren (Debian: "
              "'apt-get install postgresql-client', eller 'make system-deps'), og prøv igen.")


class BackupError(click.ClickException):
    """A backup or restore that cannot go ahead; the Danish message says what to do."""


def _kind(engine: Engine) -> str:
    name = engine.dialect.name
    if name not in MEMBERS:
        raise BackupError(f"KlarRet kan kun tage sikkerhedskopi af SQLite og PostgreSQL, ikke {name}.")
    return name


def _tool(name: str) -> str:
    path = shutil.which(name)
    if path is None:
        raise BackupError(f"Programmet {name} findes ikke på maskinen. {TOOLS_HELP}")
    return path


def _libpq(url: URL) -> tuple[str, dict[str, str]]:
    """The database as a libpq address for pg_dump/pg_restore, and the password apart (not on the command line)."""
    env = settings.child_environment(**({"PGPASSWORD": str(url.password)} if url.password else {}))
    plain = url.set(drivername="postgresql", password=None)
    return plain.render_as_string(hide_password=False), env


def _run(args: list[str], env: dict[str, str]) -> None:
    done = subprocess.run(args, env=env, capture_output=True, text=True)
    if done.returncode != 0:
        raise BackupError(f"{Path(args[0]).name} fejlede: {done.stderr.strip()[-1500:]}")


def _dump(engine: Engine, kind: str, out: Path) -> None:
    """Write the database to ``out``: SQLite's online backup, or pg_dump's custom format."""
    if kind == "sqlite":
        source = sqlite3.connect(str(engine.url.database))
        target = sqlite3.connect(str(out))
        try:
            source.backup(target)  # page by page, consistent even while workers write
        finally:
            target.close()
            source.close()
        return
    address, env = _libpq(engine.url)
    _run([_tool("pg_dump"), "--format=custom", "--no-owner", f"--file={out}", f"--dbname={address}"], env)


def create(engine: Engine, path: Path) -> dict:
    """Write a backup of the database to ``path`` (mode 0600) and return its manifest."""
    kind = _kind(engine)
    manifest = {"format": 1, "kind": kind, "revision": schema.current_revision(engine),
                "created": clock.now().replace(microsecond=0).isoformat() + "Z"}
    path = path.resolve()
    with tempfile.TemporaryDirectory() as work:
        dump = Path(work) / MEMBERS[kind]
        _dump(engine, kind, dump)
        partial = path.with_name(f".{path.name}.partial")
        # Created 0600 from the start: the file holds everyone's personal data, never readable by others.
        fd = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        os.fchmod(fd, 0o600)  # O_CREAT's mode only applies to a new file
        with os.fdopen(fd, "wb") as raw, tarfile.open(fileobj=raw, mode="w:gz") as tar:
            data = json.dumps(manifest, indent=2).encode()
            info = tarfile.TarInfo(MANIFEST)
            info.size, info.mode = len(data), 0o600
            tar.addfile(info, io.BytesIO(data))
            tar.add(dump, arcname=MEMBERS[kind])
        partial.replace(path)  # never a half-written file under the real name
    return manifest


def read_manifest(path: Path) -> dict:
    """The manifest of the backup at ``path``."""
    try:
        with tarfile.open(path, "r:*") as tar:
            member = tar.extractfile(MANIFEST)
            assert member is not None
            return json.load(member)
    except (OSError, tarfile.TarError, KeyError, AssertionError, ValueError):
        raise BackupError(f"{path} er ikke en sikkerhedskopi fra 'klarret backup'.") from None


def _holds_data(engine: Engine) -> bool:
    """Whether any table but Alembic's own has a row."""
    metadata = MetaData()
    metadata.reflect(engine)
    with engine.connect() as conn:
        return any(conn.scalar(select(func.count()).select_from(table)) for name, table in metadata.tables.items()
                   if name != "alembic_version")


def _check(engine: Engine, kind: str, manifest: dict, force: bool) -> None:
    if manifest.get("kind") != kind:
        raise BackupError(f"Sikkerhedskopien er af en {KINDS.get(manifest.get('kind'), '?')}-database, men KlarRet "
                          f"bruger {KINDS[kind]}. Gendan den med de indstillinger, den blev taget med.")
    revision = manifest.get("revision")
    if revision is not None and revision not in schema.known_revisions():
        raise BackupError(f"Sikkerhedskopien er fra en nyere udgave af KlarRet (databaseversion {revision}). "
                          "Opdatér KlarRet til den udgave, den blev taget med, og gendan så igen.")
    if not force and _holds_data(engine):
        raise BackupError("Databasen indeholder allerede data, og en gendannelse ville erstatte det hele. "
                          "Gendan i en tom database, eller brug --force, hvis det er meningen.")


def _empty_postgres(engine: Engine) -> None:
    """Drop every table, so the dump lands in an empty database (--force)."""
    metadata = MetaData()
    metadata.reflect(engine)
    metadata.drop_all(engine)


def restore(engine: Engine, path: Path, force: bool = False) -> dict:
    """Replace the database's content with the backup at ``path``; return its manifest."""
    kind = _kind(engine)
    manifest = read_manifest(path)
    _check(engine, kind, manifest, force)
    if kind == "postgresql":
        _tool("pg_restore")  # before anything is dropped
    with tempfile.TemporaryDirectory() as work, tarfile.open(path, "r:*") as tar:
        source = tar.extractfile(MEMBERS[kind])
        if source is None:
            raise BackupError(f"{path} mangler selve databasen ({MEMBERS[kind]}).")
        dump = Path(work) / MEMBERS[kind]
        with open(dump, "wb") as out:
            shutil.copyfileobj(source, out)
        engine.dispose()  # no pooled connection may see the database change under it
        if kind == "sqlite":
            backup, target = sqlite3.connect(str(dump)), sqlite3.connect(str(engine.url.database))
            try:
                backup.backup(target)  # replaces every page of the live file, under SQLite's own locks
            finally:
                target.close()
                backup.close()
        else:
            _empty_postgres(engine)
            address, env = _libpq(engine.url)
            _run([_tool("pg_restore"), "--no-owner", "--single-transaction", f"--dbname={address}", str(dump)], env)
        engine.dispose()
    return manifest


@click.command("backup")
@with_appcontext
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
def backup_command(file: Path) -> None:
    """Tag en sikkerhedskopi af hele databasen til FILE (kun læsbar for ejeren)."""
    manifest = create(db.engine, file)
    click.echo(f"Sikkerhedskopi gemt i {file} ({KINDS[manifest['kind']]}, databaseversion {manifest['revision']}).")


@click.command("restore")
@with_appcontext
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--force", is_flag=True, help="Erstat også en database, der allerede indeholder data.")
def restore_command(file: Path, force: bool) -> None:
    """Gendan databasen fra en sikkerhedskopi (stop KlarRet først)."""
    manifest = restore(db.engine, file, force=force)
    taken = dates.long_date(dt.date.fromisoformat(manifest["created"][:10]))
    click.echo(f"Databasen er gendannet fra sikkerhedskopien taget {taken}.")
    if manifest["revision"] != schema.head_revision():
        click.echo("Sikkerhedskopien er fra en ældre udgave: kør 'klarret db upgrade', før KlarRet startes.")


def init_app(app: Flask) -> None:
    """Register `klarret backup` and `klarret restore`."""
    app.cli.add_command(backup_command)
    app.cli.add_command(restore_command)
