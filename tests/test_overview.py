"""The whole-plan sections: headline tiles, the summary icon table by ambition, the ambition's
priority tiles, the exceptions with their commentary, and what the whole-plan booklet leaves
out (officers' detail)."""

from __future__ import annotations

import json
import re
from pathlib import Path
from unittest import mock

import nbformat
import pypandoc
import pytest

from pmf_utils.judge import vocabulary as v
from pmf_utils.pages import kpi_page, overview
from pmf_utils.pages import markdown as md
from pmf_utils.publish import booklet
from tests.conftest import REPO


@pytest.fixture
def shown(mini_data: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    """A report on the mini data, and the markdown (or objects) its sections display."""
    from pmf_utils.pages.report import Report

    monkeypatch.chdir(tmp_path)
    out: list[object] = []
    record = lambda obj, **_: out.append(obj)  # noqa: E731
    with (
        mock.patch.object(kpi_page, "display", record),
        mock.patch.object(overview, "display", record),
    ):
        yield Report(None, mini_data), out


def _markdown(item: object) -> str:
    return item["text/markdown"] if isinstance(item, dict) else item.markdown()


def test_headline_counts_every_status_and_the_escalated(shown) -> None:
    report, out = shown
    report.headline()
    text = _markdown(out[0])
    frame = report.assessment
    for status in overview.STATUSES:
        count = int((frame["status"] == status).sum())
        assert f"- [{count}]{{.pmf-figure}}{overview.BREAK}{v.text('status', status)}" in text
    escalated = int((frame["exceptions"] != "").sum())
    assert f"- [{escalated}]{{.pmf-figure}}{overview.BREAK}⚑ Escalated" in text
    assert text.count("{.pmf-figure}") == 6 and "::: {.pmf-tiles}" in text
    html = pypandoc.convert_text(text, "html", format="markdown")
    assert html.count("<li>") == 6 and 'class="pmf-figure"' in html


def test_icon_table_has_a_table_per_ambition_and_every_kpi_once(shown) -> None:
    report, out = shown
    report.icon_table()
    text = _markdown(out[0])
    columns = 'data-columns="Status Variation Assurance" data-group="Ambition"'
    div = f"::: {{.pmf-filter .pmf-cards {columns}}}"
    assert div in text
    for name in report.data.ambitions["ambition"]:
        assert f"### {name}\n" in text and f"\n: {name}\\: every KPI at a glance" in text
    for kpi_id in report.assessment["kpi_id"]:
        assert text.count(f"](kpi-{kpi_id}.ipynb)") == 1


def test_priority_tiles_link_each_priority_with_its_counts(shown) -> None:
    report, out = shown
    report.priority_tiles("people")
    text = _markdown(out[0])
    assert "::: {.pmf-tiles .pmf-wide}" in text
    kpis = report.assessment[report.assessment["priority_id"] == "children"]
    name = "**[Children](priority-children.ipynb)**"
    tile = f"- {name}{overview.BREAK}[{len(kpis)} KPIs]{{.pmf-figure}}"
    assert tile in text
    assert "Clean streets" not in text  # another ambition's priority
    for status in set(kpis["status"]):
        count = int((kpis["status"] == status).sum())
        assert f"{count} {md.text(v.text('status', status))}" in text


def test_exception_notes_give_reasons_figures_and_commentary(shown) -> None:
    report, out = shown
    report.exception_notes()
    escalated = report.assessment[report.assessment["exceptions"] != ""]
    assert len(escalated) and len(out) == 2 * len(escalated)
    for (_, row), heading, commentary in zip(
        escalated.iterrows(), out[::2], out[1::2], strict=True
    ):
        text = _markdown(heading)
        link = md.link(row["name"], f"kpi-{row['kpi_id']}")
        assert text.startswith(f"### {link} {{#exception-{row['kpi_id']}}}")
        assert "**Escalated for:** " in text
        assert re.search(r"Commentary awaited|\w", _markdown(commentary))


def test_the_whole_plan_leaves_out_a_page_from_its_detail_on() -> None:
    kept = nbformat.v4.new_code_cell("report.summary_table(p)")
    kept.outputs = [nbformat.v4.new_output("display_data", {"text/markdown": "table"})]
    dropped = nbformat.v4.new_code_cell("report.kpi_sections(p)")
    dropped.outputs = [
        nbformat.v4.new_output("display_data", {"text/markdown": "x"}),
        nbformat.v4.new_output(
            "display_data", {"text/markdown": "chart"}, metadata={"pmf": {"detail": "K1"}}
        ),
    ]
    commentary = nbformat.v4.new_markdown_cell("The KPI's commentary, split out by the run")
    part = booklet.Part("Priority", "priority-p", 2, (kept, dropped, commentary))
    assert booklet.without_detail(part).cells == (kept,)
    whole = booklet.Part("Exceptions", "exceptions", 1, (kept, commentary))
    assert booklet.without_detail(whole) == whole


def test_the_filter_script_is_linked_from_a_filtered_table_only() -> None:
    lua = str(REPO / "_extensions" / "pmf" / "pmf-html.lua")
    filtered = pypandoc.convert_text(
        "::: {.pmf-filter}\ntext\n:::", "html", format="markdown", filters=[lua]
    )
    plain = pypandoc.convert_text(
        "::: {.other}\ntext\n:::", "html", format="markdown", filters=[lua]
    )
    assert '<script src="site_libs/pmf/table-filter.js" defer></script>' in filtered
    assert "<script" not in plain


def test_an_icon_with_its_words_beside_it_has_empty_alt_text() -> None:
    """Decorative for a screen reader (axe-core's image-redundant-alt), never without alt."""
    lua = str(REPO / "_extensions" / "pmf" / "pmf-html.lua")
    html = pypandoc.convert_text(
        "![](figures/icon-a.svg) Hit and miss\n\n![Hit and miss](figures/icon-a.svg)",
        "html",
        format="markdown",
        filters=[lua],
    )
    assert '<img src="figures/icon-a.svg" alt="" /> Hit and miss' in html
    assert 'alt="Hit and miss"' in html


def test_a_booklet_links_the_build_s_figures_rather_than_copying_them(tmp_path: Path) -> None:
    """Booklets sit a folder below the pages and need the figures beside them: the build's own
    files, linked (a quarter has hundreds), and its notebook is plain JSON the engines read."""
    (tmp_path / "figures").mkdir()
    (tmp_path / "figures" / "ST01-history.png").write_bytes(b"\x89PNG")
    cell = nbformat.v4.new_markdown_cell("Clean.\n\nSwept daily.")
    part = booklet.Part("Streets", "streets", 1, (cell,))
    path = booklet.write_booklet(tmp_path, "priority-streets", {"title": "Streets"}, [part])
    linked = tmp_path / "booklets" / "figures" / "ST01-history.png"
    assert linked.stat().st_ino == (tmp_path / "figures" / "ST01-history.png").stat().st_ino
    assert nbformat.reads(path.read_text("utf-8"), as_version=4).cells[2].source == cell.source
    # In lines, as nbformat writes them: Quarto reads a text given whole as one line.
    assert json.loads(path.read_text("utf-8"))["cells"][2]["source"] == [
        "Clean.\n",
        "\n",
        "Swept daily.",
    ]
    assert cell.source == "Clean.\n\nSwept daily."  # the build's own cells are left as they were
