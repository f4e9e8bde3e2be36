"""Publishing with the built-in engine: pages, links, alt text, booklets, point in time, atomicity.

The report under test is built by a ``ReportCase`` builder: here, executed notebooks made
programmatically for the small ``tests/fixtures/mini`` council, shaped exactly as
``docs/architecture.md`` says the run leaves them (front matter, ``#|`` cell options, markdown
outputs with pipe tables, figures with their CSV files, narrative cells, ``pmf`` metadata) for
two quarters; and the shipped data's 2025/26 Q1 and Q2 executed through the real templates.
Every test runs on both.
"""

from __future__ import annotations

import base64
import contextlib
import hashlib
import io
import json
import re
import shutil
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from html.parser import HTMLParser
from itertools import pairwise
from pathlib import Path
from unittest import mock
from urllib.parse import unquote, urlsplit

import matplotlib
import nbformat
import pandas as pd
import pytest
from pypdf import PdfReader

from pmf_utils.data.dataset import Dataset, load
from pmf_utils.data.periods import parse_quarter, quarter_label, quarter_slug
from pmf_utils.judge.assessment import assess
from pmf_utils.pages import kpi_page
from pmf_utils.pages.report import Report
from pmf_utils.publish import booklet, reuse, site
from pmf_utils.publish import quarter as publish
from tests.conftest import ENGINES, MINI_FILES, SHIPPED_DATA, write_folder

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402

pytestmark = pytest.mark.slow

EARLIER, LATER = parse_quarter("2025/26 Q1"), parse_quarter("2025/26 Q2")
HIDDEN_CODE = "HIDDEN_CODE_MARKER"
HIDDEN_OUTPUT = "HIDDEN_OUTPUT_MARKER"
HTML_ONLY = "The numbers behind the chart (website only)"
PublishedSites = Callable[[str, str], "Published"]


@dataclass(frozen=True)
class ReportCase:
    """Executed notebooks for two quarters, the data that made them, and what they say."""

    data: Dataset
    reports_dir: Path
    earlier: pd.Period
    later: pd.Period
    latest_values: dict[str, str]
    """Each KPI's latest value as the later quarter's pages print it."""


# --- a fixture report shaped like the run's output -------------------------------------------


def _chart(path: Path, values: list[float], title: str) -> None:
    """A chart PNG and the CSV of the numbers behind it, as the notebooks write them."""
    fig, ax = plt.subplots(figsize=(6.4, 2.8), dpi=100)
    ax.plot(range(len(values)), values, marker="o", color="#12365c")
    ax.set_title(title, fontsize=10)
    fig.tight_layout()
    fig.savefig(path)
    plt.close(fig)
    rows = "".join(f"{i},{v}\n" for i, v in enumerate(values))
    path.with_suffix(".csv").write_text(f"point,value\n{rows}", "utf-8")


def _png() -> str:
    buffer = io.BytesIO()
    plt.figure(figsize=(3, 2)).savefig(buffer, format="png")
    plt.close("all")
    return base64.b64encode(buffer.getvalue()).decode()


def _markdown(text: str, **pmf: str) -> nbformat.NotebookNode:
    """A ``display`` of markdown, as ``pmf_utils.pages.report.show`` makes it."""
    return nbformat.v4.new_output(
        "display_data",
        data={"text/markdown": text, "text/plain": text},
        metadata={"pmf": pmf} if pmf else {},
    )


def _code(source: str, *outputs: nbformat.NotebookNode) -> nbformat.NotebookNode:
    cell = nbformat.v4.new_code_cell(f"#| echo: false\n{source}")
    cell.outputs = list(outputs)
    return cell


def _table(rows: list[tuple[str, str, str]], caption: str) -> str:
    lines = ["| Measure | Latest value | Status |", "|:--|--:|:--|"]
    lines += [f"| {name} | {value} | {status} |" for name, value, status in rows]
    return "\n".join([*lines, "", f": {caption}"])


def _header(title: str, data: Dataset) -> str:
    """The page header the real notebooks print: title, context, illustrative callout."""
    return (
        f"# {title}\n\n{data.plan.council} · {data.plan.plan_title}\n\n"
        '::: {.callout-important title="Illustrative data"}\nMade-up figures.\n:::'
    )


class _Quarter:
    """Writes one quarter's executed page notebooks with the metadata the run stamps."""

    def __init__(self, data: Dataset, quarter: pd.Period, folder: Path, step: int) -> None:
        self.data, self.quarter, self.folder = data, quarter, folder
        (folder / "figures").mkdir(parents=True)
        kpis = list(data.kpis.itertuples())
        self.values = {k.kpi_id: f"{40 + 7.3 * n + 2.1 * step:.1f}" for n, k in enumerate(kpis)}
        self.status = {k.kpi_id: ("✔ On target", "✖ Off target")[n % 2] for n, k in enumerate(kpis)}
        self.step = step

    def write(self, kind: str, page_id: str, title: str, cells: list) -> None:
        front = nbformat.v4.new_raw_cell("---\nexecute:\n  echo: false\n---")
        notebook = nbformat.v4.new_notebook(cells=[front, *cells])
        notebook.metadata["kernelspec"] = {
            "name": "python3",
            "display_name": "Python 3",
            "language": "python",
        }
        notebook.metadata["pmf"] = {
            "page": kind,
            "id": page_id or None,
            "title": title,
            "quarter": quarter_label(self.quarter),
            "slug": quarter_slug(self.quarter),
            "data_fingerprint": self.data.fingerprint,
            "produced": "2025-11-20T09:00:00+00:00",
            "code_version": "test",
        }
        name = f"{kind}-{page_id}" if page_id else kind
        nbformat.write(notebook, self.folder / f"{name}.ipynb")

    def rows(self, kpis: pd.DataFrame, link: bool = False) -> list[tuple[str, str, str]]:
        return [
            (
                f"[{k.name}](kpi-{k.kpi_id}.ipynb)" if link else k.name,
                self.values[k.kpi_id],
                self.status[k.kpi_id],
            )
            for k in kpis.itertuples()
        ]

    def overview(self) -> None:
        title = f"{self.data.plan.plan_title}: overview"
        label = quarter_label(self.quarter)
        loose = nbformat.v4.new_output(
            "display_data", data={"image/png": _png(), "text/plain": "<Figure>"}
        )
        hidden = nbformat.v4.new_output("stream", name="stdout", text=HIDDEN_OUTPUT)
        self.write(
            "overview",
            "",
            title,
            [
                _code("report.header()", _markdown(_header(title, self.data))),
                _code(
                    "report.summary()",
                    _markdown(
                        f"## How the plan is doing\n\n{_table(self.rows(self.data.kpis), label)}"
                    ),
                ),
                _code(
                    "#| fig-alt: A small empty chart drawn straight from a cell\nplt.show()", loose
                ),
                nbformat.v4.new_code_cell(
                    f"#| include: false\nprint(1)  # {HIDDEN_CODE}", outputs=[hidden]
                ),
                nbformat.v4.new_markdown_cell("## What the council says\n\nBroadly on track."),
            ],
        )

    def exceptions(self) -> None:
        off = [r for r in self.rows(self.data.kpis) if r[2].startswith("✖")]
        self.write(
            "exceptions",
            "",
            "Exceptions",
            [
                _code(
                    "report.exceptions()",
                    _markdown(f"## Off target\n\n{_table(off, 'Off target')}"),
                ),
            ],
        )

    def dictionary(self) -> None:
        entries = [
            _markdown(
                f"## {k.name}\n\n{k.definition}\n\n**Worked out:** {k.methodology}",
                definition=k.kpi_id,
            )
            for k in self.data.kpis.itertuples()
        ]
        self.write("dictionary", "", "Data dictionary", [_code("report.dictionary()", *entries)])

    def ambition(self, ambition_id: str, name: str) -> None:
        priorities = self.data.priorities[self.data.priorities["ambition_id"] == ambition_id]
        links = "\n".join(
            f"- [{p.priority}](priority-{p.priority_id}.ipynb)" for p in priorities.itertuples()
        )
        self.write(
            "ambition",
            ambition_id,
            name,
            [
                _code("report.header()", _markdown(_header(name, self.data))),
                _code("report.priorities()", _markdown(f"## Priorities\n\n{links}")),
            ],
        )

    def priority(self, priority_id: str, name: str) -> None:
        kpis = self.data.priority_kpis(priority_id)
        sections = [
            _markdown(f"## {k.name} {{#kpi-{k.kpi_id}}}\n\nLatest: {self.values[k.kpi_id]}")
            for k in kpis.itertuples()
        ]
        sections.append(_markdown(self.dashboard(priority_id)))
        self.write(
            "priority",
            priority_id,
            name,
            [
                _code("report.header()", _markdown(_header(name, self.data))),
                nbformat.v4.new_markdown_cell(f"Progress on {name.lower()} this quarter."),
                _code(
                    "report.summary_table()",
                    _markdown(
                        f"## Measures\n\n{_table(self.rows(kpis, link=True), f'{name}: measures')}"
                    ),
                    *sections,
                ),
            ],
        )

    def dashboard(self, priority_id: str) -> str:
        """The priority's KPI cards as the real template shows them (figures written here)."""
        shown: list[dict] = []
        with (
            contextlib.chdir(self.folder),
            mock.patch.object(kpi_page, "display", lambda obj, **_: shown.append(obj)),
        ):
            Report(quarter_label(self.quarter), self.data.data_dir).dashboard(priority_id)
        return shown[0]["text/markdown"]

    def kpi(self, kpi_id: str, name: str) -> None:
        chart = f"{kpi_id.lower()}-trend"
        series = [30 + 3 * i + self.step for i in range(8)]
        _chart(self.folder / "figures" / f"{chart}.png", series, name)
        alt = f"Line chart of {name}, rising from {series[0]} to {series[-1]}"
        numbers = "| Point | Value |\n|--:|--:|\n" + "".join(
            f"| {i} | {v} |\n" for i, v in enumerate(series)
        )
        details = (
            '::: {.content-visible when-format="html"}\n<details>\n'
            f"<summary>{HTML_ONLY}</summary>\n\n{numbers}\n: The numbers behind the chart\n\n"
            "</details>\n:::"
        )
        self.write(
            "kpi",
            kpi_id,
            name,
            [
                _code("report.header()", _markdown(_header(name, self.data), kpi=kpi_id)),
                _code(
                    "report.latest()",
                    _markdown(
                        f"Latest value: **{self.values[kpi_id]}** ({self.status[kpi_id]})\n\n"
                        f"## Trend\n\n![{name}: trend](figures/{chart}.png)"
                        f'{{fig-alt="{alt}"}}\n\n{details}'
                    ),
                ),
                nbformat.v4.new_markdown_cell(
                    f"## Commentary\n\nWhat is happening with {name.lower()}."
                ),
            ],
        )


LONG_NAME = (
    "Number of fly-tipping incidents reported on public land, highways, footpaths, parks and "
    "council-owned open spaces across the borough, excluding private land, duplicates and "
    "repeat reports of one event"
)
"""A KPI name of 200 characters, as real data dictionaries have: the mini council's ST01."""


def build_fixture_case(folder: Path) -> ReportCase:
    """Two quarters of executed notebooks for the mini council (one KPI with a 200-character
    name), as the run would leave them."""
    kpis = MINI_FILES["kpis.csv"].replace("Number of fly-tips reported", f'"{LONG_NAME}"')
    data = load(write_folder(folder / "data", {**MINI_FILES, "kpis.csv": kpis}))
    for step, quarter in enumerate((EARLIER, LATER)):
        writer = _Quarter(data, quarter, folder / quarter_slug(quarter), step)
        writer.overview()
        writer.exceptions()
        writer.dictionary()
        for ambition in data.ambitions.itertuples():
            writer.ambition(ambition.ambition_id, ambition.ambition)
        for priority in data.priorities.itertuples():
            writer.priority(priority.priority_id, priority.priority)
        for kpi in data.kpis.itertuples():
            writer.kpi(kpi.kpi_id, kpi.name)
    return ReportCase(data, folder, EARLIER, LATER, writer.values)


def build_shipped_case(reports: Path) -> ReportCase:
    """The shipped data's 2025/26 Q1 and Q2, executed through the real templates."""
    data = load(SHIPPED_DATA)
    judged = assess(data, LATER)
    return ReportCase(
        data,
        reports,
        EARLIER,
        LATER,
        dict(zip(judged["kpi_id"], judged["value_text"], strict=True)),
    )


CASES: dict[str, Callable[[Path], ReportCase]] = {
    "fixture": build_fixture_case,
    "shipped": build_shipped_case,
}
"""How each case's executed notebooks are made (the shipped case reuses the session's run)."""


# --- reading what was published ------------------------------------------------------------


class _Page(HTMLParser):
    """The parts of an HTML page the checks need."""

    def __init__(self, text: str) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str]]] = []
        self.headings: list[int] = []
        self.text: list[str] = []
        self.feed(text)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, {k: v or "" for k, v in attrs}))
        if re.fullmatch(r"h[1-6]", tag):
            self.headings.append(int(tag[1]))

    def handle_data(self, data: str) -> None:
        self.text.append(data)

    def all(self, tag: str) -> list[dict[str, str]]:
        return [attrs for name, attrs in self.tags if name == tag]

    @property
    def ids(self) -> set[str]:
        return {attrs["id"] for _, attrs in self.tags if "id" in attrs}


def html_pages(root: Path) -> Iterator[tuple[Path, _Page]]:
    for path in sorted(root.rglob("*.html")):
        yield path, _Page(path.read_text("utf-8"))


def tree_hashes(root: Path) -> dict[str, str]:
    return {
        p.relative_to(root).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(root.rglob("*"))
        if p.is_file()
    }


def pdf_text(path: Path) -> list[str]:
    return [page.extract_text() for page in PdfReader(path).pages]


def outline_titles(path: Path) -> list[str]:
    def walk(items: list) -> Iterator[str]:
        for item in items:
            if isinstance(item, list):
                yield from walk(item)
            else:
                yield item.title

    return list(walk(PdfReader(path).outline))


def unspaced(text: str) -> str:
    """Text without its spaces: a name found wherever a table cell wraps it ("good/ acceptable",
    "grass- cutting" as extracted from a PDF)."""
    return "".join(text.split())


def squash(text: str) -> str:
    """Text as words: whitespace folded, typographic quotes (pandoc's smart quotes) plain."""
    return " ".join(text.translate(str.maketrans("‘’“”", "''\"\"")).split())


@dataclass(frozen=True)
class Published:
    """A site with the earlier quarter published, then the later one."""

    name: str
    engine: str
    case: ReportCase
    site: Path
    earlier_before: dict[str, str]
    earlier_after: dict[str, str]
    publication: publish.Publication


def publish_case(
    name: str, case: ReportCase, site_dir: Path, engine: str, earlier_engine: str
) -> Published:
    """Publish the case's earlier quarter, then its later one with ``engine``."""

    def run(quarter: pd.Period, engine: str) -> publish.Publication:
        return publish.publish_quarter(
            case.data, quarter, reports_dir=case.reports_dir, site_dir=site_dir, engine=engine
        )

    run(case.earlier, earlier_engine)
    before = tree_hashes(site_dir / quarter_slug(case.earlier))
    publication = run(case.later, engine)
    after = tree_hashes(site_dir / quarter_slug(case.earlier))
    return Published(name, engine, case, site_dir, before, after, publication)


@pytest.fixture(scope="module", params=sorted(CASES))
def published(request: pytest.FixtureRequest, published_sites: PublishedSites) -> Published:
    """A case published with the built-in engine: for checks of the build itself."""
    return published_sites(request.param, "builtin")


@pytest.fixture(
    scope="module",
    params=[(case, engine) for engine in ENGINES for case in sorted(CASES)],
    ids="-".join,
)
def output(request: pytest.FixtureRequest, published_sites: PublishedSites) -> Published:
    """A case published with each engine: for checks of what every reader gets."""
    return published_sites(*request.param)


# --- checks both engines' output must pass (test_quarto_engine.py runs them too) -----------


def missing_pages(site_dir: Path, data: Dataset, quarter: pd.Period) -> list[str]:
    """Every page of the quarter and every front page, by path, that was not written."""
    names = ["index", "overview", "exceptions", "dictionary", "downloads"]
    names += [f"ambition-{a}" for a in data.ambitions["ambition_id"]]
    names += [f"priority-{p}" for p in data.priorities["priority_id"]]
    names += [f"kpi-{k}" for k in data.kpis["kpi_id"]]
    paths = [f"{quarter_slug(quarter)}/{name}.html" for name in names]
    paths += [f"{name}.html" for name in ("index", "archive", "downloads", "accessibility")]
    return [path for path in paths if not (site_dir / path).is_file()]


def broken_links(site_dir: Path) -> list[str]:
    """Links, images, styles and scripts within the site whose file (or #id) is not there."""
    pages = dict(html_pages(site_dir))
    broken = []
    for path, page in pages.items():
        for tag, attr in (("a", "href"), ("img", "src"), ("link", "href"), ("script", "src")):
            for attrs in page.all(tag):
                parts = urlsplit(attrs.get(attr, ""))
                if parts.scheme or parts.netloc or not (parts.path or parts.fragment):
                    continue
                target = (path.parent / unquote(parts.path)).resolve() if parts.path else path
                if not target.is_file():
                    broken.append(f"{path.relative_to(site_dir)}: {attrs[attr]}")
                elif parts.fragment and target.suffix == ".html":
                    if parts.fragment not in pages[target].ids:
                        broken.append(f"{path.relative_to(site_dir)}: {attrs[attr]} (no id)")
    return broken


def images_without_alt(site_dir: Path) -> list[str]:
    """Images without alt text; an icon may have an empty one (its words are beside it)."""
    return [
        f"{path.relative_to(site_dir)}: {img.get('src')}"
        for path, page in html_pages(site_dir)
        for img in page.all("img")
        if "alt" not in img
        or not (img["alt"] or "").strip()
        and "figures/icon-" not in img.get("src", "")
    ]


def booklet_problems(booklets: Sequence[Path], case: ReportCase) -> list[str]:
    """What is wrong with the later quarter's booklets: sections, KPIs, values, stamps."""
    data, slug = case.data, quarter_slug(case.later)
    by_name = {path.name: path for path in booklets}
    problems = []
    for priority in data.priorities.itertuples():
        path = by_name[f"priority-{priority.priority_id}-{slug}.pdf"]
        kpis = data.priority_kpis(priority.priority_id)
        expected = [priority.priority, *kpis["name"], "Appendix: definitions"]
        if outline_titles(path) != expected:
            problems.append(f"{path.name}: sections {outline_titles(path)}, not {expected}")
        problems += _pdf_problems(path, kpis, case)
    whole = by_name[f"whole-plan-{slug}.pdf"]
    problems += _pdf_problems(whole, data.kpis, case)
    names = [*data.ambitions["ambition"], *data.priorities["priority"]]
    problems += [f"{whole.name}: no section {n}" for n in names if n not in outline_titles(whole)]
    return problems


WHOLE_PLAN_PAGES = 40
WHOLE_PLAN_BYTES = 3_000_000
"""What a Cabinet member opens the evening before the meeting: at most 40 A4 pages, 3 MB."""


def test_the_whole_plan_report_is_short_and_lists_every_kpi_at_a_glance(
    output: Published,
) -> None:
    """The shipped quarter's whole-plan booklet fits the limits; its summary icon table (from
    its heading to the key below it) has every KPI with its latest value; KPIs' full
    histories are left to the priority booklets."""
    if output.name != "shipped":
        pytest.skip("the limits and the summary table are the shipped quarter's")
    case, slug = output.case, quarter_slug(output.case.later)
    whole = next(p for p in output.publication.booklets if p.name == f"whole-plan-{slug}.pdf")
    reader = PdfReader(whole)
    assert len(reader.pages) <= WHOLE_PLAN_PAGES, f"{len(reader.pages)} pages"
    assert whole.stat().st_size <= WHOLE_PLAN_BYTES, f"{whole.stat().st_size} bytes"
    text = squash(" ".join(page.extract_text() for page in reader.pages))
    start = text.index("Every KPI at a glance")
    summary = text[start : text.index("Key to the Making Data Count icons", start)]
    missing = [
        kpi.name
        for kpi in case.data.kpis.itertuples()
        if unspaced(f"{kpi.name}{case.latest_values[kpi.kpi_id]}") not in unspaced(summary)
    ]
    assert not missing, f"not in the summary table: {missing}"
    assert "Definition, full history and benchmarks" not in text  # KPI sections left out
    sections = outline_titles(whole)
    assert not set(sections) & set(case.data.kpis["name"]), "a KPI has its own section"
    assert not [title for title in sections if title.startswith("Appendix")]


def _pdf_problems(path: Path, kpis: pd.DataFrame, case: ReportCase) -> list[str]:
    reader = PdfReader(path)
    pages = [squash(page.extract_text()) for page in reader.pages]
    text = " ".join(pages)
    letters = unspaced(text)
    problems = [
        f"{path.name}: no {kpi.name!r} with its latest value {case.latest_values[kpi.kpi_id]}"
        for kpi in kpis.itertuples()
        if unspaced(kpi.name) not in letters or case.latest_values[kpi.kpi_id] not in text
    ]
    stamp = f"from data {case.data.fingerprint} by pmf-utils"
    problems += [
        f"{path.name} page {n}: no stamp" for n, p in enumerate(pages, 1) if stamp not in p
    ]
    if case.data.plan.illustrative:
        problems += [
            f"{path.name} page {n}: no illustrative-data notice"
            for n, page in enumerate(pages, 1)
            if "Illustrative data" not in page
        ]
    if not re.search(r"Table\s\d+:", text):  # every booklet has captioned tables
        problems.append(f"{path.name}: no table captions")
    root = reader.trailer["/Root"]
    if not reader.metadata.title or root.get("/Lang") != "en-GB":
        problems.append(f"{path.name}: no document title or language")
    if not root.get("/MarkInfo", {}).get("/Marked"):
        problems.append(f"{path.name}: not a tagged PDF")
    return problems


# --- the tests -----------------------------------------------------------------------------


def test_every_page_of_the_quarter_exists(output: Published) -> None:
    published = output
    assert not missing_pages(published.site, published.case.data, published.case.later)


def test_every_internal_link_resolves(output: Published) -> None:
    published = output
    assert not broken_links(published.site)


def test_every_image_has_a_text_alternative(output: Published) -> None:
    published = output
    assert not images_without_alt(published.site)
    kpi = published.case.data.kpis.iloc[0]
    page = published.site / quarter_slug(published.case.later) / f"kpi-{kpi.kpi_id}.html"
    figures = re.findall(
        r'<img[^>]*alt="([^"]*)"[^>]*>\s*(?:</p>\s*)?<figcaption[^>]*>(.*?)</figcaption>',
        page.read_text("utf-8"),
        re.DOTALL,
    )
    assert figures and all(alt != caption for alt, caption in figures), "alt is the caption"


def test_pages_are_built_for_assistive_technology(output: Published) -> None:
    published = output
    for path, page in html_pages(published.site):
        where = path.relative_to(published.site)
        assert page.all("html")[0].get("lang") == "en-GB", where
        assert page.headings.count(1) == 1 and page.headings[0] == 1, where
        assert all(b - a <= 1 for a, b in pairwise(page.headings)), where
        (main,) = page.all("main")
        assert page.all("a")[0] == {"class": "skip-link", "href": f"#{main['id']}"}, where
        # (Quarto's page title block is a <header> inside <main>: not a banner landmark.)
        landmarks = [tag for tag, _ in page.tags if tag in ("header", "main", "footer")]
        assert landmarks[0] == "header" and landmarks[-1] == "footer", where
        assert landmarks.count("main") == 1, where
        assert any(nav.get("aria-label") == "Main" for nav in page.all("nav")), where
        for region in (d for d in page.all("div") if "table-scroll" in d.get("class", "")):
            assert region.get("role") == "region" and region.get("tabindex") == "0", where
            assert region.get("aria-label"), where
        if page.all("table"):
            assert len(page.all("caption")) == len(page.all("table")) and page.all("th"), where


@pytest.fixture
def fixture_report(output: Published) -> Published:
    """The fixture's report: for checks of what its notebooks are known to hold."""
    if output.name != "fixture":
        pytest.skip("checks the fixture notebooks' own content")
    return output


def test_cell_options_are_honoured(fixture_report: Published) -> None:
    published = fixture_report
    overview = published.site / quarter_slug(published.case.later) / "overview.html"
    text = overview.read_text("utf-8")
    assert HIDDEN_CODE not in text and HIDDEN_OUTPUT not in text
    assert "report.summary" not in text
    assert 'alt="A small empty chart drawn straight from a cell"' in text


def test_quarto_markdown_features_are_rendered(fixture_report: Published) -> None:
    """Title once, callouts, website-only blocks, links to notebooks: as Quarto does them."""
    published = fixture_report
    quarter = published.site / quarter_slug(published.case.later)
    kpi = published.case.data.kpis.iloc[0]
    html = (quarter / f"kpi-{kpi.kpi_id}.html").read_text("utf-8")
    page = _Page(html)
    text = squash(" ".join(page.text))
    headings = re.findall(r"<h([1-6])[^>]*>(.*?)</h\1>", html, re.DOTALL)
    assert [level for level, title in headings if title.strip() == kpi["name"]] == ["1"]
    assert any("callout-important" in d.get("class", "") for d in page.all("div"))
    assert HTML_ONLY in text and not any(
        "content-visible" in d.get("class", "") for d in page.all("div")
    )
    priority = _Page((quarter / f"priority-{kpi.priority_id}.html").read_text("utf-8"))
    hrefs = [a.get("href", "").removeprefix("./") for a in priority.all("a")]  # Quarto: ./
    assert f"kpi-{kpi.kpi_id}.html" in hrefs
    for path in published.publication.booklets:
        assert HTML_ONLY not in " ".join(pdf_text(path))


def test_every_page_carries_the_stamp_and_the_notice(output: Published) -> None:
    published = output
    data = published.case.data
    for path, page in html_pages(published.site):
        text = squash(" ".join(page.text))
        assert f"from data fingerprint {data.fingerprint} by pmf-utils" in text, path
        assert "Illustrative data" in text or not data.plan.illustrative, path


def test_charts_offer_their_data_as_csv(output: Published) -> None:
    published = output
    quarter = published.site / quarter_slug(published.case.later)
    for path, page in html_pages(quarter):
        links = {a.get("href") for a in page.all("a")}
        for img in page.all("img"):
            csv = Path(img["src"]).with_suffix(".csv").as_posix()
            assert not (quarter / csv).is_file() or csv in links, f"{path.name}: {csv}"
    downloads = (quarter / "downloads.html").read_text("utf-8")
    csvs = sorted(p.name for p in (quarter / "figures").glob("*.csv"))
    assert csvs and all(f"figures/{name}" in downloads for name in csvs)
    assert all(f"booklets/{p.name}" in downloads for p in (quarter / "booklets").glob("*.pdf"))


def test_site_search_indexes_every_page(output: Published) -> None:
    published = output
    quarter = published.site / quarter_slug(published.case.later)
    if published.engine == "quarto":  # Quarto's search is the navigation bar's, from its index
        indexes = [quarter / "search.json", published.site / "search.json"]
    else:
        assert (quarter / "search.html").is_file() and (published.site / "search.html").is_file()
        indexes = [quarter / site.ASSETS / "search-index.js"]
    text = squash(indexes[0].read_text("utf-8"))
    assert all(squash(name) in text for name in published.case.data.kpis["name"])
    assert all(path.is_file() for path in indexes)


def test_booklets_hold_each_kpi_and_the_stamp(output: Published) -> None:
    published = output
    booklets = published.publication.booklets
    assert len(booklets) == len(published.case.data.priorities) + 1
    assert not booklet_problems(booklets, published.case)


def _booklet(published: Published, priority_id: str) -> Path:
    name = f"priority-{priority_id}-{quarter_slug(published.case.later)}.pdf"
    return next(path for path in published.publication.booklets if path.name == name)


def test_a_priority_booklet_opens_with_its_dashboard(output: Published) -> None:
    """The dashboard (title band, commentary, every KPI's card) takes the booklet's first
    pages, at most two for up to eight KPIs; then a page per KPI; Homes for All fits in 8."""
    case = output.case
    for priority in case.data.priorities.itertuples():
        path = _booklet(output, priority.priority_id)
        reader = PdfReader(path)
        # A line may break after a hyphen ("self-" / "directed"): read it joined up again.
        pages = [re.sub(r"- ", "-", squash(page.extract_text())) for page in reader.pages]
        kpis = case.data.priority_kpis(priority.priority_id)
        first_kpi = reader.get_destination_page_number(reader.outline[1])
        dashboard = " ".join(pages[:first_kpi])
        assert priority.priority in pages[0]
        if output.name == "fixture":
            continue  # its pages are made by hand: only the cards come from the template
        assert "KPIs at a glance" in pages[0], path.name
        assert first_kpi <= (2 if len(kpis) <= 8 else 3), path.name
        for kpi in kpis.itertuples():
            name = re.sub(r"- ", "-", squash(kpi.name))
            assert name in dashboard and case.latest_values[kpi.kpi_id] in dashboard, name
        kpi_pages = [reader.get_destination_page_number(item) for item in reader.outline[1:]]
        assert all(b - a == 1 for a, b in pairwise(kpi_pages)), f"{path.name}: {kpi_pages}"
    if output.name == "shipped":
        assert len(PdfReader(_booklet(output, "homes-for-all")).pages) <= 8


def _lines_of(text: str, name: str) -> list[list[str]]:
    """Each place the PDF text prints ``name`` from the start of a line: its lines' words."""
    lines = [" ".join(line.split()) for line in text.splitlines()]
    found = []
    for start, line in enumerate(lines):
        if len(line) < 12 or not name.startswith(line):
            continue
        run, joined = [line], line
        for following in lines[start + 1 :]:
            if len(joined) >= len(name):
                break
            joined = f"{joined} {following}"
            run.append(following)
        found.append([run_line.split() for run_line in run])
    return found


def test_a_long_kpi_name_is_never_a_word_to_a_line(output: Published) -> None:
    """A 200-character KPI name in the fixture's data, on its card, page and definition: every
    line of it but the last holds several words (a narrow column would give one or two)."""
    if output.name != "fixture":
        pytest.skip("the long name is in the fixture council's data")
    name = LONG_NAME
    kpi = output.case.data.kpis.set_index("name").loc[name]
    places = [
        words
        for page in pdf_text(_booklet(output, kpi["priority_id"]))
        for words in _lines_of(page, name)
    ]
    assert len(places) >= 3  # its card, its page's title, its definition
    for words in places:
        assert " ".join(w for line in words for w in line).startswith(name)
        assert all(len(line) >= 4 for line in words[:-1]), words


def test_earlier_quarter_is_untouched_by_the_next(output: Published) -> None:
    published = output
    assert published.earlier_before and published.earlier_before == published.earlier_after


def test_archive_lists_every_quarter(output: Published) -> None:
    published = output
    archive = (published.site / "archive.html").read_text("utf-8")
    for quarter in (published.case.earlier, published.case.later):
        assert f"{quarter_slug(quarter)}/index.html" in archive
    front = (published.site / "index.html").read_text("utf-8")
    assert f"{quarter_slug(published.case.later)}/overview.html" in front


@pytest.fixture
def site_copy(published: Published, tmp_path: Path) -> Path:
    """A private copy of the published site, for tests that publish again."""
    return Path(shutil.copytree(published.site, tmp_path / "_site"))


def _republish(published: Published, site_dir: Path, **options: object) -> publish.Publication:
    case = published.case
    return publish.publish_quarter(
        case.data,
        case.later,
        reports_dir=case.reports_dir,
        site_dir=site_dir,
        engine="builtin",
        **options,
    )


def test_republishing_needs_force_and_keeps_the_earlier_version(
    published: Published, site_copy: Path
) -> None:
    slug = quarter_slug(published.case.later)
    before = tree_hashes(site_copy / slug)
    with pytest.raises(publish.PublishError, match="--force"):
        _republish(published, site_copy)
    assert tree_hashes(site_copy / slug) == before
    publication = _republish(published, site_copy, force=True)
    assert publication.superseded is not None
    assert publication.superseded.name.startswith(f"{slug}.superseded-")
    assert tree_hashes(publication.superseded) == before
    assert (site_copy / slug / "index.html").is_file()
    archive = (site_copy / "archive.html").read_text("utf-8")
    assert f"{publication.superseded.name}/index.html" in archive


@pytest.mark.parametrize(
    ("module", "name", "failure"),
    [
        (booklet.typst, "compile", RuntimeError("typst broke on the second booklet")),
        (booklet.typst, "compile", KeyboardInterrupt()),
        (site, "render_website", RuntimeError("the front pages broke")),
    ],
)
def test_a_failed_build_leaves_the_site_unchanged(
    published: Published,
    site_copy: Path,
    monkeypatch: pytest.MonkeyPatch,
    module: object,
    name: str,
    failure: BaseException,
) -> None:
    """The build fails at the second call of a step: halfway through the booklets, or after
    the whole quarter was built but while the front pages were. Without the published
    quarter's record of its booklets nothing can be reused, so every booklet is compiled."""
    (site_copy / quarter_slug(published.case.later) / reuse.OUTPUTS).unlink()
    before = tree_hashes(site_copy)
    calls = []
    real = getattr(module, name)

    def fail_the_second_time(*args: object, **kwargs: object) -> object:
        calls.append(args)
        if len(calls) == 2:
            raise failure
        return real(*args, **kwargs)

    monkeypatch.setattr(module, name, fail_the_second_time)
    with pytest.raises(type(failure)):
        _republish(published, site_copy, force=True)
    assert tree_hashes(site_copy) == before
    assert not [p for p in site_copy.parent.iterdir() if "-build-" in p.name]


def test_front_pages_of_an_earlier_build_that_this_one_did_not_make_go(
    published: Published, site_copy: Path
) -> None:
    """Another engine's front pages (its search page, say) must not stay behind, linking to
    assets that are gone; files the builds never made stay."""
    (site_copy / "other-engine-search.html").write_text("stale", "utf-8")
    (site_copy / "CNAME").write_text("reports.example.org", "utf-8")
    record = json.loads((site_copy / publish.FRONT).read_text("utf-8"))
    assert "index.html" in record and "archive.html" in record
    record.append("other-engine-search.html")
    (site_copy / publish.FRONT).write_text(json.dumps(record), "utf-8")
    _republish(published, site_copy, force=True)
    assert not (site_copy / "other-engine-search.html").exists()
    assert (site_copy / "CNAME").read_text("utf-8") == "reports.example.org"
    assert (site_copy / "index.html").is_file()


def test_notebooks_from_other_data_are_refused(published: Published, tmp_path: Path) -> None:
    reports = Path(shutil.copytree(published.case.reports_dir, tmp_path / "reports"))
    slug = quarter_slug(published.case.later)
    kpi = published.case.data.kpis.index[0]
    (reports / slug / f"kpi-{kpi}.ipynb").unlink()
    notebook = nbformat.read(reports / slug / "overview.ipynb", as_version=4)
    # Made from other data and from other inputs: a notebook the run kept because its own
    # inputs did not change (``pmf-run.json`` vouches for them) is accepted.
    notebook.metadata["pmf"].update(data_fingerprint="0123456789ab", inputs="other")
    nbformat.write(notebook, reports / slug / "overview.ipynb")
    with pytest.raises(publish.PublishError) as error:
        publish.read_report(published.case.data, published.case.later, reports / slug)
    assert f"kpi-{kpi}.ipynb: missing" in str(error.value)
    assert "overview.ipynb: made from data '0123456789ab'" in str(error.value)


def test_engine_choice(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(shutil, "which", lambda name: None)
    assert publish.choose_engine("auto") == "builtin"
    with pytest.raises(publish.PublishError, match="not on PATH"):
        publish.choose_engine("quarto")
    monkeypatch.setattr(shutil, "which", lambda name: f"/usr/bin/{name}")
    assert publish.choose_engine("auto") == "quarto"
    assert publish.choose_engine("builtin") == "builtin"


def test_render_command_ends_with_the_paths_it_wrote(
    published: Published,
    site_copy: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    from pmf_utils.cli import main

    monkeypatch.setattr(shutil, "which", lambda name: None)
    project = site_copy.parent
    (project / "pmf.toml").write_text(
        f'[project]\nreports = "{published.case.reports_dir}"\nsite = "{site_copy.name}"\n'
        "require_approval = false\n"
    )
    label = quarter_label(published.case.later)
    data_dir = str(published.case.data.data_dir)
    args = ["--project", str(project), "--data", data_dir, "--quarter", label, "--force"]
    status = main(["render", *args])
    lines = capsys.readouterr().out.splitlines()
    assert status == 0
    assert (
        lines[0]
        == f"Published {label} with the built-in engine (the quarto command is not on PATH)."
    )
    assert f"Site: {(site_copy / 'index.html').resolve()}" in lines
    booklets = lines[lines.index("Booklets:") + 1 :]
    assert len(booklets) == len(published.case.data.priorities) + 1
    assert all(Path(line.strip()).is_file() for line in booklets)
