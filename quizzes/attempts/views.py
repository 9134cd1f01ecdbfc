"""E-learning pages: my courses, a course, its modules, the review, the result and the certificate."""

from __future__ import annotations

from flask import abort, jsonify, redirect, render_template, request, url_for
from markdown_it import MarkdownIt
from markupsafe import Markup
from werkzeug.exceptions import BadRequest

from klarret.auth import current_user, login_required
from klarret.db import db
from klarret.errors import danish
from klarret.urls import absolute_url
from quizzes.attempts.service import (
    AttemptError,
    answers_of,
    attempts_left,
    completion_by_code,
    completion_of,
    module_questions,
    pinned_course,
    save_answer,
    shows_key,
    shuffled,
    start_attempt,
    submit,
)
from quizzes.courses import catalogue
from quizzes.courses.links import link_title, page_urls
from quizzes.models import Attempt
from quizzes.web import bp

_md = MarkdownIt("commonmark", {"html": False})


@bp.app_template_filter("md")
def markdown_filter(text: str) -> Markup:
    """Course Markdown (prompts, explanations) as HTML; raw HTML in the source is escaped."""
    return Markup(_md.render(text or ""))


def course_or_404(course_id: str):
    course = catalogue().get(course_id)
    if course is None:
        abort(404)
    return course


def _own_attempt(attempt_id: int) -> Attempt:
    """The attempt, if it is the logged-in employee's; another's is 'not found', not 'forbidden'."""
    attempt = db.session.get(Attempt, attempt_id)
    if attempt is None or attempt.staff_no != current_user().staff_no:
        abort(404)
    return attempt


def guidance_url(page: str, anchor: str = "") -> str:
    """The guidance URL of a page id (and anchor), from the export's page index."""
    base = page_urls().get(page, "")
    if not base:
        return ""
    return f"/{base}#{anchor}" if anchor else f"/{base}"



@bp.post("/kurser/<course_id>/start")
@login_required
def start(course_id: str):
    course = course_or_404(course_id)
    if not course.has_elearning:
        return render_template("quizzes/message.html", title="Kurset er holdundervisning",
                               message="Kurset har ingen e-læring. Tilmeld dig et hold i stedet."), 400
    try:
        attempt = start_attempt(current_user(), course)
    except AttemptError as exc:
        return render_template("quizzes/message.html", title="Ingen flere forsøg", message=exc.message), exc.status
    return redirect(url_for("quizzes.module", attempt_id=attempt.id, index=0))


@bp.route("/forsoeg/<int:attempt_id>/modul/<int:index>", methods=["GET", "POST"])
@login_required
def module(attempt_id: int, index: int):
    """One module: its introduction, reading and questions; POST saves the answers and moves on."""
    attempt = _own_attempt(attempt_id)
    course = pinned_course(attempt)
    if attempt.submitted_at is not None:
        return redirect(url_for("quizzes.result", attempt_id=attempt.id))
    if not 0 <= index < len(course.modules):
        abort(404)
    questions = module_questions(attempt, course, index)
    errors: dict[str, str] = {}
    if request.method == "POST":
        for q in questions:
            chosen = request.form.getlist(f"q-{q.id}")
            if chosen:
                try:
                    save_answer(attempt, q.id, chosen)
                except AttemptError as exc:
                    if exc.status == 409:
                        return render_template("quizzes/message.html", title="Forsøget er afleveret",
                                               message=exc.message), 409
                    raise danish(BadRequest, exc.message) from None
        if request.form.get("go") == "back" and index > 0:
            return redirect(url_for("quizzes.module", attempt_id=attempt.id, index=index - 1))
        if index + 1 < len(course.modules):
            return redirect(url_for("quizzes.module", attempt_id=attempt.id, index=index + 1))
        return redirect(url_for("quizzes.review", attempt_id=attempt.id))
    return render_template("quizzes/module.html", attempt=attempt, course=course, index=index,
                           module=course.modules[index], questions=questions, answers=answers_of(attempt),
                           shuffled=shuffled, errors=errors, guidance_url=guidance_url, link_title=link_title)


@bp.post("/api/forsoeg/<int:attempt_id>/svar")
@login_required
def api_answer(attempt_id: int):
    """Save one answer as it is given (the module page calls this on every change)."""
    attempt = _own_attempt(attempt_id)
    data = request.get_json(silent=True)
    if not isinstance(data, dict):  # a list, a string or broken JSON is no answer
        data = {}
    qid, options = data.get("question"), data.get("options")
    if not isinstance(qid, str) or not isinstance(options, list) or not all(isinstance(o, str) for o in options):
        raise danish(BadRequest, "Svaret skal have et spørgsmål og en liste af svarmuligheder.")
    try:
        save_answer(attempt, qid, options)
    except AttemptError as exc:
        return jsonify({"error": {"status": exc.status, "message": exc.message}}), exc.status
    return jsonify({"saved": True, "question": qid})


@bp.get("/forsoeg/<int:attempt_id>/gennemse")
@login_required
def review(attempt_id: int):
    """Before submission: what is answered and what is not."""
    attempt = _own_attempt(attempt_id)
    if attempt.submitted_at is not None:
        return redirect(url_for("quizzes.result", attempt_id=attempt.id))
    course = pinned_course(attempt)
    answers = answers_of(attempt)
    missing = [(i, m, q) for i, m in enumerate(course.modules) for q in m.questions if q.id not in answers]
    return render_template("quizzes/review.html", attempt=attempt, course=course, missing=missing,
                           answered=len(answers))


@bp.post("/forsoeg/<int:attempt_id>/aflever")
@login_required
def hand_in(attempt_id: int):
    """Submit once; a double click or a second tab lands on the same result."""
    attempt = _own_attempt(attempt_id)
    submit(attempt)
    return redirect(url_for("quizzes.result", attempt_id=attempt.id))


@bp.get("/forsoeg/<int:attempt_id>/resultat")
@login_required
def result(attempt_id: int):
    """After submission: score, pass or fail, and per question the explanation and the rule's section."""
    attempt = _own_attempt(attempt_id)
    if attempt.submitted_at is None:
        return redirect(url_for("quizzes.review", attempt_id=attempt.id))
    course = pinned_course(attempt)
    answers = answers_of(attempt)
    marks = {a.question_id: a.correct for a in attempt.answers}
    user = current_user()
    current = catalogue().get(course.id)
    left = attempts_left(user, current) if current else 0
    # The questions in the order and with the numbers the person saw them (shuffled per attempt).
    seen = [(m, module_questions(attempt, course, i)) for i, m in enumerate(course.modules)]
    return render_template("quizzes/result.html", attempt=attempt, course=course, answers=answers, marks=marks,
                           completion=completion_of(user, course.id), left=left, guidance_url=guidance_url,
                           show_key=shows_key(current or course, attempt, left), seen=seen, shuffled=shuffled,
                           link_title=link_title)


@bp.route("/bevis", methods=["GET"])
def verify_form():
    """Anyone can check a certificate's code."""
    code = request.args.get("kode", "").strip()
    if code:
        return redirect(url_for("quizzes.certificate", code="".join(code.split()).upper()))
    return render_template("quizzes/verify.html")


@bp.get("/bevis/<code>")
def certificate(code: str):
    """The printable certificate, which doubles as its own verification page."""
    completion = completion_by_code(code)
    if completion is None:
        return render_template("quizzes/verify.html", code=code, unknown=True), 404
    attempt = completion.attempt
    course = pinned_course(attempt)
    from klarret.org.models import Employee

    person = db.session.get(Employee, completion.staff_no)
    return render_template("quizzes/certificate.html", completion=completion, course=course, person=person,
                           verify_url=absolute_url(url_for("quizzes.certificate", code=completion.code)))
