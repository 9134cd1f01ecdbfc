"""The guidance's history: which sections changed since a date, by comparing the sources with git."""

from __future__ import annotations

import datetime as dt
import re
import subprocess
from pathlib import Path

_LABEL = re.compile(r"^\((?P<label>[\w-]+)\)=\s*$")


def split_sections(text: str) -> dict[str, str]:
    """A MyST source split at its labels ``(label)=``: label -> the text up to the next label."""
    sections: dict[str, list[str]] = {"": []}
    current = ""
    for line in text.splitlines():
        m = _LABEL.match(line.strip())
        if m:
            current = m.group("label")
            sections.setdefault(current, [])
        else:
            sections[current].append(line)
    return {label: " ".join("\n".join(lines).split()) for label, lines in sections.items()}


def sections_changed_since(source_dir: Path, since: dt.date) -> list[tuple[str, str]]:
    """(page, label) of every section added or changed in the sources since a date, by git history."""
    def git(*args: str) -> str:
        return subprocess.run(["git", *args], cwd=source_dir, capture_output=True, text=True, check=True).stdout

    top = Path(git("rev-parse", "--show-toplevel").strip())
    base = git("rev-list", "-1", f"--before={since.isoformat()} 00:00:00", "HEAD").strip()
    changed = []
    for path in sorted(source_dir.rglob("*.md")):
        new = split_sections(path.read_text(encoding="utf-8"))
        old: dict[str, str] = {}
        if base:
            rel = path.resolve().relative_to(top.resolve()).as_posix()
            shown = subprocess.run(["git", "show", f"{base}:{rel}"], cwd=source_dir, capture_output=True, text=True,
                                   check=False)
            old = split_sections(shown.stdout) if shown.returncode == 0 else {}
        changed += [(path.stem, label) for label, text in new.items()
                    if label and old.get(label) != text]
    return changed
