"""Two instances behind one proxy: the HR file previewed on one is confirmed on the other (issue 11)."""

from __future__ import annotations

import re

from tests.conftest import make_app
from tests.support.hr import HEADER, ROWS, count, login, pending_uploads, token, upload


def test_a_preview_on_instance_a_is_confirmed_on_instance_b(people, basic_build, database_url, tmp_path):
    from klarret.org.models import Employee

    # B shares only the database and the secret key with A: its own instance folder, so nothing on A's disk.
    other = make_app(basic_build, database_url, tmp_path / "b")
    assert other.instance_path != people.instance_path
    ada_a = login(people, "ada@kk.example")
    html = upload(ada_a, ("\n".join([HEADER, *ROWS]) + "\n").encode()).get_data(as_text=True)
    pending = re.search(r'name="token" value="([0-9a-f]{32})"', html).group(1)
    assert pending_uploads(people) == 1

    ada_b = other.test_client()
    ada_b.set_cookie("session", ada_a.get_cookie("session").value)  # the proxy sends the next request to B
    r = ada_b.post("/admin/import/bekraeft", data={"csrf_token": token(ada_b, "/admin/import"), "token": pending,
                                                   "action": "importer"})
    assert r.status_code == 302
    assert "4 nye" in ada_b.get("/admin/import").get_data(as_text=True)
    assert pending_uploads(other) == 0
    with other.app_context():
        assert count(Employee) == 6


def test_only_the_uploader_can_confirm_and_old_previews_are_purged(people, tmp_path):
    import datetime as dt

    from klarret.db import db
    from klarret.org.uploads import StaffUpload, find, purge_expired

    ada = login(people, "ada@kk.example")
    html = upload(ada, ("\n".join([HEADER, *ROWS]) + "\n").encode()).get_data(as_text=True)
    pending = re.search(r'name="token" value="([0-9a-f]{32})"', html).group(1)
    with people.app_context():
        assert find(pending, "900001") is not None and find(pending, "900002") is None
        assert purge_expired(dry_run=True) == 0
        db.session.get(StaffUpload, pending).created_at -= dt.timedelta(days=2)
        db.session.commit()
        assert find(pending, "900001") is None, "an expired preview cannot be confirmed"
        assert purge_expired(dry_run=False) == 1
    assert pending_uploads(people) == 0
