"""Course files (TOML): load, validate against the guidance export, and derive each course's version."""

from __future__ import annotations

import hashlib
import json
import sys
import tomllib
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from klarret.export import RECORDS_FILE, anchors, export_dir, iter_records
from quizzes.courses.classroom_part import ClassroomPart, parse_classroom
from quizzes.courses.rules import Rule, parse_rules

COURSES_DIR = Path(__file__).parent
TYPES = ("single", "multiple", "truefalse")
AUDIENCES = ("alle", "nye", "ledere", "valgfri")
TRUE_FALSE = (("sand", "Sandt"), ("falsk", "Falsk"))
# When a result page shows the correct options: by default after a pass or after the last allowed
# attempt, so an empty submission cannot be used to read the key.
SHOW_ANSWERS = ("efter-sidste-forsoeg", "efter-bestaaet", "altid")


@dataclass
class Option:
    id: str
    text: str
    correct: bool = False


@dataclass
class Question:
    id: str
    page: str
    anchor: str
    type: str
    prompt: str
    explanation: str
    options: list[Option]
    scenario: str = ""

    @property
    def correct_ids(self) -> frozenset[str]:
        return frozenset(o.id for o in self.options if o.correct)

    @property
    def case_based(self) -> bool:
        return bool(self.scenario.strip())


@dataclass
class Module:
    id: str
    title: str
    intro: str
    reading: list[str]
    questions: list[Question]


@dataclass
class Course:
    id: str
    title: str
    description: str
    pass_mark: int
    minutes: int
    max_attempts: int
    audience: str
    modules: list[Module]
    source: str = ""
    version: str = ""
    # Who must take it and when (not content: a rule change gives no new version).
    rules: list[Rule] = field(default_factory=list)
    # When the result page shows the correct options (not content either).
    show_answers: str = SHOW_ANSWERS[0]
    # The classroom part and what completion needs (`[holdundervisning]`; not content either).
    classroom: ClassroomPart | None = None

    @property
    def has_elearning(self) -> bool:
        """Whether the course has an e-learning part (a classroom-only course has no modules)."""
        return self.classroom is None or self.classroom.mode != "fremmoede"

    @property
    def mandatory(self) -> bool:
        return bool(self.rules)

    @property
    def renew_months(self) -> int:
        """Months until a completion expires (0: never); the same for every rule of the course."""
        return self.rules[0].renew_months if self.rules else 0

    @property
    def soon_days(self) -> int:
        """The "udløber snart" window before expiry, in days."""
        return self.rules[0].soon_days if self.rules else 0

    @property
    def questions(self) -> list[Question]:
        return [q for m in self.modules for q in m.questions]

    def question(self, qid: str) -> Question | None:
        return next((q for q in self.questions if q.id == qid), None)

    def to_json(self) -> dict[str, Any]:
        """The content that defines the course (what the version is derived from and what is pinned)."""
        data = asdict(self)
        data.pop("source")
        data.pop("version")
        data.pop("rules")
        data.pop("show_answers")
        data.pop("classroom")
        return data

    @classmethod
    def from_json(cls, data: dict[str, Any], version: str = "", source: str = "") -> Course:
        modules = [Module(**{**m, "questions": [Question(**{**q, "options": [Option(**o) for o in q["options"]]})
                                               for q in m["questions"]]}) for m in data["modules"]]
        return cls(**{**data, "modules": modules}, version=version, source=source)


@dataclass
class CourseError:
    """One problem in a course file, named by file and question id."""

    file: str
    where: str
    message: str

    def __str__(self) -> str:
        return f"{self.file}: {self.where}: {self.message}" if self.where else f"{self.file}: {self.message}"


def version_of(content: dict[str, Any]) -> str:
    """A short hash of the course's content: any edit gives a new version."""
    canonical = json.dumps(content, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(canonical.encode()).hexdigest()[:12]


def _text(d: dict, key: str) -> str:
    value = d.get(key, "")
    return value.strip() if isinstance(value, str) else ""


def parse_course(path: Path, errors: list[CourseError]) -> Course | None:
    """Read one course file; structural problems go to ``errors``."""
    name = path.name
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as exc:
        errors.append(CourseError(name, "", f"TOML-fejl: {exc}. Ret syntaksen (fx manglende anførselstegn)."))
        return None
    err = lambda where, msg: errors.append(CourseError(name, where, msg))  # noqa: E731
    for key in ("id", "title"):
        if not _text(data, key):
            err("", f"mangler '{key}'.")
    classroom = parse_classroom(data, err)
    classroom_only = classroom is not None and classroom.mode == "fremmoede"
    pass_mark = data.get("pass_mark", 100 if classroom_only else None)
    if not isinstance(pass_mark, int) or not 1 <= pass_mark <= 100:
        err("", f"pass_mark skal være et helt tal fra 1 til 100 (procent), ikke {pass_mark!r}.")
        pass_mark = 100
    audience = data.get("audience", "valgfri")
    if audience not in AUDIENCES:
        err("", f"audience '{audience}' er ukendt; brug en af {', '.join(AUDIENCES)}.")
    modules = []
    for mi, m in enumerate(data.get("modules", []), 1):
        mid = _text(m, "id") or f"modul {mi}"
        questions = [q for q in (_question(name, mid, q, errors) for q in m.get("questions", [])) if q]
        if not m.get("questions"):
            err(f"modul {mid}", "modulet har ingen spørgsmål. Tilføj spørgsmål eller fjern modulet.")
        modules.append(Module(mid, _text(m, "title"), _text(m, "intro"), list(m.get("reading", [])), questions))
    if not modules and not classroom_only:
        err("", "kurset har ingen moduler. Tilføj moduler, eller gør det til et rent fremmødekursus med "
                "[holdundervisning] gennemfoerelse = \"fremmoede\".")
    elif modules and classroom_only:
        err("", "et kursus med gennemfoerelse = \"fremmoede\" har ingen e-læring; fjern modulerne eller vælg "
                "\"begge\" eller \"enten\".")
    show_answers = data.get("vis_svar", SHOW_ANSWERS[0])
    if show_answers not in SHOW_ANSWERS:
        err("", f"vis_svar '{show_answers}' er ukendt; brug en af {', '.join(SHOW_ANSWERS)}.")
        show_answers = SHOW_ANSWERS[0]
    course = Course(_text(data, "id"), _text(data, "title"), _text(data, "description"), pass_mark,
                    int(data.get("minutes", 0) or 0), int(data.get("max_attempts", 0) or 0), audience,
                    modules, source=name, rules=parse_rules(data, err), show_answers=show_answers,
                    classroom=classroom)
    course.version = version_of(course.to_json())
    return course


def _question(file: str, module: str, q: dict, errors: list[CourseError]) -> Question | None:
    qid = _text(q, "id")
    where = f"spørgsmål {qid or '(uden id)'} i modul {module}"
    err = lambda msg: errors.append(CourseError(file, where, msg))  # noqa: E731
    if not qid:
        err("mangler 'id'.")
        return None
    qtype = q.get("type")
    if qtype not in TYPES:
        err(f"type '{qtype}' er ukendt; brug single, multiple eller truefalse.")
        return None
    for key in ("page", "anchor", "prompt", "explanation"):
        if not _text(q, key):
            err(f"mangler '{key}'.")
    if qtype == "truefalse":
        if not isinstance(q.get("answer"), bool):
            err("et sandt/falsk-spørgsmål skal have answer = true eller answer = false.")
            return None
        options = [Option(oid, label, (oid == "sand") == q["answer"]) for oid, label in TRUE_FALSE]
    else:
        options = [Option(str(o.get("id", "")).strip(), str(o.get("text", "")).strip(), o.get("correct") is True)
                   for o in q.get("options", [])]
        ids = [o.id for o in options]
        if len(options) < 2 or any(not o.id or not o.text for o in options):
            err("skal have mindst to svarmuligheder, hver med id og text.")
        if len(set(ids)) != len(ids):
            err(f"svarmulighedernes id'er skal være forskellige: {ids}.")
        n = sum(o.correct for o in options)
        if n == 0:
            err("har intet rigtigt svar. Sæt correct = true på det rigtige svar.")
        elif qtype == "single" and n > 1:
            err(f"er et single-spørgsmål med {n} rigtige svar; brug type = \"multiple\" eller ret svarene.")
        elif qtype == "multiple" and n == len(options):
            err("alle svarmuligheder er rigtige; så kan spørgsmålet ikke skelne. Tilføj et forkert svar.")
    return Question(qid, _text(q, "page"), _text(q, "anchor"), qtype, _text(q, "prompt"),
                    _text(q, "explanation"), options, _text(q, "scenario"))


def check_references(courses: list[Course], known: dict[str, set[str]], errors: list[CourseError]) -> None:
    """Every question's page#anchor and every reading link must exist in the guidance export."""
    for c in courses:
        for m in c.modules:
            for ref in m.reading:
                page, _, anchor = ref.partition("#")
                if page not in known or anchor not in known[page]:
                    errors.append(CourseError(c.source, f"modul {m.id}",
                                              f"læsning '{ref}' findes ikke i vejledningen."))
            for q in m.questions:
                if q.page not in known:
                    errors.append(CourseError(c.source, f"spørgsmål {q.id}",
                                              f"siden '{q.page}' findes ikke i vejledningen."))
                elif q.anchor not in known[q.page]:
                    errors.append(CourseError(c.source, f"spørgsmål {q.id}",
                                              f"ankeret '{q.anchor}' findes ikke på siden '{q.page}'."))


def load_courses(courses_dir: Path = COURSES_DIR,
                 html_dir: Path | None = None) -> tuple[list[Course], list[CourseError]]:
    """All course files, and every error; references are checked when ``html_dir`` is given."""
    errors: list[CourseError] = []
    courses = [c for c in (parse_course(p, errors) for p in sorted(Path(courses_dir).glob("*.toml"))) if c]
    seen_courses: dict[str, str] = {}
    seen_questions: dict[str, str] = {}
    for c in courses:
        if c.id in seen_courses:
            errors.append(CourseError(c.source, "", f"kursus-id'et '{c.id}' bruges også i {seen_courses[c.id]}."))
        seen_courses[c.id] = c.source
        modules = [m.id for m in c.modules]
        for dup in {m for m in modules if modules.count(m) > 1}:
            errors.append(CourseError(c.source, f"modul {dup}", "modul-id'et bruges to gange i kurset."))
        for q in c.questions:
            if q.id in seen_questions:
                errors.append(CourseError(c.source, f"spørgsmål {q.id}",
                                          f"id'et bruges også i {seen_questions[q.id]}."))
            seen_questions[q.id] = c.source
    if html_dir is not None:
        check_references(courses, anchors(iter_records(export_dir(html_dir) / RECORDS_FILE)), errors)
    return courses, errors


def main(argv: list[str]) -> int:
    """python -m quizzes.courses.loader HTML_DIR [COURSES_DIR]: print the errors; exit 1 if any."""
    html = Path(argv[0]) if argv else None
    courses, errors = load_courses(Path(argv[1]) if len(argv) > 1 else COURSES_DIR, html)
    for e in errors:
        print(e)
    for c in courses:
        print(f"{c.id}: {len(c.modules)} moduler, {len(c.questions)} spørgsmål, "
              f"{sum(q.case_based for q in c.questions)} sagsbaserede, version {c.version}")
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
