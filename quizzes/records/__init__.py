"""Learning records out as xAPI: statements, the outbox, sending to the store, backfill (lowest layer).

Other parts queue statements in their own transactions (``outbox.queue_result``, ``queue_completed``,
``queue_booking``, ``queue_attendance``) and register a backfill source (``backfill.add_source``).
"""

from __future__ import annotations

from flask import Flask

from klarret import settings
from klarret.registry import registry

AUDIT_LABELS = {"xapi.backfill": "Læringsudsagn lagt i kø bagudrettet (xAPI)"}


def init_app(app: Flask) -> None:
    """Register `klarret xapi`, the purge of sent statements and, with a store, the privacy item."""
    from klarret.privacy import Item
    from quizzes.records.cli import xapi_group
    from quizzes.records.outbox import purge_sent

    app.cli.add_command(xapi_group)
    reg = registry(app)
    reg.add_audit_labels(AUDIT_LABELS)
    reg.add_retention("Læringsudsagn (xAPI), som læringsregistret har modtaget", purge_sent)
    if settings.of(app).xapi_endpoint:
        reg.add_privacy_item(Item(
            "Læringsudsagn (xAPI) til kommunens læringsregister: medarbejdernummer, kursus, resultat, "
            "tilmelding og fremmøde (aldrig navn eller e-mail)",
            "At kommunens læringsregister kan samle medarbejdernes uddannelseshistorik ét sted.",
            "Databeskyttelsesforordningens art. 6, stk. 1, litra e (kommunens opgave som arbejdsgiver)",
            lambda s: f"I KlarRet, til læringsregistret har modtaget dem, og derefter {s.xapi_sent_days} dage; "
                      "i læringsregistret efter dets egne regler",
            "Kommunens læringsregister og dets administratorer", order=25))
