"""Test modules share code through conftest.py and tests/support, never by importing another test module."""

from __future__ import annotations

import ast
from pathlib import Path

TESTS = Path(__file__).resolve().parents[1]


def is_test_module(name: str) -> bool:
    """True for a dotted module name whose last part pytest collects (test_*.py or *_test.py)."""
    last = name.rsplit(".", 1)[-1]
    return last.startswith("test_") or last.endswith("_test")


def imported_test_modules(source: str) -> list[str]:
    """The test modules that ``source`` imports, however it spells the import."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            found += [a.name for a in node.names if any(is_test_module(p) for p in a.name.split("."))]
        elif isinstance(node, ast.ImportFrom):
            module = node.module or ""
            if any(is_test_module(p) for p in module.split(".")):
                found.append("." * node.level + module)
            else:  # from tests.quizzes import test_reports
                found += [f"{'.' * node.level}{module}.{a.name}" for a in node.names if is_test_module(a.name)]
    return found


def test_the_check_finds_every_spelling():
    source = """
import tests.quizzes.test_reports
from tests.quizzes.test_attempts import login
from tests.quizzes import test_reports as reports
from .test_hr_import import ROWS
def f():
    from tests.org.test_hr_import import HEADER
from tests.support.web import token
from tests.conftest import make_app
"""
    assert sorted(imported_test_modules(source)) == [
        ".test_hr_import", "tests.org.test_hr_import", "tests.quizzes.test_attempts",
        "tests.quizzes.test_reports", "tests.quizzes.test_reports"]


def test_no_module_in_tests_imports_a_test_module():
    offenders = {str(path.relative_to(TESTS)): found for path in sorted(TESTS.rglob("*.py"))
                 if (found := imported_test_modules(path.read_text(encoding="utf-8")))}
    assert offenders == {}, "share fixtures through conftest.py and helpers through tests/support"


def test_helper_modules_are_not_collected_as_tests():
    assert [p.name for p in (TESTS / "support").glob("*.py") if is_test_module(p.stem)] == []
