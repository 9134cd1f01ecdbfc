"""Knowledge gaps: per guidance page and administration, how often first answers to its questions are wrong."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from sqlalchemy import case, func, select

from klarret.db import db
from klarret.org.models import Administration, Employee, Unit
from quizzes.models import Answer, Attempt, CourseVersion
from quizzes.reports.figures import percent

MIN_GROUP = 5  # smaller groups are hidden so no one can be singled out


@dataclass
class GapCell:
    people: int
    answers: int
    wrong: int

    @property
    def hidden(self) -> bool:
        return self.people < MIN_GROUP

    @property
    def wrong_pct(self) -> int | None:
        return None if self.hidden else percent(self.wrong, self.answers)


def question_pages() -> dict[str, str]:
    """Question id -> the page id it is about, from every pinned course version and the current files."""
    from quizzes.courses import catalogue

    pages: dict[str, str] = {}
    for (content,) in db.session.execute(select(CourseVersion.content)):
        for m in content.get("modules", []):
            for q in m.get("questions", []):
                pages[q["id"]] = q["page"]
    for c in catalogue().values():
        pages.update({q.id: q.page for q in c.questions})
    return pages


def knowledge_gaps() -> tuple[list[str], dict[str, dict[str, GapCell]]]:
    """Per page id and administration: people, first answers and wrong first answers.

    Only each person's first submitted attempt of each course counts (later attempts are practice).
    Employees excluded from statistics are left out.
    """
    pages = question_pages()
    if not pages:
        return [], {}
    first = (select(func.min(Attempt.id).label("id")).where(Attempt.submitted_at.is_not(None))
             .group_by(Attempt.staff_no, Attempt.course_id).subquery())
    page = case(pages, value=Answer.question_id, else_="")
    stmt = (select(page.label("page"), Unit.administration_code, func.count(func.distinct(Attempt.staff_no)),
                   func.count(), func.sum(case((Answer.correct.is_(True), 0), else_=1)))
            .select_from(Answer).join(first, first.c.id == Answer.attempt_id)
            .join(Attempt, Attempt.id == Answer.attempt_id).join(Employee, Employee.staff_no == Attempt.staff_no)
            .join(Unit, Unit.id == Employee.unit_id).where(Employee.excluded_from_stats.is_(False))
            .group_by(page, Unit.administration_code))
    out: dict[str, dict[str, GapCell]] = defaultdict(dict)
    for page_id, code, people, answers, wrong in db.session.execute(stmt):
        if page_id:
            out[page_id][code] = GapCell(people, answers, int(wrong or 0))
    admins = list(db.session.scalars(select(Administration.code).order_by(Administration.code)))
    return admins, dict(out)

