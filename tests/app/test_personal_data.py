"""Personal data typed into search is masked before anything stores or logs it (issue 10, finding 12)."""

from __future__ import annotations

import logging

import pytest

from klarret.personal_data import MaskingFilter, mask


@pytest.mark.parametrize("raw", [
    "010190-1234", "0101901234", "010190 1234", "010190.1234", "01.01.90-1234", "010190 - 1234",
    "010190\u20101234", "010190\u20131234", "0101 90 1234", "01 01 90 1234", "01-01-90-1234",
])
def test_every_common_cpr_spelling_is_masked(raw):
    assert mask(f"afslag til {raw} om hjælp") == "afslag til [cpr-nummer] om hjælp"


@pytest.mark.parametrize("raw", [
    "12345678", "12 34 56 78", "1234 5678", "+45 12345678", "+4512345678", "0045 12 34 56 78", "12-34-56-78",
    "12.34.56.78",
])
def test_phone_numbers_are_masked(raw):
    assert mask(f"ring {raw} i morgen") == "ring [telefonnummer] i morgen"


@pytest.mark.parametrize("raw", [
    "anna.hansen@kk.dk", "Anna.Hansen@KK.DK", "anna (at) kk.dk", "anna[at]kk.dk", "anna @ kk . dk",
    "anna(a)kk.dk", "anna@kk(dot)dk",
])
def test_e_mail_variants_are_masked(raw):
    assert mask(f"skriv til {raw} om aktindsigt") == "skriv til [e-mail] om aktindsigt"


@pytest.mark.parametrize("text", [
    "fvl § 19, stk. 2", "offl §§ 13 og 15", "gdpr artikel 32", "frist 14 dage", "lov nr. 433 af 2014",
    "ret at klage. Hvad nu", "bekendtgørelse 1234", "7 arbejdsdage", "kl. 12.30",
])
def test_ordinary_queries_are_left_alone(text):
    assert mask(text) == text


def test_log_lines_are_masked(caplog):
    log = logging.getLogger("klarret.test")
    log.addFilter(MaskingFilter())
    with caplog.at_level(logging.INFO, logger="klarret.test"):
        log.info("GET /soeg?q=%s", "010190-1234")
    assert "010190" not in caplog.text and "[cpr-nummer]" in caplog.text


def test_the_access_log_keeps_search_queries_out():
    """gunicorn's access line for a search names the route, not the question; a referer likewise."""
    import datetime as dt
    from types import SimpleNamespace

    from gunicorn.config import Config

    from klarret.access_log import AccessLogger

    logger = AccessLogger(Config())
    environ = {"REQUEST_METHOD": "GET", "RAW_URI": "/soeg?q=min+s%C3%B8ster+010190-1234", "PATH_INFO": "/soeg",
               "QUERY_STRING": "q=min+s%C3%B8ster+010190-1234", "SERVER_PROTOCOL": "HTTP/1.1",
               "HTTP_REFERER": "http://127.0.0.1:5000/api/suggest?q=anna%40kk.dk", "REMOTE_ADDR": "127.0.0.1"}
    resp = SimpleNamespace(status="200 OK", sent=10, headers=[])
    req = SimpleNamespace(headers=[("Referer", environ["HTTP_REFERER"])])
    atoms = logger.atoms(resp, req, environ, dt.timedelta(milliseconds=5))
    line = logger.cfg.access_log_format % atoms
    assert "GET /soeg HTTP/1.1" in line
    assert "s%C3%B8ster" not in line and "010190" not in line and "anna" not in line
    other = dict(environ, RAW_URI="/leder?enhed=12&q=010190-1234", PATH_INFO="/leder",
                 QUERY_STRING="enhed=12&q=010190-1234")
    line = logger.cfg.access_log_format % logger.atoms(resp, req, other, dt.timedelta(milliseconds=5))
    assert "/leder?enhed=12" in line and "010190" not in line
