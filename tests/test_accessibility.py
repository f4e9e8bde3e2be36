"""Accessibility checked in a real browser: axe-core on every page, reflow, focus, tables, PDFs.

Contrast, focus indicators, reflow and computed alignment depend on layout that only a browser
knows, so the shipped data's 2025/26 Q2 is published with each engine (the session's
``published_sites``; Quarto's checks skip, saying why, without ``quarto``), served over HTTP
on 127.0.0.1 and opened in Debian's Chromium, driven by Playwright. Every page of the quarter and
every front page is visited once (``audits``); the tests below each judge one aspect of what that
visit recorded. The structural checks on the HTML text (one ``h1``, headings in order, language,
skip link, alt text, links) are in ``tests/test_publish.py`` and not repeated here; the booklets'
PDF/UA tagging and the accessibility statement the regulations require are checked at the end.

Screenshots and the full axe-core report are kept in ``test-artifacts/`` for people to look at.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from axe_playwright_python.base import AXE_SCRIPT
from playwright.sync_api import Browser, BrowserContext, Page
from pypdf import PdfReader

from pmf_utils.data.dataset import Dataset
from pmf_utils.data.periods import parse_quarter, quarter_slug
from pmf_utils.publish import quarter as publish
from tests.browser import serve
from tests.conftest import ENGINES, REPO
from tests.test_publish import PublishedSites

QUARTER = parse_quarter("2025/26 Q2")
SLUG = quarter_slug(QUARTER)
FRONT_PAGES = ("index", "archive", "downloads", "accessibility", "search")
SEARCHED = "search.html?q=recycling"
"""A search page with results written by its script, so they are checked too."""
ARTIFACTS = REPO / "test-artifacts"

AXE_TAGS = ("wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice")
WCAG_TAGS = frozenset(AXE_TAGS) - {"best-practice"}
BLOCKING_IMPACTS = frozenset({"serious", "critical"})
AUDIT_OPTIONS = {
    "options": {
        "runOnly": {"type": "tag", "values": list(AXE_TAGS)},
        "resultTypes": ["violations"],
    },
    "timeout": 60_000,
}
"""axe-core's rules by tag, and how long one page may take before the check gives up."""
DESKTOP = {"width": 1280, "height": 900}
NARROW = (360, 320)
"""A small phone, and a 1280 px window zoomed to 400% (WCAG 1.4.10 reflow): CSS pixels."""
AXE_WIDTHS = (1366, 360)
"""axe-core runs on each page at a laptop's width and a phone's (the layout differs: tables
become cards, the navigation folds)."""

PLACEHOLDERS = frozenset({"", "–", "-", "—", "n/a", "..", "x", "*"})
NUMBER = re.compile(r"^[<>≈~]?[-−+]?[£$€]?\d[\d,]*(\.\d+)?\s?(%|pp|p|k|m|bn)?$")
"""A table cell that is a number, possibly with its unit (38.6%, £1.2m, 1,204, −3pp)."""
YEAR = re.compile(r"^(19|20)\d\d$")
"""A column of bare years is a column of labels (periods), not of quantities."""

pytestmark = pytest.mark.slow

# Defined in every page before its own scripts (with axe-core): one visit's whole record.
AUDIT_SCRIPT = """
window.pmfAudit = async ({ options, timeout }) => {
  const figures = [...document.querySelectorAll("main figure")].map((figure) => {
    // (Quarto puts each figure in a div of its own.)
    const next = (figure.closest(".quarto-figure") || figure).nextElementSibling;
    const details = next && next.tagName === "DETAILS" ? next : null;
    return {
      alt: figure.querySelector("img")?.alt || "",
      collapsed: !!details && !details.open,
      table: details?.querySelector("table caption")?.textContent.trim() || "",
    };
  });
  for (const details of document.querySelectorAll("details")) details.open = true;
  const overdue = new Promise((_, reject) =>
    setTimeout(() => reject(new Error(`axe-core took longer than ${timeout} ms`)), timeout));
  const results = await Promise.race([axe.run(document, options), overdue]);
  const violations = results.violations.map((v) => ({
    rule: v.id, impact: v.impact || "", tags: v.tags, help: v.help,
    targets: v.nodes.map((node) => node.target.join(" ")),
  }));
  const text = (cell) => cell.textContent.trim();
  const tables = [...document.querySelectorAll("table")].map((table) => {
    const headers = [...table.querySelectorAll("thead th")];
    const columns = headers.map((th, index) => ({
      header: text(th),
      cells: [...table.querySelectorAll("tbody tr")]
        .map((row) => row.children[index])
        .filter(Boolean)
        .map((cell) => [text(cell), getComputedStyle(cell).textAlign]),
    }));
    return {
      caption: table.caption ? text(table.caption) : "",
      headers: [...table.querySelectorAll("th")].map(
        (th) => text(th) || th.getAttribute("aria-label") || ""),
      columns,
    };
  });
  const statement = !!document.querySelector('footer a[href$="accessibility.html"]');
  return { violations, tables, figures, statement, version: axe.version };
};

window.pmfOverflow = () => {
  const root = document.documentElement, width = root.clientWidth;
  const clipped = (el) => {
    for (let up = el.parentElement; up; up = up.parentElement) {
      if (getComputedStyle(up).overflowX !== "visible") return true;
    }
    return false;
  };
  const culprits = root.scrollWidth <= width ? [] : [...document.body.querySelectorAll("*")]
    .filter((el) => el.getBoundingClientRect().right > width + 0.5 && !clipped(el))
    .map((el) => el.tagName.toLowerCase() + (el.id ? "#" + el.id : "")
      + (el.classList.length ? "." + [...el.classList].join(".") : ""));
  const cut = [...document.querySelectorAll("caption")]
    .filter((caption) => caption.getBoundingClientRect().right > width + 0.5)
    .map((caption) => `caption "${caption.textContent.trim().slice(0, 50)}"`);
  return { scrollWidth: root.scrollWidth, width, culprits: [...culprits.slice(0, 5), ...cut] };
};

window.pmfFocus = () => {
  const el = document.activeElement, style = getComputedStyle(el), box = el.getBoundingClientRect();
  const outline = style.outlineStyle !== "none" && parseFloat(style.outlineWidth) >= 2
    && !/rgba\\(.*, 0\\)|transparent/.test(style.outlineColor);
  return {
    element: el === document.body ? "body" : el.outerHTML.slice(0, 80),
    id: el.id, className: typeof el.className === "string" ? el.className : "",
    indicator: outline || style.boxShadow !== "none",
    onScreen: box.width > 0 && box.height > 0 && box.right > 0 && box.bottom > 0
      && box.left < innerWidth && box.top < innerHeight,
  };
};
"""


# --- what a visit records --------------------------------------------------------------------


@dataclass(frozen=True)
class Violation:
    """One axe-core rule a page breaks, and where."""

    rule: str
    impact: str
    tags: tuple[str, ...]
    help: str
    targets: tuple[str, ...]
    width: int

    @property
    def blocking(self) -> bool:
        """A WCAG 2.x A/AA rule, or any rule (best practice too) at serious or critical."""
        return bool(WCAG_TAGS & set(self.tags)) or self.impact in BLOCKING_IMPACTS

    def describe(self) -> str:
        standard = ", ".join(t for t in self.tags if t in AXE_TAGS)
        nodes = "".join(f"\n      {target}" for target in self.targets[:8])
        more = f"\n      ... and {len(self.targets) - 8} more" if len(self.targets) > 8 else ""
        where = f"{self.width} px"
        return f"    {self.rule} ({self.impact}; {standard}; {where}): {self.help}{nodes}{more}"


@dataclass(frozen=True)
class Audit:
    """What one visit to a page found: axe-core's violations, tables, and reflow by width."""

    path: str
    violations: tuple[Violation, ...]
    tables: tuple[dict[str, Any], ...]
    figures: tuple[dict[str, Any], ...]
    """Each chart's alt text, and the table of its numbers (caption) in a collapsed details."""
    links_statement: bool
    overflow: dict[int, dict[str, Any]]
    axe_version: str
    axe_widths: tuple[int, ...]

    @property
    def blocking(self) -> list[Violation]:
        return [v for v in self.violations if v.blocking]


def report(audits: Sequence[Audit], blocking: bool = True) -> str:
    """Page, then rule, impact and the nodes that break it: readable in a failed test."""
    lines = []
    for audit in audits:
        found = [v for v in audit.violations if v.blocking == blocking]
        if found:
            lines += [audit.path, *(v.describe() for v in found)]
    return "\n".join(lines)


# --- serving and visiting the site -----------------------------------------------------------


def audit_pages(context: BrowserContext, base: str, paths: Sequence[str]) -> list[Audit]:
    """Visit each page once and record everything the tests judge: axe-core's violations with
    every ``details`` opened, the tables, then reflow at each narrow width."""
    tab = context.new_page()
    try:
        return [_audit(tab, base, path) for path in paths]
    finally:
        tab.close()


def _audit(tab: Page, base: str, path: str) -> Audit:
    tab.goto(base + path)
    runs = {}
    for width in AXE_WIDTHS:
        tab.set_viewport_size({"width": width, "height": 900})
        runs[width] = tab.evaluate("args => pmfAudit(args)", AUDIT_OPTIONS)
    found = runs[AXE_WIDTHS[0]]
    overflow = {}
    for width in NARROW:
        tab.set_viewport_size({"width": width, "height": 800})
        overflow[width] = tab.evaluate("() => pmfOverflow()")
    return Audit(
        path=path,
        violations=tuple(
            Violation(
                v["rule"], v["impact"], tuple(v["tags"]), v["help"], tuple(v["targets"]), width
            )
            for width, run in runs.items()
            for v in run["violations"]
        ),
        tables=tuple(found["tables"]),
        figures=tuple(found["figures"]),
        links_statement=found["statement"],
        overflow=overflow,
        axe_version=found["version"],
        axe_widths=tuple(runs),
    )


# --- fixtures --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Site:
    """The shipped data's 2025/26 Q2 as published with one engine."""

    engine: str
    data: Dataset
    root: Path
    publication: publish.Publication

    def artifact(self, name: str) -> Path:
        """Where a kept file goes: the built-in engine's under its own name, Quarto's marked."""
        return ARTIFACTS / (name if self.engine == "builtin" else f"{self.engine}-{name}")


@pytest.fixture(scope="session", params=ENGINES)
def site(request: pytest.FixtureRequest, published_sites: PublishedSites) -> Site:
    published = published_sites("shipped", request.param)
    assert published.case.later == QUARTER
    return Site(request.param, published.case.data, published.site, published.publication)


@pytest.fixture(scope="module")
def base_url(site: Site) -> Iterator[str]:
    with serve(site.root) as url:
        yield url


@pytest.fixture(scope="module")
def context(browser: Browser) -> Iterator[BrowserContext]:
    context = browser.new_context(viewport=DESKTOP, locale="en-GB")
    context.set_default_timeout(30_000)
    context.add_init_script(script=AXE_SCRIPT + AUDIT_SCRIPT)
    try:
        yield context
    finally:
        context.close()


def site_pages(root: Path) -> list[str]:
    """Every page of the quarter, every front page, and a search with results. An index page
    is visited at its folder's address, as the site's links lead there (Quarto's script
    rewrites every link to ``…/index.html`` as ``…/``, in-page links included)."""
    quarter = sorted(p.relative_to(root).as_posix() for p in (root / SLUG).glob("*.html"))
    front = [f"{name}.html" for name in FRONT_PAGES if (root / f"{name}.html").is_file()]
    pages = [*quarter, *front]
    if (root / "search.html").is_file():  # Quarto: search is in the navigation bar
        pages += [f"{SLUG}/{SEARCHED}", SEARCHED]
    return [page.removesuffix("index.html") for page in pages]


@pytest.fixture(scope="module")
def audits(site: Site, context: BrowserContext, base_url: str) -> list[Audit]:
    """Every page visited once; the full axe-core report is kept as a test artefact."""
    audits = audit_pages(context, base_url, site_pages(site.root))
    ARTIFACTS.mkdir(exist_ok=True)
    version = audits[0].axe_version
    site.artifact("axe-report.txt").write_text(
        f"axe-core {version}, tags {', '.join(AXE_TAGS)}: {len(audits)} pages, {SLUG}'s "
        "and the front pages\n\n"
        f"Failing (WCAG A/AA, or serious/critical):\n{report(audits) or '  none'}\n\n"
        f"Reported only (best practice, moderate/minor):\n"
        f"{report(audits, blocking=False) or '  none'}\n",
        "utf-8",
    )
    return audits


# --- the tests -------------------------------------------------------------------------------


def test_every_page_passes_axe_core(site: Site, audits: list[Audit]) -> None:
    """No violation at all, at a laptop's width and a phone's: WCAG A/AA, and best practice
    at any impact (an icon's alt text repeating the words beside it is one)."""
    expected = set(site_pages(site.root))
    assert {a.path for a in audits} == expected and len(expected) > 60
    assert all(a.axe_widths == AXE_WIDTHS for a in audits)
    failing = [a for a in audits if a.blocking]
    assert not failing, f"{len(failing)} pages fail axe-core:\n{report(failing)}"
    advisory = report(audits, blocking=False)
    assert not advisory, f"axe-core best-practice findings:\n{advisory}"


def test_the_check_bites_on_an_inaccessible_page(
    site: Site, context: BrowserContext, base_url: str
) -> None:
    """A real page spoiled two ways is failed by the same check as every page above."""
    real = (site.root / SLUG / "overview.html").read_text("utf-8")
    # The page's Content-Security-Policy would (rightly) ignore the inline style: drop it.
    real = re.sub(r'<meta http-equiv="Content-Security-Policy"[^>]*>\n?', "", real)
    spoiled = real.replace(
        "</main>",
        '<img src="figures/none.png"><p style="color: #c8c8c8">Pale grey words on white.</p>'
        "</main>",
        1,
    )
    assert spoiled != real
    path = f"{SLUG}/inaccessible.html"
    context.route(
        base_url + path, lambda route: route.fulfill(body=spoiled, content_type="text/html")
    )
    try:
        (audit,) = audit_pages(context, base_url, [path])
    finally:
        context.unroute(base_url + path)
    assert {"image-alt", "color-contrast"} <= {v.rule for v in audit.blocking}, report([audit])


@pytest.mark.parametrize("width", NARROW)
def test_no_page_scrolls_sideways_when_narrow(audits: list[Audit], width: int) -> None:
    """WCAG 1.4.10: content reflows at 320 CSS px (400% zoom) and on a 360 px phone; only a
    wide table scrolls, inside its own region, and its caption stays within the screen."""
    wide = [
        f"{a.path}: {found['scrollWidth']} px wide in {found['width']} "
        f"({', '.join(found['culprits'])})"
        for a in audits
        if (found := a.overflow[width])["scrollWidth"] > found["width"] or found["culprits"]
    ]
    assert not wide, "\n".join(wide)


def _sample_pages(site: Site) -> dict[str, str]:
    """A priority page and a KPI page with a chart: what the screenshots show."""
    priority = site.data.priorities.iloc[0]["priority_id"]
    kpi = site.data.priority_kpis(priority).iloc[0]["kpi_id"]
    return {"priority": f"{SLUG}/priority-{priority}.html", "kpi": f"{SLUG}/kpi-{kpi}.html"}


def test_phone_width_screenshots(site: Site, context: BrowserContext, base_url: str) -> None:
    """Kept in test-artifacts/ for a person to look at: tables scroll, nothing is cut off."""
    ARTIFACTS.mkdir(exist_ok=True)
    tab = context.new_page()
    try:
        tab.set_viewport_size({"width": 360, "height": 780})
        for path in _sample_pages(site).values():
            tab.goto(base_url + path)
            shot = site.artifact(f"360px-{Path(path).stem}.png")
            tab.screenshot(path=str(shot), full_page=True)
            assert shot.stat().st_size > 10_000
            width = tab.evaluate("() => document.documentElement.scrollWidth")
            assert width <= tab.evaluate("() => innerWidth"), path
    finally:
        tab.close()


def test_a_priority_dashboard_has_three_cards_across_a_laptop(
    site: Site, context: BrowserContext, base_url: str
) -> None:
    """A priority page has no contents column to leave room for: its cards use the width."""
    if site.engine != "builtin":
        pytest.skip("Quarto lays out its own page columns")
    kpis = site.data.kpis["priority_id"].value_counts()
    tab = context.new_page()
    try:
        tab.set_viewport_size({"width": 1366, "height": 900})
        tab.goto(f"{base_url}{SLUG}/priority-{kpis.index[0]}.html")
        script = "cards => cards.slice(0, 3).map(card => card.getBoundingClientRect().top)"
        tops = tab.eval_on_selector_all(".pmf-card", script)
        assert len(tops) == 3 and len(set(tops)) == 1, tops
    finally:
        tab.close()


def test_keyboard_focus_is_always_visible(
    site: Site, context: BrowserContext, base_url: str
) -> None:
    """Tab first reaches the skip link, which appears; every element tabbed to shows focus."""
    tab = context.new_page()
    try:
        tab.goto(base_url + _sample_pages(site)["kpi"])
        tab.keyboard.press("Tab")
        first = tab.evaluate("() => pmfFocus()")
        assert "skip-link" in first["className"], first
        assert first["onScreen"] and first["indicator"], first
        hidden = []
        for _ in range(150):
            tab.keyboard.press("Tab")
            focus = tab.evaluate("() => pmfFocus()")
            if focus["element"] == "body" or "skip-link" in focus["className"]:
                break
            if not (focus["indicator"] and focus["onScreen"]):
                hidden.append(focus["element"])
        assert not hidden, "focus not visible on:\n" + "\n".join(hidden)
        tab.goto(base_url + _sample_pages(site)["kpi"])
        tab.keyboard.press("Tab")
        tab.keyboard.press("Enter")
        main = tab.evaluate("() => document.querySelector('main').id")
        assert main and tab.evaluate("() => document.activeElement.id") == main
    finally:
        tab.close()


def _is_number(text: str) -> bool:
    return bool(NUMBER.match(text.replace("\u2009", "").strip()))


def _numeric_columns(table: dict[str, Any]) -> Iterator[dict[str, Any]]:
    """Columns whose every filled cell is a number (placeholders such as – aside)."""
    for column in table["columns"]:
        filled = [text for text, _ in column["cells"] if text.lower() not in PLACEHOLDERS]
        years = all(YEAR.match(text) for text in filled)  # labels, such as a period
        if filled and not years and all(_is_number(text) for text in filled):
            yield column


def _symbol_only(text: str) -> bool:
    """A status or SPC cell that is a symbol (✔, ▲, ↑, ~) with no words to say what it means."""
    symbols = any(unicodedata.category(c) in ("So", "Sm") for c in text)
    return symbols and not _is_number(text) and not re.search(r"[^\W\d_]{3,}", text)


def _table_problems(path: str, table: dict[str, Any]) -> Iterator[str]:
    where = f"{path}: table {table['caption'] or '(no caption)'!r}"
    if not table["caption"]:
        yield f"{where}: no caption"
    if not table["headers"]:
        yield f"{where}: no header cells"
    if "" in table["headers"]:
        yield f"{where}: an empty header cell"
    for column in _numeric_columns(table):
        if any(align != "right" for _, align in column["cells"]):
            yield f"{where}: numbers in {column['header']!r} are not right-aligned"
    for column in table["columns"]:
        for text, _ in column["cells"]:
            if _symbol_only(text):
                yield f"{where}: {text!r} in {column['header']!r} is a symbol without words"


def test_tables_have_captions_headers_and_right_aligned_numbers(audits: list[Audit]) -> None:
    """Every table a screen reader can follow, figures comparable down a column, statuses in
    words; and the overview's summary icon table's Latest column (the check is not vacuous)."""
    problems = [p for a in audits for table in a.tables for p in _table_problems(a.path, table)]
    assert not problems, "\n".join(problems)
    latest = [
        column
        for audit in audits
        if audit.path.endswith("/overview.html")
        for table in audit.tables
        for column in table["columns"]
        if column["header"] == "Latest"
    ]
    assert latest and all(align == "right" for c in latest for _, align in c["cells"])


def test_charts_are_described_from_the_data_with_their_numbers_beside_them(
    audits: list[Audit],
) -> None:
    """Each chart's alt text gives figures, and a collapsed table of its numbers follows it."""
    charts = [(a.path, figure) for a in audits for figure in a.figures]
    assert len(charts) > 100
    problems = [
        f"{path}: {figure}"
        for path, figure in charts
        if not re.search(r"\d", figure["alt"]) or not figure["collapsed"] or not figure["table"]
    ]
    assert not problems, "\n".join(problems)


def test_every_page_links_to_the_accessibility_statement(audits: list[Audit]) -> None:
    assert not [a.path for a in audits if not a.links_statement]


def test_accessibility_statement_says_what_was_tested(site: Site) -> None:
    """The regulations require a statement; it must describe these tests and their limits."""
    text = " ".join((site.root / "accessibility.html").read_text("utf-8").split())
    tested = ("axe-core", "WCAG", "2.2", "level AA", "Chromium", "360 pixels", "400%", "PDF/UA-1")
    assert [claim for claim in tested if claim not in text] == []
    untested = text[text.index("What we have not tested") :]
    assert "screen readers" in untested and "Chromium only" in untested


def test_booklets_are_tagged_pdf_ua_in_reading_order(site: Site) -> None:
    """Title, language and the tagged flag are checked in test_publish.py; this adds the
    structure tree, the PDF/UA-1 claim, the title shown in the window, and page 1's order."""
    plan = site.data.plan
    assert len(site.publication.booklets) == len(site.data.priorities) + 1
    for path in site.publication.booklets:
        reader = PdfReader(path)
        root = reader.trailer["/Root"]
        xmp = root["/Metadata"].get_object().get_data().decode("utf-8")
        assert "/StructTreeRoot" in root, path.name
        assert "<pdfuaid:part>1</pdfuaid:part>" in xmp, path.name
        assert root["/ViewerPreferences"]["/DisplayDocTitle"], path.name
        lines = [" ".join(line.split()) for line in reader.pages[0].extract_text().splitlines()]
        order = [
            lines.index(plan.council),
            lines.index(plan.plan_title),
            next(n for n, line in enumerate(lines) if re.search(r"\d{4}/\d\d Q[1-4] \(", line)),
        ]
        assert order == sorted(order), f"{path.name}: page 1 reads {lines[:12]}"


def test_the_summary_table_filters_and_stands_whole_without_script(
    site: Site, browser: Browser, context: BrowserContext, base_url: str
) -> None:
    """The overview's icon table narrows to an ambition, a status, a variation or an
    assurance with the site's own script (under its Content-Security-Policy), says how many
    KPIs it shows, and without JavaScript shows every KPI and no filter."""
    page = f"{base_url}{SLUG}/overview.html"
    rows = "() => [...document.querySelectorAll('.pmf-filter tbody tr')]"
    visible = f"{rows}.filter((r) => r.offsetParent !== null).length"
    kpis = len(site.data.kpis)
    tab = context.new_page()
    errors: list[str] = []
    tab.on(
        "console", lambda message: errors.append(message.text) if message.type == "error" else None
    )
    try:
        tab.goto(page)
        labels = tab.locator(".pmf-filter-form label").all_inner_texts()
        assert labels == [site.data.plan.words.ambition, "Status", "Variation", "Assurance"]
        assert tab.evaluate(visible) == kpis
        status = tab.locator(".pmf-filter-form [role=status]")
        assert status.inner_text() == f"Showing all {kpis} KPIs."
        off = tab.evaluate(
            "() => [...document.querySelectorAll('.pmf-filter td[data-label=Status]')]"
            ".filter((cell) => cell.textContent.trim().endsWith('Off target')).length"
        )
        tab.select_option("#pmf-filter-0-status", "Off target")
        assert tab.evaluate(visible) == off and 0 < off < kpis
        assert status.inner_text() == f"Showing {off} of {kpis} KPIs."
        cells = tab.locator(".pmf-filter tbody tr:not([hidden]) td[data-label=Status]")
        assert all(text.endswith("Off target") for text in cells.all_inner_texts())
        tab.select_option("#pmf-filter-0-status", "")
        ambition = site.data.ambitions.iloc[0]["ambition"]
        tab.select_option("#pmf-filter-0-group", ambition)
        groups = tab.locator(".pmf-group:not([hidden]) h3").all_inner_texts()
        assert groups == [ambition]
        tab.select_option("#pmf-filter-0-variation", index=1)
        assert 0 < tab.evaluate(visible) < kpis
        assert not errors, errors
    finally:
        tab.close()
    plain = browser.new_context(java_script_enabled=False)
    try:
        tab = plain.new_page()
        tab.goto(page)
        assert tab.locator(".pmf-filter-form").count() == 0
        assert tab.evaluate(visible) == kpis
    finally:
        plain.close()


@pytest.mark.parametrize(("width", "shown"), [(360, "pmf-narrow"), (1366, "pmf-wide")])
def test_a_chart_on_a_phone_is_drawn_with_words_large_enough_to_read(
    site: Site, browser: Browser, base_url: str, width: int, shown: str
) -> None:
    """A chart's SVG holds a wide layout and a narrow one (`pages/svg.py`); the browser
    shows the narrow one when the picture is small, so its words stay about 10 px high on a
    phone rather than 5."""
    charts = sorted((site.root / SLUG).rglob("CFB01-history.svg"))
    assert charts, "the shipped quarter's CFB01 trend chart was not published"
    address = base_url + charts[0].relative_to(site.root).as_posix()
    page = browser.new_page(viewport={"width": width, "height": 400})
    try:
        page.goto(address)
        display = page.evaluate(
            "[...document.querySelectorAll('g.pmf-wide, g.pmf-narrow')]"
            ".map(g => [g.getAttribute('class'), getComputedStyle(g).display])"
        )
    finally:
        page.close()
    assert [cls for cls, how in display if how != "none"] == [shown]
