"""Course questions against the sections they link to: the review record, the build warning, changes since a date."""

from __future__ import annotations

import datetime as dt
import json
import os
import subprocess

from klarret.guidance.history import sections_changed_since, split_sections
from quizzes.courses.loader import load_courses
from quizzes.courses.review import REVIEW_FILE, linked_targets, record_review, stale_links


def test_a_recorded_review_goes_stale_when_a_linked_text_changes(guidance_build, tmp_path):
    html, courses = guidance_build / "html", load_courses()[0]
    record = tmp_path / "review.json"
    recorded = record_review(html, courses, record)
    assert recorded and record_review(html, courses, record) == []  # nothing new the second time
    assert stale_links(html, courses, record) == []

    review = json.loads(record.read_text(encoding="utf-8"))
    target = "partshoering#partshoering-undtagelser"
    assert target in review and review[target]["spoergsmaal"] == linked_targets(courses)[target]
    review[target]["hash"] = "000000000000"
    del review["borgerraadgiveren#borgerraadgiveren-sag-afslag-og-tone"]
    record.write_text(json.dumps(review), encoding="utf-8")
    stale = {s.target: s for s in stale_links(html, courses, record)}
    assert set(stale) == {target, "borgerraadgiveren#borgerraadgiveren-sag-afslag-og-tone"}
    assert stale[target].reason == "ændret"
    assert stale["borgerraadgiveren#borgerraadgiveren-sag-afslag-og-tone"].reason == "ikke gennemgået endnu"
    assert all(q in stale[target].message() for q in stale[target].questions)


def test_the_build_step_warns_naming_the_questions(guidance_build, tmp_path, monkeypatch, capsys):
    from quizzes.courses import review

    record = tmp_path / "review.json"
    record_review(guidance_build / "html", load_courses()[0], record)
    data = json.loads(record.read_text(encoding="utf-8"))
    data["partshoering#partshoering-undtagelser"]["hash"] = "x"
    record.write_text(json.dumps(data), encoding="utf-8")
    monkeypatch.setattr(review, "REVIEW_FILE", record)
    review.review_step(guidance_build / "html")
    out = capsys.readouterr().out
    assert "ADVARSEL: partshoering#partshoering-undtagelser er ændret" in out
    assert "klarret courses review" in out


def test_the_committed_review_record_covers_every_linked_section():
    linked = linked_targets(load_courses()[0])
    recorded = json.loads(REVIEW_FILE.read_text(encoding="utf-8"))
    assert set(recorded) == set(linked)


def test_split_sections_at_myst_labels():
    text = "---\nsummary: x\n---\n\n(side)=\n# Side\n\nIntro.\n\n(side-a)=\n## A\n\nEn  tekst.\n"
    assert split_sections(text) == {"": "--- summary: x ---", "side": "# Side Intro.", "side-a": "## A En tekst."}


def test_sections_changed_since_a_date_come_from_git_history(tmp_path):
    def git(*args: str, date: str | None = None) -> None:
        env = {**os.environ, "GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@t", "GIT_COMMITTER_NAME": "t",
               "GIT_COMMITTER_EMAIL": "t@t"}
        if date:
            env |= {"GIT_AUTHOR_DATE": date, "GIT_COMMITTER_DATE": date}
        subprocess.run(["git", *args], cwd=tmp_path, env=env, check=True, capture_output=True)

    page = tmp_path / "side.md"
    page.write_text("(side)=\n# Side\n\n(side-a)=\n## A\n\nGammel.\n\n(side-b)=\n## B\n\nUændret.\n")
    git("init", "-q")
    git("add", ".")
    git("commit", "-qm", "first", date="2026-01-05T12:00:00")
    page.write_text(page.read_text().replace("Gammel.", "Ny.") + "\n(side-c)=\n## C\n\nTilføjet.\n")
    git("commit", "-qam", "second", date="2026-03-05T12:00:00")
    assert sections_changed_since(tmp_path, dt.date(2026, 2, 1)) == [("side", "side-a"), ("side", "side-c")]
    assert sections_changed_since(tmp_path, dt.date(2026, 4, 1)) == []
    assert [label for _, label in sections_changed_since(tmp_path, dt.date(2025, 1, 1))] == [
        "side", "side-a", "side-b", "side-c"]


def test_changed_since_report_names_the_sections_and_the_questions_linking_to_them(tmp_path, guidance_build):
    """`klarret content report --changed-since`: the changed sections, then the course questions that link there."""
    from klarret.app import create_app

    def git(*args: str, date: str) -> None:
        env = {**os.environ, "GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@t", "GIT_COMMITTER_NAME": "t",
               "GIT_COMMITTER_EMAIL": "t@t", "GIT_AUTHOR_DATE": date, "GIT_COMMITTER_DATE": date}
        subprocess.run(["git", *args], cwd=tmp_path, env=env, check=True, capture_output=True)

    page = tmp_path / "partshoering.md"
    page.write_text("(partshoering)=\n# Partshøring\n\n(partshoering-undtagelser)=\n## Undtagelser\n\nGammel.\n")
    git("init", "-q", date="2026-01-05T12:00:00")
    git("add", ".", date="2026-01-05T12:00:00")
    git("commit", "-qm", "first", date="2026-01-05T12:00:00")
    page.write_text(page.read_text().replace("Gammel.", "Ny."))
    git("commit", "-qam", "second", date="2026-03-05T12:00:00")
    app = create_app({"TESTING": True, "KLARRET_SOURCE_DIR": tmp_path, "KLARRET_BUILD_DIR": guidance_build,
                      "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'k.db'}", "SECRET_KEY": "t"})
    with app.app_context():
        out = app.test_cli_runner().invoke(args=["content", "report", "--changed-since", "2026-02-01"])
    assert out.exit_code == 0, out.output
    assert "1 afsnit er ændret siden 1. februar 2026" in out.output
    assert "partshoering › partshoering-undtagelser" in out.output
    linking = linked_targets(load_courses()[0])["partshoering#partshoering-undtagelser"]
    assert f"{len(linking)} kursusspørgsmål linker til disse afsnit" in out.output
