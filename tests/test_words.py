"""The plan's own words: a plan whose levels are missions and objectives, and whose council
is "the Royal Borough", gets pages in those words and never Walsall's "ambition" or
"priority"."""

from __future__ import annotations

import re
from dataclasses import asdict
from pathlib import Path

import pytest

from pmf_utils.data.dataset import load, validate
from pmf_utils.data.schema import REQUIRED_PLAN_FIELDS
from pmf_utils.data.words import from_fields, in_sentence, plural
from pmf_utils.pages import overview as overview_module
from pmf_utils.pages import report as report_module
from pmf_utils.pages.report import Report
from pmf_utils.publish import signoff
from pmf_utils.publish.projects import navigation, write_page
from pmf_utils.scaffold import empty_data, init_project

QUARTER = "2025/26 Q1"
MISSIONS = {
    "ambition_label": "Mission",
    "priority_label": "Objective",
    "council_short_name": "the Royal Borough",
    "accessibility_contact": "the insight team at insight@example.gov.uk",
}
WALSALL = re.compile(r"ambition|priorit|walsall", re.IGNORECASE)


def with_words(folder: Path, words: dict[str, str]) -> Path:
    plan = folder / "plan.csv"
    rows = "".join(f"{field},{value}\n" for field, value in words.items())
    plan.write_text(plan.read_text("utf-8") + rows, "utf-8")
    return folder


def test_todays_words_are_the_defaults() -> None:
    words = from_fields({"council": "Walsall Council"})
    assert (words.ambition, words.ambitions, words.priority, words.priorities) == (
        "Ambition",
        "Ambitions",
        "Priority",
        "Priorities",
    )
    assert words.council == "Walsall Council"
    assert words.accessibility_contact == "Walsall Council's performance and insight team"


def test_plurals_and_running_text() -> None:
    assert plural("Objective") == "Objectives"
    assert plural("Priority") == "Priorities" and plural("Journey") == "Journeys"
    assert from_fields({"ambition_label": "Ox", "ambition_label_plural": "Oxen"}).ambitions == (
        "Oxen"
    )
    assert in_sentence("Missions") == "missions" and in_sentence("NHS outcomes") == "NHS outcomes"


def test_an_empty_project_shows_the_fields() -> None:
    plan = empty_data()["plan.csv"]
    for field in (*MISSIONS, "ambition_label_plural", "priority_label_plural"):
        assert f"\n{field},\n" in plan


def test_an_empty_plan_asks_only_for_its_required_fields(tmp_path: Path) -> None:
    """The optional fields' rows are there to fill in; left blank, they take their defaults."""
    init_project(tmp_path)
    plan = [p for p in validate(tmp_path / "data") if p.file.endswith("plan.csv")]
    assert [(p.line, p.message) for p in plan] == [
        (line, f"is blank: the plan needs its {field}")
        for line, field in enumerate(REQUIRED_PLAN_FIELDS, start=2)
    ]


def test_a_bad_label_is_located(mini_data: Path) -> None:
    with_words(mini_data, {"ambition_label": "M" * 41, "priority_label": '"Two\nlines"'})
    found = [(p.line, p.column, p.message) for p in validate(mini_data)]
    assert (11, "value", "ambition_label is a heading and menu entry: 40 characters at most") in (
        found
    )
    assert (12, "value", "priority_label must be on one line") in found


@pytest.fixture
def shown(mini_data: Path, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> list[str]:
    """Every markdown output the overview's, an ambition's and the exceptions' sections show."""
    with_words(mini_data, MISSIONS)
    monkeypatch.chdir(tmp_path)
    outputs: list[str] = []
    for module in (report_module, overview_module):
        monkeypatch.setattr(module, "show", lambda text, **_: outputs.append(str(text)))
    report = Report(QUARTER, mini_data)
    report.status_counts(by="ambition")
    report.status_counts(by="priority")
    report.headline()
    report.icon_table()
    report.priority_tiles("people")
    report.exceptions_table()
    outputs.append(signoff.overview(report.data, report.quarter))
    return outputs


def test_page_sections_use_the_plans_words(shown: list[str]) -> None:
    text = "\n".join(shown)
    # Link targets and commentary files are file names (ambition-people.ipynb), not words.
    words = re.sub(r"\]\([^)]*\)|`[^`]*`", "]", text)
    assert "| Mission " in words and "KPI status by mission" in words
    assert "| Objective " in words and "KPI status by objective" in words
    assert "## Objectives\n" in text and "## Status by mission\n" in text
    assert 'data-group="Mission"' in text  # the filter's label for the icon table's groups
    assert "Objective\\: Children" in words
    assert not WALSALL.search(words), WALSALL.findall(words)


def test_site_pages_and_menus_use_the_plans_words(mini_data: Path, tmp_path: Path) -> None:
    words = asdict(load(with_words(mini_data, MISSIONS)).plan.words)
    nav = navigation([], "", "downloads.html", "archive.html", words)
    assert [e["text"] for e in nav["left"][1:3]] == ["Missions", "Objectives"]
    page = {"id": "people", "kind": "ambition", "parent": "", "title": "People", "href": "a"}
    latest = {"council": "Royal Borough of Anytown", "plan": "Plan", "quarter": "Q1"}
    latest |= {"period": "April to June 2025", "booklets": []}
    values = {"latest": latest, "prefix": "", "tree": [{**page, "children": []}], "words": words}
    report = {**latest, "words": words}
    pages = [
        ("front-index.qmd.j2", values),
        ("accessibility.qmd.j2", {**values, "updated": "today"}),
        ("quarter-index.qmd.j2", {"report": report, "prefix": "", "tree": values["tree"]}),
    ]
    text = ""
    for template, given in pages:
        write_page(tmp_path / "page.qmd", template, **given)
        text += (tmp_path / "page.qmd").read_text("utf-8")
    assert "How the Royal Borough is doing on each objective" in text
    assert "every mission and objective at a glance" in text
    assert "## Missions and objectives" in text and "## Missions, objectives and measures" in text
    assert r"contact the insight team at insight\@example\.gov\.uk." in text  # escaped
    assert not WALSALL.search(text), WALSALL.findall(text)


def test_an_ambition_and_a_priority_of_one_name_get_distinct_titles(mini_data: Path) -> None:
    priorities = mini_data / "priorities.csv"
    priorities.write_text(priorities.read_text("utf-8").replace(",Children", ",People"), "utf-8")
    report = Report(QUARTER, with_words(mini_data, MISSIONS))
    assert report.pick("ambition", "people") == ("people", "People (Mission)")
    assert report.pick("priority", "children") == ("children", "People (Objective)")
    assert report.pick("priority", "streets") == ("streets", "Clean streets")
