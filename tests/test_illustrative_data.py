"""The shipped illustrative figures show exactly the cases ``scripts/illustrative/deliberate.csv``
lists, as the package itself judges them.

Why: the report's demonstrations (the exceptions page, SPC signals, stale and missing data,
profile targets, flags) and several tests rely on cases the illustrative data makes on purpose.
Checking the list against ``assess`` on the committed data, rather than against a second
implementation of the judgements, keeps the list true whenever the recipe or the judgements
change. A row marked ``only`` also says no other KPI shows that judgement in that quarter.
The sample commentary is hand-kept too, so a last test makes sure each KPI's commentary still
quotes the figure its page shows.
"""

from __future__ import annotations

import csv
import numbers
from collections import defaultdict
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from pmf_utils.data.dataset import load
from pmf_utils.data.periods import parse_quarter, quarter_slug
from pmf_utils.judge.assessment import COLUMNS, assess

from .conftest import REPO, SHIPPED_DATA

DELIBERATE = REPO / "scripts" / "illustrative" / "deliberate.csv"
COMMENTED = ("2025/26 Q1", "2025/26 Q2")
"""The quarters the shipped sample commentary is written for."""


def read_cases(path: Path = DELIBERATE) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


@pytest.fixture(scope="module")
def judged() -> dict[str, pd.DataFrame]:
    """Each listed or commented quarter's judgements of the shipped data, by KPI id."""
    data = load(SHIPPED_DATA)
    quarters = {row["quarter"] for row in read_cases()} | set(COMMENTED)
    return {q: assess(data, parse_quarter(q)).set_index("kpi_id") for q in quarters}


def shows(actual: object, judgement: str, expected: str) -> bool:
    """Whether a judged cell is the expected value (an exception reason: one of the reasons)."""
    if judgement == "exceptions":
        return expected in str(actual).split("; ")
    if isinstance(actual, bool | np.bool_):
        return str(actual).lower() == expected
    if isinstance(actual, numbers.Number):
        return float(actual) == float(expected)
    return str(actual) == expected


def test_the_file_names_real_kpis_judgements_and_reasons() -> None:
    kpis = set(load(SHIPPED_DATA).kpis["kpi_id"])
    for line, row in enumerate(read_cases(), start=2):
        assert row["kpi_id"] in kpis, f"line {line}: unknown KPI {row['kpi_id']}"
        assert row["judgement"] in COLUMNS, f"line {line}: no judgement {row['judgement']}"
        assert row["only"] in ("", "yes"), f"line {line}: only is 'yes' or blank"
        assert row["why"].strip(), f"line {line}: say why the case is there"


def test_every_deliberate_case_is_judged_as_listed(judged: dict[str, pd.DataFrame]) -> None:
    wrong = []
    for row in read_cases():
        actual = judged[row["quarter"]].at[row["kpi_id"], row["judgement"]]
        if not shows(actual, row["judgement"], row["expected"]):
            wrong.append(
                f"{row['quarter']} {row['kpi_id']} {row['judgement']}: "
                f"expected {row['expected']!r}, judged {actual!r}"
            )
    assert not wrong, "\n".join(wrong)


def test_no_other_kpi_shows_an_exclusive_case(judged: dict[str, pd.DataFrame]) -> None:
    listed: dict[tuple[str, str, str], set[str]] = defaultdict(set)
    for row in read_cases():
        if row["only"]:
            listed[row["quarter"], row["judgement"], row["expected"]].add(row["kpi_id"])
    assert listed
    for (quarter, judgement, expected), kpis in listed.items():
        table = judged[quarter]
        found = {k for k, cell in table[judgement].items() if shows(cell, judgement, expected)}
        assert found == kpis, f"{quarter} {judgement} = {expected}"


def test_a_changed_judgement_is_caught(judged: dict[str, pd.DataFrame]) -> None:
    # The check can fail: the same case read with another expected value does not hold.
    assert not shows("off target", "status", "within tolerance")
    assert not shows("off target; stale data", "exceptions", "worsening")
    assert not shows(84.9, "value", "85")
    assert shows(True, "stale", "true") and not shows(False, "stale", "true")


@pytest.mark.parametrize("quarter", COMMENTED)
def test_kpi_commentary_quotes_the_figure_its_page_shows(
    judged: dict[str, pd.DataFrame], quarter: str
) -> None:
    folder = SHIPPED_DATA / "narrative" / quarter_slug(parse_quarter(quarter))
    files = sorted(folder.glob("kpi-*.md"))
    assert files
    stale = [
        f"{path.name} does not quote {text!r}"
        for path in files
        if (text := judged[quarter].at[path.stem.removeprefix("kpi-"), "value_text"])
        not in path.read_text(encoding="utf-8")
        and text != "no figure"
    ]
    assert not stale, "update the commentary to the figures:\n" + "\n".join(stale)
