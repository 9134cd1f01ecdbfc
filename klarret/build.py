"""Build the guidance with Sphinx, then run each feature's build step (search index, course check)."""

from __future__ import annotations

from pathlib import Path

import click
from flask import Flask, current_app

from klarret.registry import registry


def run_sphinx(source: Path, confdir: Path, out: Path, doctrees: Path, *, fresh: bool = False,
               jobs: str = "auto", quiet: bool = False) -> int:
    """sphinx-build -W (warnings are errors) into ``out``; return Sphinx's exit status."""
    from sphinx.cmd.build import build_main

    args = ["-W", "-b", "html", "-c", str(confdir), "-d", str(doctrees), "-j", jobs]
    if fresh:
        args.append("-E")
    if quiet:
        args.append("-q")
    return build_main([*args, str(source), str(out)])


def build_all(*, fresh: bool = False) -> None:
    """Guidance, export, then every registered step, printing each step; raise on failure."""
    cfg = current_app.config
    steps = registry().build_steps  # features add theirs with registry(app).add_build_step
    total = 1 + len(steps)
    click.echo(f"[1/{total}] Bygger vejledningen (Sphinx) til {cfg['KLARRET_HTML_DIR']} …")
    status = run_sphinx(Path(cfg["KLARRET_SOURCE_DIR"]), Path(cfg["KLARRET_CONF_DIR"]),
                        Path(cfg["KLARRET_HTML_DIR"]), Path(cfg["KLARRET_BUILD_DIR"]) / "doctrees",
                        fresh=fresh)
    if status != 0:
        raise click.ClickException(
            "Vejledningen kunne ikke bygges. Ret fejlene ovenfor (fil og linje står foran hver fejl) "
            "og kør 'klarret build' igen."
        )
    for i, (name, step) in enumerate(steps, start=2):
        click.echo(f"[{i}/{total}] {name} …")
        step(Path(cfg["KLARRET_HTML_DIR"]))
    click.echo("Færdig.")


@click.command("build")
@click.option("--fresh", is_flag=True, help="Læs alle sider igen (sphinx-build -E).")
def build_command(fresh: bool) -> None:
    """Byg vejledningen, eksporten og søgeindekset."""
    build_all(fresh=fresh)


def init_app(app: Flask) -> None:
    """Register `klarret build`."""
    app.cli.add_command(build_command)
