"""Course questions and the guidance they link to: a review record of the linked sections, and changes since a date.

The record (``quizzes/courses/gennemgaaede-afsnit.json``, committed like a lock file) keeps, for every
section, case or page a course question links to, the hash of its text as the courses were last
reviewed. The build warns, naming the questions, when a linked text has changed since; an editor records
the review with ``klarret content review-courses``. ``sections_changed_since`` compares the guidance's
sources with git history.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import re
import subprocess
from dataclasses import dataclass
from pathlib import Path

from klarret.export import RECORDS_FILE, export_dir, iter_records
from quizzes.courses.loader import COURSES_DIR, Course

REVIEW_FILE = COURSES_DIR / "gennemgaaede-afsnit.json"
_LABEL = re.compile(r"^\((?P<label>[\w-]+)\)=\s*$")


@dataclass(frozen=True)
class StaleLink:
    """A linked text whose questions must be reviewed: what changed and which questions link to it."""

    target: str
    reason: str
    questions: tuple[str, ...]

    def message(self) -> str:
        return (f"{self.target} er {self.reason}, siden kurserne blev gennemgået. "
                f"Gennemgå spørgsmålene {', '.join(self.questions)}.")


def linked_targets(courses: list[Course]) -> dict[str, list[str]]:
    """Every linked target ('page#anchor', or 'page') -> the questions ('course/question') linking to it."""
    links: dict[str, list[str]] = {}
    for course in courses:
        for q in course.questions:
            target = f"{q.page}#{q.anchor}" if q.anchor else q.page
            links.setdefault(target, []).append(f"{course.id}/{q.id}")
    return {t: sorted(qs) for t, qs in sorted(links.items())}


def text_hashes(html_dir: Path) -> dict[str, str]:
    """The hash of each page, section and case of the build (title and text), keyed like the links."""
    hashes: dict[str, str] = {}
    for r in iter_records(export_dir(html_dir) / RECORDS_FILE):
        if r.kind in ("page", "section", "case"):
            key = r.page if r.kind == "page" else f"{r.page}#{r.anchor}"
            hashes[key] = _hash(r.title + "\n" + r.text)
    return hashes


def _hash(text: str) -> str:
    return hashlib.sha256(" ".join(text.split()).encode()).hexdigest()[:12]


def read_review(path: Path = REVIEW_FILE) -> dict[str, dict]:
    return json.loads(path.read_text(encoding="utf-8")) if path.exists() else {}


def stale_links(html_dir: Path, courses: list[Course], path: Path = REVIEW_FILE) -> list[StaleLink]:
    """The linked texts that changed since the recorded review, or were never reviewed."""
    recorded, hashes = read_review(path), text_hashes(html_dir)
    stale = []
    for target, questions in linked_targets(courses).items():
        if target not in hashes:
            continue  # a missing target is the course check's error, not a review
        entry = recorded.get(target)
        if entry is None:
            stale.append(StaleLink(target, "ikke gennemgået endnu", tuple(questions)))
        elif entry.get("hash") != hashes[target]:
            stale.append(StaleLink(target, "ændret", tuple(questions)))
    return stale


def record_review(html_dir: Path, courses: list[Course], path: Path = REVIEW_FILE) -> list[str]:
    """Record every linked text's current hash as reviewed; return the targets whose record changed."""
    recorded, hashes = read_review(path), text_hashes(html_dir)
    review = {target: {"hash": hashes[target], "spoergsmaal": questions}
              for target, questions in linked_targets(courses).items() if target in hashes}
    changed = [t for t, entry in review.items() if recorded.get(t) != entry]
    path.write_text(json.dumps(review, ensure_ascii=False, indent=1, sort_keys=True) + "\n", encoding="utf-8")
    return changed


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
            shown = subprocess.run(["git", "show", f"{base}:{rel}"], cwd=source_dir, capture_output=True, text=True, check=False)
            old = split_sections(shown.stdout) if shown.returncode == 0 else {}
        changed += [(path.stem, label) for label, text in new.items()
                    if label and old.get(label) != text]
    return changed
