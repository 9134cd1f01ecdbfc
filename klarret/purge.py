"""`klarret purge [--dry-run]`: every retention rule in one command, run daily (decision 8).

Each part registers the rules for what it keeps (``registry(app).add_retention``); the core adds its
own: the audit log, the mail outbox, ended sessions and old login throttles.
"""

from __future__ import annotations

import datetime as dt

import click
from flask import Flask
from flask.cli import with_appcontext

from klarret import audit, clock, settings
from klarret.db import db, purge_rows
from klarret.registry import registry


def audit_log(dry_run: bool) -> int:
    """Audit events older than KLARRET_AUDIT_YEARS; the purge itself is recorded (the log stays bounded)."""
    cutoff = clock.now() - dt.timedelta(days=365 * settings.current().audit_years)
    table = audit.AuditEvent.__table__  # a table delete: the ORM keeps single events append-only
    count = purge_rows(table, table.c.at < cutoff, dry_run)
    if count and not dry_run:
        audit.record("cli", "audit.purge", "", deleted=count, before=cutoff.date().isoformat())
        db.session.commit()
    return count


def mail_outbox(dry_run: bool) -> int:
    """Stored messages older than KLARRET_MAIL_OUTBOX_DAYS."""
    from klarret.mail import MailOutbox

    table = MailOutbox.__table__
    cutoff = clock.now() - dt.timedelta(days=settings.current().mail_outbox_days)
    return purge_rows(table, table.c.created_at < cutoff, dry_run)


def sessions(dry_run: bool) -> int:
    """Sessions past their limits, and login throttles with no failure for a day."""
    from klarret.auth import sessions as session_store
    from klarret.auth.throttle import LoginThrottle

    table = LoginThrottle.__table__
    stale = purge_rows(table, table.c.last_failure < clock.now() - dt.timedelta(days=1), dry_run)
    return stale + session_store.purge_expired(dry_run)


@click.command("purge")
@with_appcontext
@click.option("--dry-run", is_flag=True, help="Vis kun, hvor meget hver regel ville slette; intet ændres.")
def purge_command(dry_run: bool) -> None:
    """Slet og anonymisér efter alle opbevaringsregler (kør dagligt)."""
    rules = registry().retention_rules
    click.echo(("Prøvekørsel: " if dry_run else "") + f"{len(rules)} opbevaringsregler.")
    for name, rule in rules:
        count = rule(dry_run)
        click.echo(f"  {name}: {count} " + ("ville blive berørt" if dry_run else "behandlet"))


def init_app(app: Flask) -> None:
    """Register `klarret purge` and the core's own rules."""
    reg = registry(app)
    reg.add_retention("Revisionslog ældre end opbevaringsperioden", audit_log)
    reg.add_retention("Gemte e-mails i udbakken", mail_outbox)
    reg.add_retention("Udløbne sessioner og gamle login-forsøg", sessions)
    app.cli.add_command(purge_command)
