"""Reminders to many at once: the manager selects overdue people (or "alle forfaldne"), sees how many, confirms.

Each (person, course) gets one reminder through reminders.send_reminder_now, so the once-a-day rule per
person and course and the audit event per reminder are the same as for the single button.
"""

from __future__ import annotations

from flask import current_app, flash, redirect, render_template, request

from klarret import clock
from klarret.audit import record
from klarret.auth import current_user, login_required
from klarret.db import db
from quizzes.completion.status import Status, StatusRow, status_rows
from quizzes.courses import catalogue
from quizzes.reports import figures
from quizzes.reports.views import _back, _scope, bp

OVERDUE = (Status.OVERDUE, Status.EXPIRED)
SEND_FAILED = ("Påmindelserne kunne ikke sendes lige nu, fordi KlarRet ikke kunne komme i kontakt med "
               "mailsystemet. IT har fået besked. Prøv igen senere.")


def _chosen() -> list[tuple[str, str]]:
    """The (staff number, course) pairs ticked in the form, each once, in the order given."""
    out: dict[tuple[str, str], None] = {}
    for value in request.form.getlist("valgt"):
        staff_no, _, course_id = value.partition("|")
        if staff_no and course_id in catalogue():
            out[(staff_no, course_id)] = None
    return list(out)


def _overdue_rows(pairs: list[tuple[str, str]] | None, scope: frozenset[int]) -> list[StatusRow]:
    """The overdue rows in scope: of the given pairs, or (None) every overdue row matching the page's filter."""
    today = clock.today()
    if pairs is None:
        course_id = request.form.get("kursus") or None
        rows = figures.filtered_rows(scope, course_id=course_id if course_id in catalogue() else None, today=today)
        return [r for r in rows if r.status in OVERDUE]
    wanted = set(pairs)
    rows = status_rows(unit_ids=scope, staff_nos=sorted({s for s, _ in pairs}), today=today)
    return [r for r in rows if (r.staff_no, r.course_id) in wanted and r.status in OVERDUE]


@bp.post("/leder/paamind/flere")
@login_required
def remind_many():
    """Step 1 shows who will get a reminder and asks to confirm; step 2 (bekraeft=ja) sends them."""
    scope = _scope()
    everyone = request.form.get("hvem") == "alle"
    rows = _overdue_rows(None if everyone else _chosen(), scope)
    if not rows:
        flash("Vælg mindst én forfalden medarbejder, eller vælg »Send til alle forfaldne«.")
        return redirect(_back())
    people = len({r.staff_no for r in rows})
    if request.form.get("bekraeft") != "ja":
        return render_template("quizzes/reports/confirm_reminders.html", rows=rows, people=people,
                               back=_back())
    return _send(rows, people)


def _send(rows: list[StatusRow], people: int):
    from quizzes.reports.reminders import SendError, send_reminder_now

    me = current_user().staff_no
    sent = skipped = 0
    failed = False
    for r in rows:
        try:
            send_reminder_now(r.staff_no, r.course_id, me, today=clock.today())
            sent += 1
        except ValueError:  # already reminded today about this course, or no e-mail address
            db.session.rollback()
            skipped += 1
        except SendError as exc:  # the operator gets the details; the manager a message she can act on
            db.session.rollback()
            current_app.logger.error("Påmindelser fra /leder kunne ikke sendes: %s", exc)
            failed = True
            break
    record(me, "reminders.bulk", "", requested=len(rows), people=people, sent=sent, skipped=skipped,
           failed=failed)
    db.session.commit()
    if failed:
        flash(SEND_FAILED + (f" {_count(sent)} blev sendt, før fejlen opstod." if sent else ""))
    else:
        flash(f"{_count(sent)} sendt." + (f" {skipped} fik ingen, fordi de allerede har fået en påmindelse om "
                                          "kurset i dag eller mangler en e-mailadresse." if skipped else ""))
    return redirect(_back())


def _count(n: int) -> str:
    return f"{n} {'påmindelse' if n == 1 else 'påmindelser'}"
