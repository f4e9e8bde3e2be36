"""A priority's dashboard: the KPI cards, their sparklines and commentary openings, and how the
booklet filter lays the cards out for Typst."""

from __future__ import annotations

import math
import re
from pathlib import Path
from unittest import mock

import pytest

from pmf_utils.judge import vocabulary as v
from pmf_utils.pages import icons, sanitise
from pmf_utils.pages.sparkline import Sparkline
from pmf_utils.pandoc import Conversion, convert
from tests.conftest import REPO

NAN = math.nan


def _line(values: list[float], targets: list[float]) -> Sparkline:
    periods = [f"2025-0{i + 1}" for i in range(len(values))]
    return Sparkline("K01-spark", periods, values, targets, lambda x: f"{x:.0f}%")


def _paths(svg: str) -> list[str]:
    return re.findall(r'<path d="([^"]*)"', svg)


def test_sparkline_breaks_at_a_missing_figure_and_steps_where_the_target_changed() -> None:
    line = _line([10, 20, NAN, 40, 50], [30, 30, 30, 45, 45])
    target, values = _paths(line.svg())
    assert values.count("M") == 2  # 10-20, then 40-50: no line across the missing figure
    levels = {y for y in re.findall(r",([\d.]+)", target)}
    assert len(levels) == 2  # the target drawn at 30, then at 45
    assert line.alt() == (
        "Recent figures, 2025-01 to 2025-05: 10% in 2025-01, 50% in 2025-05; "
        "lowest 10%, highest 50%; target 30% then 45%."
    )
    assert f"<title>{line.alt()}</title>" in line.svg()


def test_sparkline_without_a_target_or_figures_says_so() -> None:
    no_target = _line([5, 6], [NAN, NAN])
    assert len(_paths(no_target.svg())) == 1  # the figures only
    assert "target" not in no_target.alt()
    empty = _line([NAN, NAN], [NAN, NAN])
    assert empty.alt() == "No figures for 2025-01 to 2025-02."
    assert "<circle" not in empty.svg()


def test_opening_keeps_the_first_sentence_or_two_as_plain_words() -> None:
    texts = [
        "## Summary\n\nRates *rose* to 5%. The [trend](https://x.org) is up. Third sentence.",
        "One short sentence. A second one " + "that goes on and on " * 5 + "too long to join.",
        "word " * 80,
        "- only a list",
    ]
    first, second, third, fourth = sanitise.opening(texts, longest=80)
    assert first == "Rates rose to 5%. The trend is up."
    assert second == "One short sentence."
    assert len(third) <= 80 and third.endswith("word…")
    assert fourth == ""


@pytest.fixture
def cards(mini_data: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[str, Path]:
    """The mini council's first priority's dashboard, one KPI with commentary and a name full
    of markup, as the notebook shows it."""
    from pmf_utils.pages import kpi_page, report

    kpis = mini_data / "kpis.csv"
    kpis.write_text(kpis.read_text().replace("% of EHCPs", "<b>EHCPs</b> [x](javascript:y)"))
    folder = mini_data / "narrative" / "2025-26-q2"
    folder.mkdir(parents=True)
    (folder / "kpi-CH01.md").write_text(
        "Plans issued on time *rose* to 62%. It is the best for two years. More next time.\n"
    )
    monkeypatch.chdir(tmp_path)
    shown: list[dict] = []
    with mock.patch.object(kpi_page, "display", lambda obj, **_: shown.append(obj)):
        page = report.Report("2025/26 Q2", mini_data)
        page.dashboard("children")
    return shown[0]["text/markdown"], tmp_path


def test_a_card_shows_every_judgement_of_its_kpi_in_words(cards: tuple[str, Path]) -> None:
    markdown, folder = cards
    assert markdown.count("::: {.pmf-card ") == 2  # the children priority's two KPIs
    first = markdown.split("::: {.pmf-card ")[1]
    assert "### [\\<b\\>EHCPs\\</b\\> \\[x\\]\\(javascript\\:y\\)" in first  # escaped, linked
    assert "](kpi-CH01.ipynb)" in first
    assert "{.pmf-card-value}" in first and "{.pmf-card-period}" in first
    assert re.search(r'colour="#[0-9A-F]{6}"', first)
    for words in ("Previous period", "A year earlier", "Target:"):
        assert words in first
    assert "Plans issued on time rose to 62\\%\\. It is the best for two years\\." in first
    assert "More next time" not in first
    images = re.findall(r"!\[([^\]]*)\]\((figures/[^)]+\.svg)\)", first)
    kinds = [path.split("/")[1].split("-")[:2] for _, path in images]
    assert ["CH01", "spark.svg"] in kinds
    assert ["icon", "variation"] in kinds and ["icon", "assurance"] in kinds
    for alt, path in images:
        assert (folder / path).is_file()
        # The sparkline describes itself; an icon's words are written beside it instead.
        assert alt.strip() if "spark" in path else alt == ""
    second = markdown.split("::: {.pmf-card ")[2]
    assert "Commentary awaited for 2025/26 Q2\\." in second


def test_card_colours_in_the_stylesheet_are_the_vocabulary_s() -> None:
    css = (REPO / "_extensions" / "pmf" / "pmf-html.css").read_text("utf-8")
    for status, term in v.VOCABULARY["status"].items():
        rule = re.search(rf"\.pmf-card-{status.replace(' ', '-')} {{ --pmf-status: (#\w+); }}", css)
        assert rule and rule[1].upper() == term.colour.upper(), status


def test_the_booklet_lays_the_cards_out_as_a_typst_grid(tmp_path: Path) -> None:
    icon = icons.icon("variation", v.CONCERN, "higher")
    card = (
        '::: {.pmf-card .pmf-card-off-target colour="#D55E00"}\n### Name\n\n'
        "[692]{.pmf-card-value} [2025-09]{.pmf-card-period} "
        "![Recent figures](figures/K-spark.svg){.pmf-spark}\n\n"
        f"- ![{icon.words}](figures/{icon.file}) {icon.words}\n\n"
        "::: {.pmf-card-note}\nOpening words.\n:::\n:::"
    )
    markdown = f":::: {{.pmf-dashboard}}\n{card}\n\n{card}\n::::\n"
    lua = REPO / "_extensions" / "pmf" / "pmf-booklet.lua"
    [typst] = convert([Conversion(tmp_path / "x.md", markdown, "typst", (str(lua),))])
    assert typst.count('pmf-card(colour: rgb("#D55E00"))[') == 2
    assert typst.index("#pmf-dashboard(") < typst.index("pmf-card(") < typst.rindex("\n)")
    assert "#pmf-card-value[692]" in typst and "#pmf-card-note[" in typst
    assert '#h(1fr)#box(baseline: 20%, image("figures/K-spark.svg", alt: "Recent figures"' in typst
    assert f'alt: "{icon.words}", height: 1.5em' in typst  # a card's icons are a line high
    assert "#figure" not in typst  # the sparkline is not a captioned figure


def test_the_booklet_drops_website_only_content_with_the_cells_it_empties(tmp_path: Path) -> None:
    """Quarto would write an empty block for each emptied cell, whose spacing can push a full
    KPI page onto a blank one."""
    markdown = (
        '::: {.cell}\n::: {.cell-output}\n::: {.content-visible when-format="html"}\n'
        "Website only.\n:::\n:::\n:::\n\nBoth.\n"
    )
    lua = REPO / "_extensions" / "pmf" / "pmf-booklet.lua"
    [typst] = convert([Conversion(tmp_path / "x.md", markdown, "typst", (str(lua),))])
    assert "Website only" not in typst and "#block" not in typst and "Both." in typst
