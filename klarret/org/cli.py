"""`klarret staff import|purge`: the HR import and the retention purge on the command line."""

from __future__ import annotations

import time
from pathlib import Path

import click
from flask.cli import AppGroup

from klarret.org.hr_import import FIELD_LABELS, Entry, Plan, describe

SHOWN = 20


@click.group("staff", cls=AppGroup)  # AppGroup: every subcommand runs inside the app context
def staff_group() -> None:
    """Medarbejdere: HR-import og anonymisering efter opbevaringsperioden."""


def _entry_line(sign: str, e: Entry) -> str:
    fields = "; ".join(f"{FIELD_LABELS.get(k, k)}: {describe(o)} → {describe(n)}" for k, (o, n) in e.fields.items())
    extra = fields or e.reason
    return f"  {sign} {e.staff_no} {e.name} ({e.administration}{': ' + extra if extra else ''})"


def print_plan(plan: Plan, show_all: bool = False) -> None:
    """The preview: counts, then the people added, changed and deactivated."""
    click.echo("Forvaltninger i filen: " + (", ".join(plan.administrations) or "ingen"))
    click.echo(", ".join(f"{k}: {v}" for k, v in plan.summary().items()))
    for title, sign, entries in (("Nye", "+", plan.additions), ("Ændrede", "~", plan.changes),
                                 ("Deaktiverede", "-", plan.deactivations)):
        if entries:
            click.echo(f"{title} ({len(entries)}):")
            for e in entries if show_all else entries[:SHOWN]:
                click.echo(_entry_line(sign, e))
            if not show_all and len(entries) > SHOWN:
                click.echo(f"  … og {len(entries) - SHOWN} flere (--all viser alle)")
    for title, rows in (("Nye lederroller", plan.managers_added), ("Fjernede lederroller", plan.managers_removed)):
        if rows:
            click.echo(f"{title} ({len(rows)}):")
            for s, c, p in rows if show_all else rows[:SHOWN]:
                click.echo(f"  {s} → {describe((c, p))}")
            if not show_all and len(rows) > SHOWN:
                click.echo(f"  … og {len(rows) - SHOWN} flere")


@staff_group.command("import")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--dry-run", is_flag=True, help="Vis kun, hvad importen ville ændre; intet skrives.")
@click.option("--columns", type=click.Path(exists=True, dir_okay=False),
              help="TOML-fil med andre kolonnenavne (ellers KLARRET_STAFF_COLUMNS).")
@click.option("--all", "show_all", is_flag=True, help="Vis alle rækker i forhåndsvisningen, ikke kun de første 20.")
@click.option("--bekraeft", "confirm", type=int, default=None, metavar="N",
              help="Bekræft en import, der deaktiverer eller omdøber mange i en forvaltning: N er antallet af "
                   "berørte medarbejdere, som forhåndsvisningen viser.")
def import_command(file: Path, dry_run: bool, columns: str | None, show_all: bool, confirm: int | None) -> None:
    """Indlæs et HR-udtræk (CSV eller XLSX) som fuldt udtræk af forvaltningerne i filen."""
    from klarret.org.hr_import import run_import

    started = time.perf_counter()
    click.echo(f"Læser {file.name} …", err=True)
    plan = run_import(file, "cli", dry_run=dry_run, columns=columns, progress=lambda m: click.echo(m, err=True),
                      confirm=confirm)
    if plan.errors:
        for e in plan.errors:
            click.echo(f"FEJL {e}", err=True)
        raise click.ClickException(f"Importen er afvist: {len(plan.errors)} fejl. Intet er ændret. Ret fejlene i "
                                   "filen (række og kolonne står ovenfor) og kør importen igen.")
    print_plan(plan, show_all)
    if plan.mass_change:
        click.echo(f"ADVARSEL {plan.mass_change.warning()}", err=True)
    if plan.needs_confirmation:
        n = plan.mass_change.affected
        wrong = f"--bekraeft {confirm} passer ikke: " if confirm is not None else ""
        raise click.ClickException(f"{wrong}Importen berører {n} medarbejdere og er ikke gennemført. Intet er "
                                   f"ændret. Er listerne ovenfor rigtige, så kør igen med --bekraeft {n}.")
    seconds = time.perf_counter() - started
    if dry_run:
        click.echo(f"Prøvekørsel ({seconds:.1f} s): intet er skrevet. Kør uden --dry-run for at importere.")
    elif plan.empty:
        click.echo(f"Ingen ændringer ({seconds:.1f} s): databasen svarer allerede til filen.")
    else:
        click.echo(f"Importeret på {seconds:.1f} s.")


@staff_group.command("purge")
@click.option("--dry-run", is_flag=True, help="Vis kun, hvor mange der ville blive anonymiseret.")
@click.option("--years", type=click.IntRange(min=1), default=None,
              help="Anonymisér dem, der fratrådte for mere end så mange år siden (standard: "
                   "KLARRET_RETENTION_YEARS eller 5).")
def purge_command(dry_run: bool, years: int | None) -> None:
    """Anonymisér fratrådte medarbejdere efter opbevaringsperioden; deres kursusresultater tæller stadig med."""
    from klarret import clock
    from klarret.org.retention import cutoff_date, purge, retention_years

    years = retention_years(years)
    count = purge("cli", years, dry_run=dry_run)
    before = cutoff_date(years, clock.today()).strftime("%d-%m-%Y")
    if dry_run:
        click.echo(f"Prøvekørsel: {count} medarbejdere fratrådt før {before} ville blive anonymiseret.")
    else:
        click.echo(f"{count} medarbejdere fratrådt før {before} er anonymiseret.")


@staff_group.command("password")
@click.argument("staff_no")
@click.password_option("--password", prompt="Ny adgangskode", confirmation_prompt="Gentag adgangskoden",
                       help="Adgangskoden (ellers spørges der; den vises ikke).")
@click.option("--noedadgang/--ingen-noedadgang", "emergency", default=None,
              help="Giv eller fjern også nødadgang (adgangskoden virker med single sign-on kun ved nødadgang).")
def password_command(staff_no: str, password: str, emergency: bool | None) -> None:
    """Sæt en medarbejders adgangskode, fx til nødadgang, når kommunens login er slået til."""
    from klarret import audit, settings
    from klarret.auth import hash_password, revoke_sessions
    from klarret.db import db
    from klarret.org.models import Employee

    person = db.session.get(Employee, staff_no.strip())
    if person is None or not person.active:
        raise click.ClickException(f"Der er ingen aktiv medarbejder med medarbejdernummer {staff_no}.")
    if len(password) < 12:
        raise click.ClickException("Adgangskoden skal være mindst 12 tegn. Intet er ændret.")
    person.password_hash = hash_password(password)
    audit.record("cli", "employee.password", person.staff_no)
    if emergency is not None and emergency != person.emergency_access:
        person.emergency_access = emergency
        audit.record("cli", "employee.emergency", person.staff_no, emergency_access=emergency)
    revoke_sessions(person.staff_no)  # a new password ends the sessions started with the old one
    db.session.commit()
    note = ""
    if settings.current().sso and not person.emergency_access:
        note = " Single sign-on er slået til, og personen har ikke nødadgang, så adgangskoden virker ikke endnu."
    click.echo(f"Adgangskoden for {person.name} ({person.staff_no}) er sat.{note}")
