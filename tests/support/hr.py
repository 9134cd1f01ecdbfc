"""A small HR file (header and rows) and the helpers shared by the HR import and the staff admin tests."""

from __future__ import annotations

import io
import re

from sqlalchemy import func, select

HEADER = "medarbejdernummer;navn;email;forvaltning;enhed;stilling;startdato;slutdato;leder_for"
ROWS = [
    "000101;Anna Hansen;anna@kk.example;SOF;Center for Udsatte Voksne / Team Nord;Socialrådgiver;01-03-2020;;",
    "000102;Bo Jensen;bo@kk.example;SOF;Center for Udsatte Voksne / Team Syd;Sagsbehandler;2021-06-15;;",
    "000103;Leila Ahmed;leila@kk.example;SOF;Center for Udsatte Voksne;Centerchef;01-01-2015;;"
    "\"Center for Udsatte Voksne;Center for Udsatte Voksne / Team Nord\"",
    "000201;Carl Berg;carl@kk.example;BIF;Jobcenter København / Ydelsesservice / Team 1;Jobkonsulent;01-02-2019;;",
]


def write(tmp_path, lines, name="hr.csv", encoding="utf-8-sig"):
    path = tmp_path / name
    path.write_bytes("\r\n".join(lines).encode(encoding) + b"\r\n")
    return path


def do_import(path, **kw):
    from klarret.org.hr_import import run_import

    return run_import(path, "test", **kw)


def count(model, *where):
    from klarret.db import db

    return db.session.scalar(select(func.count()).select_from(model).where(*where))


def employee(staff_no):
    from klarret.db import db
    from klarret.org.models import Employee

    db.session.expire_all()
    return db.session.get(Employee, staff_no)


PASSWORD = "hemmeligt-kodeord"  # the staff-admin tests' accounts


def token(client, url):
    return re.search(r'name="csrf_token" value="([^"]+)"', client.get(url).get_data(as_text=True)).group(1)


def login(app, email):
    client = app.test_client()
    r = client.post("/login", data={"email": email, "password": PASSWORD, "csrf_token": token(client, "/login")})
    assert r.status_code == 302
    return client


def upload(client, content: bytes, name="hr.csv"):
    return client.post("/admin/import", data={"csrf_token": token(client, "/admin/import"),
                                              "fil": (io.BytesIO(content), name)},
                       content_type="multipart/form-data")


def pending_uploads(app) -> int:
    """How many uploaded HR files await confirmation (they are kept in the database, for every instance)."""
    from klarret.org.uploads import StaffUpload

    with app.app_context():
        return count(StaffUpload)
