"""A throwaway PostgreSQL cluster of the test's own, on its own port, that a test may stop and restart.

The fault tests restart the database under load; doing that to the shared server would disturb every
other test, so they get a cluster made with initdb/pg_ctl from /usr/lib/postgresql/*/bin. Run as root
(containers, CI), the server runs as the ``postgres`` user, which PostgreSQL requires.
"""

from __future__ import annotations

import glob
import os
import pwd
import shutil
import subprocess
import tempfile
from pathlib import Path

from tests.support.web import free_port


def bin_dir() -> Path | None:
    """The newest PostgreSQL server binaries' folder (initdb, pg_ctl), or None."""
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"), key=lambda p: int(Path(p).parts[-3]))
    if found:
        return Path(found[-1]).parent
    initdb = shutil.which("initdb")
    return Path(initdb).parent if initdb else None


def missing() -> str | None:
    """Why a cluster cannot be made here, or None."""
    if bin_dir() is None:
        return "initdb/pg_ctl not found (install PostgreSQL's server package)"
    if os.geteuid() == 0:
        try:
            pwd.getpwnam("postgres")
        except KeyError:
            return "running as root without a 'postgres' user to run initdb as"
    return None


class Cluster:
    """One throwaway cluster: ``start()``, ``stop()``, ``restart()``, ``url(db)``; ``remove()`` at the end."""

    def __init__(self) -> None:
        self.bin = bin_dir()
        self.port = free_port()
        # Not under pytest's tmp folder: that is private to root, and the server may run as 'postgres'.
        self.root = Path(tempfile.mkdtemp(prefix="klarret-pg-"))
        self.data, self.log = self.root / "data", self.root / "server.log"
        if os.geteuid() == 0:
            user = pwd.getpwnam("postgres")
            os.chown(self.root, user.pw_uid, user.pw_gid)
        self._run("initdb", "-D", str(self.data), "-U", "postgres", "--auth=trust", "-E", "UTF8",
                  "--no-instructions")

    def _run(self, tool: str, *args: str) -> None:
        cmd = [str(self.bin / tool), *args]
        if os.geteuid() == 0:
            cmd = ["runuser", "-u", "postgres", "--", *cmd]
        subprocess.run(cmd, check=True, capture_output=True, timeout=120)

    def start(self) -> None:
        """Start the server and wait until it accepts connections."""
        options = f"-p {self.port} -c listen_addresses=127.0.0.1 -k {self.root} -c max_connections=200 -c fsync=off"
        self._run("pg_ctl", "-D", str(self.data), "-l", str(self.log), "-o", options, "-w", "-t", "60", "start")

    def stop(self, mode: str = "fast") -> None:
        """Stop the server (``fast`` ends open connections at once, as a restart by the operator does)."""
        self._run("pg_ctl", "-D", str(self.data), "-m", mode, "-w", "-t", "60", "stop")

    def restart(self) -> None:
        """Stop and start again."""
        self.stop()
        self.start()

    def url(self, database: str = "postgres") -> str:
        """The SQLAlchemy URL of ``database`` in this cluster."""
        return f"postgresql+psycopg://postgres@127.0.0.1:{self.port}/{database}"

    def create_database(self, name: str) -> str:
        """Create ``name``; return its URL."""
        import sqlalchemy as sa

        engine = sa.create_engine(self.url(), isolation_level="AUTOCOMMIT")
        with engine.connect() as conn:
            conn.execute(sa.text(f'CREATE DATABASE "{name}"'))
        engine.dispose()
        return self.url(name)

    def remove(self) -> None:
        """Stop the server if it runs, and delete its files."""
        try:
            self.stop("immediate")
        except subprocess.CalledProcessError:
            pass  # already stopped
        shutil.rmtree(self.root, ignore_errors=True)
