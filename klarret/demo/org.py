"""An invented but plausible Copenhagen organisation: unit trees and staff, for demo data and benchmarks.

Deterministic for a given seed and day. ``generate_hr_csv`` writes it as an HR export in the import's
default format (semicolons, UTF-8 with BOM, dd-mm-yyyy), which is what `bench/report.py` times.
"""

from __future__ import annotations

import csv
import datetime as dt
import random
from dataclasses import dataclass
from pathlib import Path

from klarret import clock
from klarret.dates import short_date
from klarret.org.models import ADMINISTRATIONS
from klarret.org.paths import UnitPath

CENTRES = {
    "ØKF": ["Koncernservice", "Borgerrådgiveren", "Center for Byudvikling", "Koncern-IT", "Center for Økonomi",
            "Center for HR", "Københavns Ejendomme", "Center for Politik og Kommunikation"],
    "KFF": ["Borgerservice", "Biblioteker", "Idræt og Fritid", "Kultur og Oplevelser", "Byens Borgerhuse",
            "Center for Administration"],
    "BUF": ["Skoler", "Familie og Dagtilbud", "Pædagogisk Psykologisk Rådgivning", "Ungdomsskolen",
            "Center for Tandpleje", "Sundhedsplejen", "Center for Byggeri og Anlæg"],
    "SUF": ["Hjemmepleje", "Visitation", "Plejecentre", "Center for Sundhed", "Center for Rehabilitering",
            "Center for Forebyggelse"],
    "SOF": ["Center for Udsatte Voksne", "Borgercenter Handicap", "Borgercenter Børn og Unge",
            "Center for Misbrug", "Center for Bolig", "Myndighedscenter Voksne", "Socialcenter Amager"],
    "TMF": ["Byggeri", "Center for Bydesign", "Center for Miljøbeskyttelse", "Parkering København",
            "Byens Drift", "Center for Trafik", "Center for Byggeri og Anlæg"],
    "BIF": ["Jobcenter København", "Ydelsesservice", "Integrationshuset", "Ungecenter",
            "Center for Virksomhedsservice", "Center for Integration"],
}
UNITS = ["Myndighed", "Rådgivning", "Sagsbehandling", "Visitation", "Sekretariatet", "Udredning", "Administration",
         "Kvalitet og Udvikling", "Jura", "Økonomi", "Drift", "Borgerkontakt", "Klager og Aktindsigt"]
DISTRICTS = ["Nørrebro", "Amager", "Valby", "Vesterbro", "Bispebjerg", "Brønshøj-Husum", "Østerbro", "Indre By",
             "Sydhavn", "Vanløse", "Nordvest", "Christianshavn"]
TEAMS = ["Team Nord", "Team Syd", "Team Øst", "Team Vest", "Team 1", "Team 2", "Team 3", "Team Aktindsigt",
         "Team Klager", "Team Modtagelse", "Team Opfølgning", "Team Unge", "Team Ældre", "Team Digital"]
FIRST = ["Anne", "Mette", "Hanne", "Susanne", "Lene", "Maria", "Camilla", "Louise", "Sofie", "Emma", "Ida", "Fatima",
         "Amira", "Zainab", "Karen", "Pia", "Sara", "Julie", "Line", "Nanna", "Peter", "Jens", "Lars", "Henrik",
         "Søren", "Thomas", "Michael", "Mads", "Rasmus", "Mikkel", "Jonas", "Ali", "Mohammed", "Omar", "Ahmad",
         "Niels", "Jørgen", "Bent", "Kasper", "Frederik", "Emil", "Oliver", "Asger", "Sigrid", "Åse", "Bjørn"]
LAST = ["Nielsen", "Jensen", "Hansen", "Pedersen", "Andersen", "Christensen", "Larsen", "Sørensen", "Rasmussen",
        "Jørgensen", "Petersen", "Madsen", "Kristensen", "Olsen", "Thomsen", "Christiansen", "Poulsen", "Johansen",
        "Møller", "Mortensen", "Ahmed", "Hussein", "Yilmaz", "Khan", "Ali", "Holm", "Kjær", "Frederiksen",
        "Skov", "Dahl", "Lund", "Bech", "Vestergaard", "Østergaard", "Damgaard", "Brandt", "Winther", "Bak"]
TITLES = {
    "ØKF": ["Fuldmægtig", "Specialkonsulent", "Økonom", "Jurist", "IT-konsulent", "HR-konsulent"],
    "KFF": ["Borgerservicemedarbejder", "Bibliotekar", "Kulturmedarbejder", "Fuldmægtig", "Konsulent"],
    "BUF": ["Pædagog", "Lærer", "Psykolog", "Sagsbehandler", "Sundhedsplejerske", "Fuldmægtig"],
    "SUF": ["Social- og sundhedsassistent", "Sygeplejerske", "Visitator", "Terapeut", "Fuldmægtig"],
    "SOF": ["Socialrådgiver", "Sagsbehandler", "Socialpædagog", "Jurist", "Fuldmægtig", "Konsulent"],
    "TMF": ["Ingeniør", "Arkitekt", "Byggesagsbehandler", "Miljømedarbejder", "Jurist", "Fuldmægtig"],
    "BIF": ["Jobkonsulent", "Sagsbehandler", "Ydelsesmedarbejder", "Integrationskonsulent", "Fuldmægtig"],
}
HEADER = ["medarbejdernummer", "navn", "email", "forvaltning", "enhed", "stilling", "startdato", "slutdato",
          "leder_for"]


@dataclass
class Person:
    staff_no: str
    name: str
    email: str
    administration: str
    unit_path: str
    job_title: str
    start_date: dt.date
    end_date: dt.date | None
    manages: str | None  # a unit path, "" for the whole administration, None for no one


def unit_trees(rng: random.Random, units: int) -> dict[str, list[str]]:
    """About ``units`` unit paths (centre / unit / team) spread over the seven administrations."""
    codes = list(ADMINISTRATIONS)
    quota = {c: units // 7 + (1 if i < units % 7 else 0) for i, c in enumerate(codes)}
    trees: dict[str, list[str]] = {}
    for code in codes:
        paths: list[str] = []
        centres = CENTRES[code]
        n_centres = max(2, min(len(centres), round(quota[code] / 13)))
        per_centre = max(1, quota[code] // n_centres)
        for ci, centre in enumerate(centres[:n_centres]):
            budget = per_centre + (quota[code] - per_centre * n_centres if ci == n_centres - 1 else 0)
            paths.append(centre)
            names = [f"{u} {d}" for u in rng.sample(UNITS, 4) for d in rng.sample(DISTRICTS, 3)]
            rng.shuffle(names)
            used = 1
            for name in names:
                if used >= budget:
                    break
                unit = UnitPath(code, (centre, name))
                paths.append(unit.path)
                used += 1
                for team in rng.sample(TEAMS, min(len(TEAMS), rng.randint(2, 4), max(0, budget - used))):
                    paths.append(UnitPath(code, (*unit.parts, team)).path)
                    used += 1
        trees[code] = paths
    return trees


def _ascii(text: str) -> str:
    return text.lower().replace("æ", "ae").replace("ø", "oe").replace("å", "aa")


def people(rng: random.Random, employees: int, trees: dict[str, list[str]], today: dt.date,
           first_staff_no: int = 100000, domain: str = "demo.klarret.dk") -> list[Person]:
    """``employees`` people: one manager per centre and unit (and per team when there are enough people)."""
    out: list[Person] = []
    counter = iter(range(first_staff_no, first_staff_no + 10 * employees + 10_000))

    def person(code: str, path: str, title: str, manages: str | None = None) -> Person:
        staff_no = f"{next(counter):07d}"
        first, last = rng.choice(FIRST), rng.choice(LAST)
        middle = f" {rng.choice(LAST)}" if rng.random() < 0.25 else ""
        # Start dates over 30 years, most within the last ten; about 4 % are new (within 90 days).
        days = rng.randint(1, 89) if rng.random() < 0.04 else int(min(30 * 365, 90 + rng.expovariate(1 / 2500)))
        start = today - dt.timedelta(days=days)
        end = None
        r = rng.random()
        if r < 0.03:  # left: some long ago (retention purge), most recently
            end = today - dt.timedelta(days=rng.choice([rng.randint(1, 700), rng.randint(1900, 3000)]))
            start = min(start, end - dt.timedelta(days=200))
        elif r < 0.04:  # resigned, still employed until the end date
            end = today + dt.timedelta(days=rng.randint(5, 90))
        email = f"{_ascii(first[0] + last[0])}{staff_no[-5:]}@{domain}"
        return Person(staff_no, f"{first}{middle} {last}", email, code, path, title, start, end, manages)

    budget = {c: max(1, round(employees * w)) for c, w in _weights().items()}
    diff = employees - sum(budget.values())
    budget["BUF"] += diff
    for code, paths in trees.items():
        staff: list[Person] = [person(code, "", "Administrerende direktør", "")]
        for path in paths:
            depth = UnitPath.below(code, path).depth - 1
            if depth < 2 or len(staff) < budget[code] * 0.4:
                title = ("Centerchef", "Enhedschef", "Teamleder")[min(depth, 2)]
                staff.append(person(code, path, title, path))
        parents = {UnitPath.below(code, p).parent.path for p in paths}
        leaves = [p for p in paths if p not in parents] or [""]
        while len(staff) < budget[code]:
            staff.append(person(code, rng.choice(leaves), rng.choice(TITLES[code])))
        out.extend(staff[: budget[code]] if len(staff) > budget[code] else staff)
    return out


def _weights() -> dict[str, float]:
    # Roughly the municipality's shape: BUF and SUF are the largest administrations.
    w = {"ØKF": 0.06, "KFF": 0.05, "BUF": 0.37, "SUF": 0.21, "SOF": 0.18, "TMF": 0.06, "BIF": 0.07}
    return {k: v / sum(w.values()) for k, v in w.items()}


def generate_hr_csv(path: str | Path, employees: int = 45000, units: int = 600, seed: int = 0,
                    today: dt.date | None = None) -> Path:
    """Write an HR export of ``employees`` people in about ``units`` units (default columns, ';', BOM)."""
    rng = random.Random(seed)
    today = today or clock.today()
    staff = people(rng, employees, unit_trees(rng, units), today, first_staff_no=1, domain="kk.example")
    path = Path(path)
    fmt = lambda d: short_date(d) if d else ""  # noqa: E731
    with path.open("w", encoding="utf-8-sig", newline="") as fh:
        w = csv.writer(fh, delimiter=";")
        w.writerow(HEADER)
        for p in staff:
            manages = "" if p.manages is None else (p.administration if p.manages == "" else p.manages)
            w.writerow([p.staff_no, p.name, p.email, p.administration, p.unit_path, p.job_title, fmt(p.start_date),
                        fmt(p.end_date), manages])
    return path
