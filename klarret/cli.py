"""The `klarret` command: one Flask CLI group with each set-up step as a subcommand."""

from __future__ import annotations

import click
from flask import Flask
from flask.cli import FlaskGroup


def _create_app() -> Flask:
    from klarret.app import create_app
    from klarret.settings import SettingsError

    try:
        return create_app()
    except SettingsError as exc:  # a bad setting: the Danish message alone, not a traceback
        raise click.ClickException(str(exc)) from None


@click.command("demo-data")
def demo_data_command() -> None:
    """Indlæs demodata (enheder, ca. 2.000 medarbejdere, kursusforsøg, demobrugere); kan køres flere gange."""
    from klarret.demo import load_demo_data

    counts = load_demo_data()
    click.echo("Demodata klar: " + ", ".join(f"{k}: {v}" for k, v in counts.items()))


@click.command("serve")
@click.option("--host", default="127.0.0.1", show_default=True, help="Adresse at lytte på.")
@click.option("--port", type=click.IntRange(1, 65535), default=None,
              show_default="5000 eller $PORT", help="Port at lytte på.")
@click.option("--workers", type=click.IntRange(min=1), default=None,
              show_default="$KLARRET_WORKERS, ellers 2 × kerner + 1, højst 8", help="Antal arbejdsprocesser.")
def serve_command(host: str, port: int | None, workers: int | None) -> None:
    """Start KlarRet med en produktions-WSGI-server (gunicorn)."""
    from gunicorn.app.base import BaseApplication
    from sqlalchemy.exc import OperationalError

    from klarret import metrics, schema, settings
    from klarret.db import db

    try:
        schema.check_current(db.engine)  # an old database would fail request by request instead
    except schema.SchemaError as exc:
        raise click.ClickException(str(exc)) from None
    except OperationalError as exc:  # systemd restarts us; the message says what to look at meanwhile
        raise click.ClickException(f"KlarRet kan ikke nå databasen ({str(exc.orig).strip()}). Tjek "
                                   "KLARRET_DATABASE_URL, og at databasen kører, og start igen.") from None
    finally:
        db.engine.dispose()  # no connection may be shared with the forked workers
    config = settings.current()  # the app the command group loaded: its settings were checked then
    port = port or config.port
    workers = workers or config.workers
    # The workers sum their metrics through files in this folder; last run's files would add to today's.
    metrics.prepare_multiprocess(config.instance_path / f"metrics-{port}")

    class Server(BaseApplication):
        def load_config(self) -> None:
            self.cfg.set("bind", f"{host}:{port}")
            self.cfg.set("workers", workers)
            self.cfg.set("accesslog", "-")
            self.cfg.set("logger_class", "klarret.access_log.AccessLogger")  # no search queries in the log
            self.cfg.set("timeout", 60)
            self.cfg.set("child_exit", metrics.worker_exited)

        def load(self) -> Flask:
            # Each worker builds its own app after the fork, so no index handle is shared.
            return _create_app()

    click.echo(f"KlarRet kører på http://{host}:{port} med {workers} arbejdsprocesser (Ctrl+C stopper).")
    Server().run()


def init_app(app: Flask) -> None:
    """Register the core's commands (the organisation and the features add their own in their init_app)."""
    app.cli.add_command(demo_data_command)
    app.cli.add_command(serve_command)


cli = FlaskGroup(name="klarret", create_app=_create_app, add_version_option=False,
                 help="KlarRet: byg vejledningen, forbered databasen og kør webappen.")


def main() -> None:
    """Console entry point."""
    cli.main(prog_name="klarret")


if __name__ == "__main__":
    main()
