"""In the browser: the report pages pass axe (WCAG 2.1 A/AA), and every chart has a table with its figures."""

from __future__ import annotations

import pytest

# Each chart names the table with the same figures; every bar's label and value must be in that table.
CHART_CHECK = """() => {
  const problems = [];
  const charts = [...document.querySelectorAll('figure.chart')];
  for (const fig of charts) {
    const table = document.getElementById(fig.dataset.table || '');
    if (!table || table.tagName !== 'TABLE') { problems.push(`${fig.id}: no table '${fig.dataset.table}'`); continue; }
    const rows = [...table.querySelectorAll('tbody tr')];
    const bars = [...fig.querySelectorAll('.bar-row')];
    if (!bars.length) problems.push(`${fig.id}: no bars`);
    for (const bar of bars) {
      const row = rows.find(r => r.querySelector('th')
                                 && r.querySelector('th').textContent.trim() === bar.dataset.label);
      if (!row) { problems.push(`${fig.id}: '${bar.dataset.label}' is not in the table`); continue; }
      const want = bar.dataset.value === '–' ? '–' : `${bar.dataset.value} %`;
      const cells = [...row.querySelectorAll('td')].map(td => td.textContent.trim());
      if (!cells.some(c => c.startsWith(want)))
        problems.push(`${fig.id}: '${bar.dataset.label}' ${want} not in ${cells}`);
    }
  }
  return {count: charts.length, problems};
}"""


def login(page, live_server: str, email: str) -> None:
    page.goto(f"{live_server}/login")
    page.fill("#email", email)
    page.fill("#password", "klarret-demo")
    page.press("#password", "Enter")
    page.wait_for_load_state()
    assert "/login" not in page.url, f"login as {email} failed"


def check(page, axe, where: str, min_charts: int = 1) -> None:
    assert axe(page) == [], where
    result = page.evaluate(CHART_CHECK)
    assert result["count"] >= min_charts, f"{where}: expected a chart"
    assert result["problems"] == [], f"{where}: {result['problems']}"


def test_manager_dashboard_and_drill_down(page, live_server, axe):
    login(page, live_server, "leila@demo.klarret.dk")
    page.goto(f"{live_server}/leder")
    assert page.locator("h1").inner_text() == "Mine medarbejderes kurser"
    check(page, axe, "the manager dashboard")
    page.select_option("#kursus", index=1)
    page.click(".filters button[type=submit]")
    page.wait_for_load_state()
    assert "kursus=" in page.url
    check(page, axe, "the dashboard filtered by course")
    link = page.locator("#tabel-enheder tbody th a").nth(1)
    if not link.count():
        link = page.locator("#tabel-enheder tbody th a").first
    link.click()
    page.wait_for_load_state()
    assert "/leder/enhed/" in page.url
    check(page, axe, "a unit's drill-down")
    page.goto(f"{live_server}/leder/stedfortraedere")
    assert axe(page) == [], "the deputy form"
    page.click("main form button[type=submit]")  # empty form: the error summary must be accessible too
    page.wait_for_load_state()
    assert page.locator(".error-summary").count() == 1
    assert axe(page) == [], "the deputy form with errors"


@pytest.mark.parametrize("path", ["/kommune", "/kommune/videnshuller", "/leder"])
def test_municipality_and_knowledge_gaps(page, live_server, axe, path):
    login(page, live_server, "admin@demo.klarret.dk")
    page.goto(f"{live_server}{path}")
    # The knowledge-gap view has no chart until someone has handed in a course.
    empty = path.endswith("videnshuller") and page.locator("figure.chart").count() == 0
    check(page, axe, path, min_charts=0 if empty else 1)
