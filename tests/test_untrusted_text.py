"""Text from the data never runs as code in a page and never vanishes from a booklet.

A small council's data is filled with hostile text (script tags, event-handler attributes,
``javascript:`` links, raw Typst and LaTeX, markdown that tries to close a table or add
attributes) in KPI names, definitions, methodology, owners, notes, ambition, priority, council
and plan names, what the plan calls its priorities, an event marked on a chart, and in the
analysts' commentary. The quarter is executed through the real templates and published; every
page is loaded in Chromium, where no dialog may open and no injected element may exist, and
the hostile text must be shown literally in the pages and in the booklets' extracted text.
"""

from __future__ import annotations

import csv
import html
import io
import shutil
from collections.abc import Iterator
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page
from pypdf import PdfReader

from pmf_utils.data.dataset import Dataset, load
from pmf_utils.data.periods import parse_quarter
from pmf_utils.publish import quarter as publish
from pmf_utils.publish import site
from pmf_utils.publish.quarto_pages import QUARTO_CSP
from pmf_utils.run import runner
from tests.browser import serve
from tests.conftest import MINI
from tests.test_words import with_words

pytestmark = pytest.mark.slow

QUARTER = parse_quarter("2025/26 Q1")
HOSTILE = {
    "name": "<img src=x onerror=alert(1)> EHCPs *on time* [x](javascript:alert(2)) $5 | {#id}",
    "definition": "<script>alert(3)</script> plans issued | --- |",
    "methodology": "#set page(fill: red) ] \\textbf{tex} <b>bold</b>",
    "owner": "`code`{=html} <u onclick=alert(9)>SEND</u>",
    "priority": "Children <svg onload=alert(5)>",
    "ambition": "People & Place <i>",
    "council": "Anytown <script>alert(6)</script> Council",
    "note": "<b onmouseover=alert(4)>small</b> numbers",
    "priority_label": "Goal <b onclick=alert(15)>*x*</b>",
    "event": "<svg onload=alert(17)> [y](javascript:alert(18)) #set $9",
}
COMMENTARY = """Performance *improved* this quarter. <script>alert(7)</script>

A [safe link](https://example.org/report), a [bad link](javascript:alert(8)) and
<a href="javascript:alert(10)">raw link</a> and [styled](https://example.org){onclick="alert(14)"}.

<img src=x onerror=alert(11)>

```{=html}
<script>alert(12)</script>
```

Raw typst `#set text(fill: red)`{=typst} and \\textbf{latex} stay visible.

| Area | Value |
|------|------:|
| North | 12 |
"""
PRIORITY_COMMENTARY = 'On track <iframe src="javascript:alert(13)"></iframe> overall.'
LITERAL = [
    "<img src=x onerror=alert(1)> EHCPs *on time* [x](javascript:alert(2)) $5 | {#id}",
    "Children <svg onload=alert(5)>",
    "Anytown <script>alert(6)</script> Council",
    "<script>alert(7)</script>",
    "<img src=x onerror=alert(11)>",
    "link removed: only http, https and mailto links are published",
    "#set text(fill: red)",
    "\\textbf{latex}",
    HOSTILE["priority_label"],
    "<svg onload=alert(17)> [y](javascript:alert(18)) #set $9",
]
"""Text that must be shown as it was written, in the pages and in the booklets."""

INJECTED = """() => [...document.querySelectorAll("*")].filter((e) =>
  [...e.attributes].some((a) => a.name.startsWith("on"))
  || ["IFRAME", "U"].includes(e.tagName)
  || (e.tagName === "IMG" && e.getAttribute("src") === "x")
  || (e.tagName === "SCRIPT" && e.textContent.includes("alert("))
  || /^\\s*javascript:/i.test(e.getAttribute("href") || "")
).map((e) => e.outerHTML.slice(0, 160))"""


def _edit(folder: Path, name: str, edit) -> None:
    rows = list(csv.reader(io.StringIO((MINI / name).read_text("utf-8"))))
    edit(rows[0], rows[1:])
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\n").writerows(rows)
    (folder / name).write_text(buffer.getvalue(), "utf-8")


def hostile_data(folder: Path) -> Path:
    """The mini council with hostile text in every kind of field and in commentary."""
    shutil.copytree(MINI, folder)

    def kpis(header: list[str], rows: list[list[str]]) -> None:
        for key in ("name", "definition", "methodology", "owner"):
            rows[0][header.index(key)] = HOSTILE[key]

    def one(column: str, key: str):
        return lambda header, rows: rows[0].__setitem__(header.index(column), HOSTILE[key])

    _edit(folder, "kpis.csv", kpis)
    _edit(folder, "priorities.csv", one("priority", "priority"))
    _edit(folder, "ambitions.csv", one("ambition", "ambition"))
    _edit(folder, "observations.csv", one("note", "note"))
    _edit(
        folder,
        "plan.csv",
        lambda _h, rows: next(r for r in rows if r[0] == "council").__setitem__(
            1, HOSTILE["council"]
        ),
    )
    with_words(folder, {"priority_label": HOSTILE["priority_label"]})
    events = [["kpi_id", "period", "label"], ["CH01", "2025-05", HOSTILE["event"]]]
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\n").writerows(events)
    (folder / "annotations.csv").write_text(buffer.getvalue(), "utf-8")
    narrative = folder / "narrative" / "2025-26-q1"
    narrative.mkdir(parents=True)
    (narrative / "kpi-CH01.md").write_text(COMMENTARY, "utf-8")
    (narrative / "priority-children.md").write_text(PRIORITY_COMMENTARY, "utf-8")
    return folder


@dataclass(frozen=True)
class Hostile:
    data: Dataset
    site: Path
    engine: str


ENGINES = [
    "builtin",
    pytest.param(
        "quarto",
        marks=pytest.mark.skipif(
            shutil.which("quarto") is None, reason="quarto is not on the PATH (.ci/run installs it)"
        ),
    ),
]


@pytest.fixture(scope="module", params=ENGINES)
def hostile(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Hostile:
    """The hostile quarter executed through the real templates and published."""
    root = tmp_path_factory.mktemp(f"hostile-{request.param}")
    data = load(hostile_data(root / "data"))
    result = runner.run_quarter(data, QUARTER, reports_dir=root / "reports", workers=1)
    assert result.ok, result.summary()
    publish.publish_quarter(
        data, QUARTER, reports_dir=root / "reports", site_dir=root / "_site", engine=request.param
    )
    return Hostile(data, root / "_site", request.param)


@pytest.fixture(scope="module")
def base_url(hostile: Hostile) -> Iterator[str]:
    with serve(hostile.site) as url:
        yield url


LABELS = """() => [...document.querySelectorAll("td[data-label]")].filter((td) => {
  const norm = (t) => t.replace(/\\s+/g, " ").trim();
  const heads = [...td.closest("table").querySelectorAll("thead th")]
    .map((th) => norm(th.textContent));
  return !heads.includes(norm(td.getAttribute("data-label")));
}).map((td) => td.getAttribute("data-label"))"""
"""Cells whose narrow-screen label is not their column's header as shown (changed text)."""


@dataclass
class Visit:
    dialogs: list[str]
    injected: list[str]
    blocked: list[str]
    text: str
    labels: list[str] = field(default_factory=list)


def visit(tab: Page, url: str) -> Visit:
    """Load a page and record what a hostile string could have done there."""
    found = Visit([], [], [], "")
    tab.on("dialog", lambda dialog: (found.dialogs.append(dialog.message), dialog.dismiss()))
    tab.on(
        "console",
        lambda message: (
            found.blocked.append(message.text)
            if "Content Security Policy" in message.text
            else None
        ),
    )
    tab.goto(url)
    tab.wait_for_load_state("load")
    tab.wait_for_timeout(50)
    found.injected = tab.evaluate(INJECTED)
    found.labels = tab.evaluate(LABELS)
    found.text = " ".join(tab.inner_text("body").split())
    return found


@pytest.fixture(scope="module")
def visits(hostile: Hostile, browser: Browser, base_url: str) -> dict[str, Visit]:
    pages = sorted(p.relative_to(hostile.site).as_posix() for p in hostile.site.rglob("*.html"))
    context = browser.new_context()
    try:
        return {page: visit(context.new_page(), base_url + page) for page in pages}
    finally:
        context.close()


def test_no_hostile_text_runs_or_adds_an_element(visits: dict[str, Visit]) -> None:
    assert len(visits) > 10
    fired = {page: v.dialogs for page, v in visits.items() if v.dialogs}
    injected = {page: v.injected for page, v in visits.items() if v.injected}
    assert not fired, f"script ran: {fired}"
    assert not injected, f"elements injected: {injected}"
    changed = {page: v.labels for page, v in visits.items() if v.labels}
    assert not changed, f"cell labels that are not their column's header: {changed}"


@pytest.mark.parametrize("text", LITERAL)
def test_hostile_text_is_shown_literally_in_the_pages(visits: dict[str, Visit], text: str) -> None:
    showing = [page for page, v in visits.items() if text in v.text]
    assert showing, f"{text!r} is shown on no page"


def test_hostile_names_reach_every_kind_of_page(hostile: Hostile, visits: dict[str, Visit]) -> None:
    slug = "2025-26-q1"
    name = HOSTILE["name"]
    for page in ("kpi-CH01", "priority-children", "dictionary", "overview", "index"):
        assert name in visits[f"{slug}/{page}.html"].text or page == "overview", page
    assert HOSTILE["priority"] in visits[f"{slug}/ambition-people.html"].text
    assert HOSTILE["ambition"] in visits[f"{slug}/ambition-people.html"].text


def _pdf_text(path: Path) -> str:
    return " ".join(" ".join(p.extract_text() for p in PdfReader(path).pages).split())


@pytest.mark.parametrize("text", LITERAL)
def test_hostile_text_is_in_the_booklets(hostile: Hostile, text: str) -> None:
    booklet = hostile.site / "2025-26-q1" / "booklets" / "priority-children-2025-26-q1.pdf"
    assert text in _pdf_text(booklet)


class _Scripts(HTMLParser):
    """The page's real script elements (not text that reads like one in an attribute)."""

    def __init__(self) -> None:
        super().__init__()
        self.inline: list[dict[str, str | None]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = dict(attrs)
        if tag == "script" and "src" not in found and found.get("type") != "application/json":
            self.inline.append(found)


def inline_scripts(page: str) -> list[dict[str, str | None]]:
    parser = _Scripts()
    parser.feed(page)
    return parser.inline


def test_pages_allow_only_the_sites_own_scripts_and_styles(
    hostile: Hostile, visits: dict[str, Visit]
) -> None:
    policy = site.CSP if hostile.engine == "builtin" else QUARTO_CSP
    for page in visits:
        text = (hostile.site / page).read_text("utf-8")
        declared = f'<meta http-equiv="Content-Security-Policy" content="{policy}">'
        assert declared in html.unescape(text), page
        assert not inline_scripts(text), page
        if hostile.engine == "builtin":
            assert " style=" not in text, page
    blocked = {page: v.blocked for page, v in visits.items() if v.blocked}
    assert not blocked, f"the policy blocked the site's own resources: {blocked}"


def test_the_site_still_works_under_its_policy(
    hostile: Hostile, browser: Browser, base_url: str
) -> None:
    if hostile.engine != "builtin":
        pytest.skip("the policy is the built-in engine's")
    tab = browser.new_page()
    blocked: list[str] = []
    tab.on("console", lambda m: blocked.append(m.text) if "Security Policy" in m.text else None)
    tab.goto(base_url + "2025-26-q1/search.html?q=EHCPs")
    assert tab.locator("#search-results li").count() >= 1
    tab.goto(base_url + "2025-26-q1/kpi-CH01.html")
    menu = tab.locator("details.site-nav__menu").first
    menu.locator("summary").click()
    assert menu.get_attribute("open") is not None
    numbers = tab.locator("main details").first
    numbers.locator("summary").click()
    assert numbers.locator("table").is_visible()
    cell = tab.locator("main td.align-right").first
    assert cell.evaluate("e => getComputedStyle(e).textAlign") == "right"
    assert not blocked
