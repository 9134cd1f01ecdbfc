"""Course questions and the guidance they link to: a review record of the linked sections.

The record (``quizzes/courses/gennemgaaede-afsnit.json``, committed like a lock file) keeps, for every
section, case or page a course question links to, the hash of its text as the courses were last
reviewed. The build warns, naming the questions, when a linked text has changed since; an editor records
the review with ``klarret courses review``.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from pathlib import Path

from klarret.export import RECORDS_FILE, export_dir, iter_records
from quizzes.courses.loader import COURSES_DIR, Course

REVIEW_FILE = COURSES_DIR / "gennemgaaede-afsnit.json"


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


def review_step(html_dir: Path) -> None:
    """Build step: warn, naming the questions, when a linked section changed since the courses' review."""
    import click

    from quizzes.courses.cli import check_files

    stale = stale_links(html_dir, check_files(None)[0], REVIEW_FILE)
    for link in stale:
        click.echo(f"ADVARSEL: {link.message()}")
    if stale:
        click.echo("Når spørgsmålene er gennemgået: kør 'klarret courses review' og commit filen.")
