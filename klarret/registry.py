"""The registry: what features contribute to the core (menu links, audit labels, health checks, build
steps, report hooks, named pages), so the core never names a feature's endpoint or module.

One ``Registry`` per app, reached through ``registry(app)``; it is created on first use, so the
features' ``init_app`` calls may come in any order.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path
from typing import Any

from flask import Flask, current_app, url_for

from klarret.roles import Role

BuildStep = Callable[[Path], None]
HealthCheck = Callable[[], dict]
ReportHook = Callable[[list], None]
RetentionRule = Callable[[bool], int]  # dry_run -> rows deleted or anonymised (or that would be)
_KEY = "klarret.registry"  # the only app.extensions key the core uses for its own state


class Audience(StrEnum):
    """Who sees a menu link, when it is not one role."""

    EVERYONE = "everyone"  # anonymous visitors too
    LOGGED_IN = "logged-in"
    LEADER = "leader"  # manages a unit or is a deputy today: decided by the organisation, not a role


class Page(StrEnum):
    """Pages the core links to without knowing which feature serves them."""

    AFTER_LOGIN = "after-login"
    SEARCH = "search"


@dataclass(frozen=True)
class NavLink:
    """A link in the main menu; lower ``order`` comes first, and an endpoint is shown once."""

    label: str
    endpoint: str
    audience: Audience | Role
    order: int = 50


@dataclass(frozen=True)
class PersonTable:
    """A feature's table on the administrator's page about one employee (e.g. the courses and statuses)."""

    heading: str
    headers: tuple[str, ...]
    rows: list[tuple[str, ...]]
    empty: str  # shown when there are no rows


PersonSection = Callable[[str], PersonTable]  # staff number -> the table


@dataclass
class Registry:
    """Everything the features have registered with the core."""

    nav: list[NavLink] = field(default_factory=list)
    audit_labels: dict[str, str] = field(default_factory=dict)
    health_checks: dict[str, HealthCheck] = field(default_factory=dict)
    build_steps: list[tuple[str, BuildStep]] = field(default_factory=list)
    content_report_hooks: list[ReportHook] = field(default_factory=list)
    cites_report_hooks: list[ReportHook] = field(default_factory=list)
    pages: dict[Page, str] = field(default_factory=dict)
    retention_rules: list[tuple[str, RetentionRule]] = field(default_factory=list)
    privacy_items: list[Any] = field(default_factory=list)  # klarret.privacy.Item
    person_sections: list[PersonSection] = field(default_factory=list)

    def add_nav(self, label: str, endpoint: str, audience: Audience | Role, order: int = 50) -> None:
        """Show a menu link to ``audience`` (a role means people who have that role)."""
        self.nav.append(NavLink(label, endpoint, audience, order))

    def add_audit_labels(self, labels: dict[str, str]) -> None:
        """Danish names for audit actions (shown on /admin/revisionslog)."""
        self.audit_labels.update(labels)

    def add_health_check(self, name: str, check: HealthCheck) -> None:
        """A named check for /readyz; it returns details or raises when unhealthy."""
        self.health_checks[name] = check

    def add_build_step(self, name: str, step: BuildStep) -> None:
        """Run ``step(html_dir)`` after the guidance build (`klarret build`)."""
        self.build_steps.append((name, step))

    def add_content_report(self, hook: ReportHook) -> None:
        """Called with the page reports at the end of `klarret content report`."""
        self.content_report_hooks.append(hook)

    def add_cites_report(self, hook: ReportHook) -> None:
        """Called with the citing records at the end of `klarret content report --cites`."""
        self.cites_report_hooks.append(hook)

    def add_retention(self, name: str, rule: RetentionRule) -> None:
        """A retention rule for `klarret purge` (run daily); ``name`` says in Danish what it removes."""
        self.retention_rules.append((name, rule))

    def add_privacy_item(self, item: Any) -> None:
        """A kind of personal data the part keeps, for /privatliv (a ``klarret.privacy.Item``)."""
        self.privacy_items.append(item)

    def add_person_section(self, section: PersonSection) -> None:
        """A table on /admin/medarbejdere/<nr> (``section(staff_no)`` builds it when the page is shown)."""
        self.person_sections.append(section)

    def set_page(self, page: Page, endpoint: str) -> None:
        """Name the endpoint that serves ``page``."""
        self.pages[page] = endpoint

    def page_url(self, page: Page | str) -> str | None:
        """The URL of ``page``, or None when no feature serves it."""
        endpoint = self.pages.get(Page(page))
        return url_for(endpoint) if endpoint else None

    def links_for(self, user: Any | None, today: dt.date | None = None) -> list[tuple[str, str]]:
        """(url, label) of the menu links ``user`` (an Employee, or None) sees, in order."""
        out, seen = [], set()
        for link in sorted(self.nav, key=lambda n: n.order):
            if link.endpoint not in seen and _sees(user, link.audience, today):
                seen.add(link.endpoint)
                out.append((url_for(link.endpoint), link.label))
        return out


def _sees(user: Any | None, audience: Audience | Role, today: dt.date | None) -> bool:
    if audience == Audience.EVERYONE:
        return True
    if user is None:
        return False
    if audience == Audience.LOGGED_IN:
        return True
    if audience == Audience.LEADER:
        from klarret import clock
        from klarret.org.scope import leads

        return leads(user.staff_no, today or clock.today())
    return audience in user.roles  # exactly the role: an administrator does not get every role's links


def registry(app: Flask | None = None) -> Registry:
    """The app's registry (``current_app``'s by default), created on first use."""
    app = app or current_app
    reg = app.extensions.get(_KEY)
    if reg is None:
        reg = app.extensions[_KEY] = Registry()
    return reg


def nav_links() -> list[tuple[str, str]]:
    """The menu links for the logged-in user (a template global)."""
    from klarret.auth import current_user

    return registry().links_for(current_user())  # None: the one clock (klarret.clock) decides the day


def init_app(app: Flask) -> None:
    """Make the menu and the named pages available to templates."""
    registry(app)
    app.jinja_env.globals["nav_links"] = nav_links
    app.jinja_env.globals["page_url"] = lambda page: registry().page_url(page)


__all__ = ["Audience", "NavLink", "Page", "PersonTable", "Registry", "registry"]
