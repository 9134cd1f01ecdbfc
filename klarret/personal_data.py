"""Personal data that people type where it does not belong (search boxes): masked before it is stored or logged.

What is masked, and so what the statistics page and the privacy notice promise:
- CPR numbers: ten digits as six and four, or as day, month, year and four, with or without spaces,
  dots, slashes or any kind of dash between the groups ("010190-1234", "01.01.90-1234", "0101 90 1234");
- phone numbers: eight digits, alone or in groups of four or two, with or without +45 or 0045 in front
  (a date written with eight digits, "15-01-2024", is masked too: better one date too many);
- e-mail addresses, also written with "(at)", "[at]", "(a)" or "(dot)" and with spaces around them.
"""

from __future__ import annotations

import logging
import re

_SEP = r"[ \t]*[-./\u2010-\u2015\u2212]?[ \t]*"  # spaces, and at most one dot, slash or dash of any kind
CPR = re.compile(rf"(?<![\d,+])\d{{2}}{_SEP}\d{{2}}{_SEP}\d{{2}}{_SEP}\d{{4}}(?![\d,])")
_EIGHT = rf"(?:\d{{8}}|\d{{4}}{_SEP}\d{{4}}|\d{{2}}{_SEP}\d{{2}}{_SEP}\d{{2}}{_SEP}\d{{2}})"
PHONE = re.compile(rf"(?<![\d§,])(?:(?:\+|00)45[ \t]*)?{_EIGHT}(?![\d,])")
_AT = r"\s*(?:@|\(at\)|\[at\]|\(a\))\s*"
_DOT = r"(?:\s*\.\s*|\s*\(dot\)\s*|\s*\[dot\]\s*)"
EMAIL = re.compile(rf"[\w.+-]+{_AT}[\w-]+(?:{_DOT}[a-z]{{2,}}\b)+", re.IGNORECASE)
LABELS = {"cpr": "[cpr-nummer]", "phone": "[telefonnummer]", "email": "[e-mail]"}


def mask(text: str) -> str:
    """``text`` with CPR numbers, phone numbers and e-mail addresses replaced by a label."""
    text = EMAIL.sub(LABELS["email"], text)
    text = CPR.sub(LABELS["cpr"], text)  # before phone numbers: a CPR number holds eight digits too
    return PHONE.sub(LABELS["phone"], text)


class MaskingFilter(logging.Filter):
    """A logging filter that masks personal data in every record it passes (message and arguments)."""

    def filter(self, record: logging.LogRecord) -> bool:
        if record.args:
            record.msg = mask(record.getMessage())
            record.args = None
        elif isinstance(record.msg, str):
            record.msg = mask(record.msg)
        if record.exc_info and not record.exc_text:
            # A traceback quotes the exception's message (and the code's values): formatters reuse exc_text.
            record.exc_text = mask(logging.Formatter().formatException(record.exc_info))
        return True
