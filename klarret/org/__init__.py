"""The organisation: administrations, units, people, scope, deputies, the HR import, retention and the
staff administration pages."""

from __future__ import annotations

from flask import Flask


def init_app(app: Flask) -> None:
    """Register the staff pages, their audit labels and the `staff` commands."""
    from klarret.org import views
    from klarret.org.cli import staff_group

    views.init_app(app)
    app.cli.add_command(staff_group)
    from klarret.org.retention import purge
    from klarret.registry import registry

    registry(app).add_retention("Fratrådte medarbejdere anonymiseret efter opbevaringsperioden",
                                lambda dry_run: purge("cli", dry_run=dry_run))
    from klarret.org.uploads import purge_expired

    registry(app).add_retention("HR-filer, der ikke blev importeret inden for et døgn", purge_expired)
