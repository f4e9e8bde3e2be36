"""The Making Data Count icons: one for every SPC verdict, valid SVG, their words as text
alternative, colours of 3:1 or more on white, and the report tables that carry them."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from pathlib import Path
from unittest import mock

import pypandoc
import pytest

from pmf_utils.judge import vocabulary as v
from pmf_utils.pages import icons

SVG = "{http://www.w3.org/2000/svg}"
EVERY = [
    (kind, value, polarity)
    for kind in icons.KINDS
    for value in v.VOCABULARY[kind]
    for polarity in icons.POLARITIES
]


@pytest.mark.parametrize(("kind", "value", "polarity"), EVERY)
def test_every_verdict_has_a_valid_svg_icon_that_says_its_words(
    kind: str, value: str, polarity: str
) -> None:
    item = icons.icon(kind, value, polarity)
    root = ET.fromstring(item.svg())
    assert root.tag == f"{SVG}svg"
    assert root.get("role") == "img"
    assert root.get("aria-label") == item.words
    assert root.find(f"{SVG}title").text == item.words
    assert item.words.startswith(v.label(kind, value))
    assert root.get("viewBox") == "0 0 100 100"


@pytest.mark.parametrize("item", icons.every_icon(), ids=lambda i: i.name)
def test_every_colour_drawn_meets_3_to_1_against_white(item: icons.Icon) -> None:
    root = ET.fromstring(item.svg())
    colours = {
        element.get(attribute).upper()
        for element in root.iter()
        for attribute in ("fill", "stroke")
        if (element.get(attribute) or "none") not in ("none", icons.WHITE)
    }
    assert colours, item.name
    for colour in colours:
        assert icons.contrast(colour) >= 3.0, (item.name, colour, icons.contrast(colour))


def test_contrast_ratio_is_wcag_s() -> None:
    """Checked against published figures: MDC's orange fails 3:1, #767676 is the lightest grey
    with 4.5:1 on white."""
    assert icons.contrast("#FFFFFF") == pytest.approx(1.0)
    assert icons.contrast("#000000") == pytest.approx(21.0)
    assert icons.contrast("#FF6600") == pytest.approx(2.94, abs=0.01)
    assert icons.contrast("#767676") == pytest.approx(4.54, abs=0.01)
    assert icons.contrast("#FFFFFF", "#000000") == icons.contrast("#000000", "#FFFFFF")


def test_letters_follow_polarity_as_the_text_symbols_do() -> None:
    improvement_up = icons.icon("variation", v.IMPROVEMENT, "higher")
    improvement_down = icons.icon("variation", v.IMPROVEMENT, "lower")
    assert (improvement_up.letter, improvement_down.letter) == ("H", "L")
    assert improvement_up.words == "Special cause improvement, high"
    assert icons.icon("variation", v.CONCERN, "lower").letter == "H"
    assert icons.icon("variation", v.NEUTRAL_LOW, "none").letter == "L"
    assert icons.icon("variation", v.COMMON_CAUSE).letter == ""
    assert [icons.icon("assurance", a).letter for a in (v.PASSING, v.FAILING)] == ["P", "F"]
    assert icons.icon("assurance", v.HIT_AND_MISS).letter == "?"
    assert icons.icon("variation", v.IMPROVEMENT).colour == v.colour("variation", v.IMPROVEMENT)
    with pytest.raises(KeyError, match="no icons for status"):
        icons.icon("status", v.ON_TARGET)
    with pytest.raises(KeyError, match="no variation judgement called 'green'"):
        icons.icon("variation", "green")


def test_each_meaning_looks_different_and_each_file_holds_one_look(tmp_path: Path) -> None:
    every = icons.every_icon()
    assert len({i.name for i in every}) == len(every)
    looks = {i.svg().split("</title>")[1] for i in every if i.value not in icons.EMPTY}
    assert len(looks) == len([i for i in every if i.value not in icons.EMPTY])
    assert len(icons.key(tmp_path)) == len(looks) + 1  # and the empty ring


def test_no_target_is_an_empty_grey_ring() -> None:
    root = ET.fromstring(icons.icon("assurance", v.NOT_APPLICABLE).svg())
    (ring,) = root.iter(f"{SVG}circle")
    assert ring.get("stroke") == v.QUIET and ring.get("stroke-dasharray")
    assert root.find(f"{SVG}text") is None


def test_write_keeps_identical_files_and_replaces_changed_ones(tmp_path: Path) -> None:
    paths = icons.write(tmp_path)
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(p.name for p in paths)
    stale = paths[0]
    stale.write_text("<svg/>", "utf-8")
    kept = paths[1]
    before = kept.stat().st_mtime_ns
    icons.write(tmp_path)
    assert kept.stat().st_mtime_ns == before
    assert stale.read_text("utf-8").startswith("<svg xmlns")


def test_markdown_image_writes_the_file_and_gives_its_words_as_alt_text(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    markdown = icons.image("variation", v.CONCERN, "higher", Path("figures"))
    assert markdown == (
        "![Special cause concern, low](figures/icon-variation-special-cause-concern-low.svg)"
    )
    assert (tmp_path / "figures" / "icon-variation-special-cause-concern-low.svg").is_file()
    (tmp_path / "figures" / "icon-variation-special-cause-concern-low.svg").unlink()
    icons.image("variation", v.CONCERN, "higher", Path("figures"))  # a deleted file comes back
    assert (tmp_path / "figures" / "icon-variation-special-cause-concern-low.svg").is_file()
    html = pypandoc.convert_text(f"| a |\n|---|\n| {markdown} x |", "html", format="markdown")
    assert 'alt="Special cause concern, low"' in html
    assert 'src="figures/icon-variation-special-cause-concern-low.svg"' in html


def test_report_tables_show_icons_with_their_words(
    mini_data: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from pmf_utils.pages import kpi_page, report

    monkeypatch.chdir(tmp_path)
    shown: list[str] = []
    with mock.patch.object(kpi_page, "display", lambda obj, **_: shown.append(obj)):
        page = report.Report(None, mini_data)
        page.icon_table()
        priority = page.pick("priority", None)[0]
        page.dashboard(priority)
    overview, dashboard = (s["text/markdown"] for s in shown)
    kpis = page.assessment
    for kpi_id, name in zip(kpis["kpi_id"], kpis["name"], strict=True):
        assert overview.count(f"](kpi-{kpi_id}.ipynb)") == 1, name
    table, key = overview.split("| Icon | Meaning |")
    assert "Key to the Making Data Count icons" in key
    images = re.findall(r"!\[([^\]]+)\]\((figures/icon-[a-z-]+\.svg)\)", table)
    assert len(images) == 2 * len(kpis)  # icons alone: their words are their alt text
    for alt, path in images:
        assert (tmp_path / path).is_file()
        assert f"<title>{alt}</title>" in (tmp_path / path).read_text("utf-8")
    # The key and the summary say the words beside each icon: its alt text is empty.
    concern = "Special cause concern, high"
    assert f"](figures/icon-variation-special-cause-concern-high.svg) | **{concern}**: " in key
    assert not re.findall(r"!\[[^\]]", key)
    first = kpis[kpis["priority_id"] == priority].iloc[0]
    variation = icons.icon("variation", first["spc_variation"], first["polarity"])
    image = f"![](figures/{variation.file})"
    assert f"Variation: {image} {variation.words}" in dashboard


def test_kpi_tables_can_become_cards_in_the_built_in_engine(tmp_path: Path) -> None:
    """The cards stylesheet is the extension's (Quarto links it too); the built-in engine links
    and copies it, and labels each cell with its column for the narrow-screen layout."""
    import shutil

    from pmf_utils.publish import site
    from tests.conftest import REPO

    shutil.copytree(REPO / "_extensions", tmp_path / "_extensions")
    (tmp_path / "_quarto.yml").write_text(
        "project:\n  type: website\n  render: [page.qmd]\nformat:\n  pmf-html: {}\n", "utf-8"
    )
    table = "| KPI | Variation |\n|---|---|\n| Homes | ![Hit and miss](icon.svg) |\n\n: KPIs"
    (tmp_path / "page.qmd").write_text(
        f"---\ntitle: Page\n---\n\n::: {{.pmf-cards}}\n{table}\n:::\n", "utf-8"
    )
    out = site.render_website(tmp_path)
    html = (out / "page.html").read_text("utf-8")
    assert f'<link rel="stylesheet" href="{site.ASSETS}/pmf-html.css">' in html
    assert (out / site.ASSETS / "pmf-html.css").read_text("utf-8").count(".pmf-cards") > 3
    assert '<td data-label="Variation"><img src="icon.svg" alt="Hit and miss" />' in html
    assert '<div class="pmf-cards">' in html
