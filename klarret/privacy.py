"""/privatliv: the privacy notice (GDPR art. 13-14). Each part that stores personal data describes it here.

The periods come from the settings, the data-protection contact from KLARRET_PRIVACY_CONTACT; a legal
basis not yet confirmed by a jurist is shown as such, never presented as settled.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from flask import Flask, render_template

from klarret import settings
from klarret.settings import Settings

RIGHTS = (
    ("Indsigt", "Du kan få at vide, hvilke oplysninger KlarRet har om dig (art. 15)."),
    ("Berigtigelse", "Er en oplysning forkert, kan du få den rettet (art. 16). Navn, enhed og stilling kommer "
                     "fra HR-systemet og rettes der."),
    ("Sletning og begrænsning", "Du kan bede om at få oplysninger slettet eller brugen begrænset (art. 17 og 18), "
                                "når de ikke længere skal bruges."),
    ("Indsigelse", "Du kan gøre indsigelse mod behandlingen (art. 21)."),
    ("Klage", "Du kan klage til Datatilsynet (art. 77), datatilsynet.dk."),
)


@dataclass(frozen=True)
class Item:
    """One kind of personal data KlarRet keeps: what, why, on which basis, how long, who sees it."""

    what: str
    why: str
    basis: str
    kept: Callable[[Settings], str]
    who: str
    basis_confirmed: bool = False  # False: shown as awaiting a jurist's confirmation
    order: int = 50


CORE_ITEMS = (
    Item("Navn, e-mail, medarbejdernummer, enhed, stilling, start- og slutdato og lederroller fra HR-systemet",
         "At vide, hvem der skal tage de obligatoriske kurser, og hvem der er leder for hvem.",
         "Databeskyttelsesforordningens art. 6, stk. 1, litra e (kommunens opgave som arbejdsgiver)",
         lambda s: f"Så længe du er ansat, og derefter {s.retention_years} år; så anonymiseres du, "
                   "men resultaterne tæller stadig med i statistikken",
         "Du selv, dine ledere og deres stedfortrædere, administratorer", order=10),
    Item("Revisionslog: hvem der har logget ind (eller forsøgt), importeret, fritaget, eksporteret og ændret roller",
         "At kunne se efter, hvem der har gjort hvad, hvis noget går galt eller misbruges.",
         "Databeskyttelsesforordningens art. 6, stk. 1, litra e, og art. 32 (sikkerhed)",
         lambda s: f"{s.audit_years} år", "Administratorer", order=80),
    Item("Login: en tilfældig sessionsnøgle, og antallet af forkerte forsøg pr. konto og netværksadresse",
         "At holde dig logget ind og at standse forsøg på at gætte adgangskoder.",
         "Databeskyttelsesforordningens art. 6, stk. 1, litra e, og art. 32 (sikkerhed)",
         lambda s: f"Sessionen slutter efter {s.session_idle_minutes} minutter uden brug og senest "
                   f"{s.session_max_hours} timer efter login; forsøg slettes efter et døgn",
         "Ingen personer; KlarRet bruger det selv", order=90),
)


def items() -> list[Item]:
    """Every registered kind of personal data, in order."""
    from klarret.registry import registry

    return sorted([*CORE_ITEMS, *registry().privacy_items], key=lambda i: i.order)


def page():
    """The privacy notice in Danish."""
    s = settings.current()
    return render_template("privacy.html", items=items(), settings=s, rights=RIGHTS,
                           contact=s.privacy_contact)


def init_app(app: Flask) -> None:
    """Serve /privatliv."""
    app.add_url_rule("/privatliv", "privacy", page)
