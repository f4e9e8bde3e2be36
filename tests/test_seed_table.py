"""The shipped data dictionary holds exactly the customer's 63 Council Plan reporting measures.

Why: ``data/kpis.csv`` was typed from the "Council Plan reporting measures" table of the seed
document (Walsall Council's Performance Management Framework). That table came through PDF text
extraction, so ``fixtures/seed_table.txt`` keeps it verbatim, a careful parser reads it, and a
small documented map fixes the OCR slips. A KPI can then never be lost, duplicated or filed
under the wrong priority without a test failing. The last tests make sure the committed figures
(observations.csv, comparators.csv) are exactly what ``scripts/make_illustrative_data.py`` makes
from the dictionary and ``scripts/illustrative/recipe.yaml``, so they cannot drift apart; that
the script writes nothing else (the plan, dictionary, targets and commentary are hand-kept); and
that a bad recipe is refused with every problem named.
"""

from __future__ import annotations

import csv
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parent.parent
FIXTURE = Path(__file__).resolve().parent / "fixtures" / "seed_table.txt"
DATA = ROOT / "data"
SCRIPT = ROOT / "scripts" / "make_illustrative_data.py"
RECIPE = ROOT / "scripts" / "illustrative" / "recipe.yaml"
WRITTEN = ("observations.csv", "comparators.csv")
"""The files the script writes; every other file in ``data/`` is hand-kept."""

OCR_FIXES = {
    "cbese": "obese",
    "accomodation": "accommodation",
    "compaosting": "composting",
    "affordibility": "affordability",
}
"""Words the PDF text extraction garbled, and what the printed table says."""

STRAY_MARKS = "'\"‘’“”[]"
"""Quote marks and brackets the extraction left at the start of some cells."""

HEADERS = {"council plan reporting measures", "ambition", "priority", "kpi description"}
"""The table's title and its column headers, repeated on every page."""

Row = tuple[str, str, str]


def clean(text: str) -> str:
    """One cell as printed: whitespace collapsed, stray marks and OCR slips fixed.

    A trailing full stop (one KPI has one) is dropped too: it is not part of the name.
    """
    text = " ".join(text.split()).lstrip(STRAY_MARKS).strip()
    for wrong, right in OCR_FIXES.items():
        text = re.sub(rf"\b{wrong}\b", right, text)
    return text.rstrip(".")


def fold(text: str) -> str:
    """Compare names the way a reader does: ignoring case, spacing and stray marks."""
    return clean(text).casefold()


def _starts_with(text: str, names: list[str]) -> str | None:
    """The known name ``text`` starts with (followed by more words), if any."""
    return next((n for n in names if fold(text).startswith(fold(n) + " ")), None)


def _common_words(texts: list[str]) -> str:
    """The longest run of leading words every text shares."""
    split = [t.split() for t in texts]
    words = []
    for column in zip(*split, strict=False):
        if len({w.casefold() for w in column}) != 1:
            break
        words.append(column[0])
    return " ".join(words)


def parse_seed_table(text: str) -> list[Row]:
    """Read the table as (ambition, priority, KPI) rows, in the printed order.

    Most rows come out of the PDF as three lines (ambition, priority, KPI). Some come out as a
    single line, "ambition priority KPI", with nothing marking where one cell ends: the
    ambition is recognised as one already seen on its own line, and the priority either as one
    already seen on its own line or, failing that, as the words shared by the start of every
    line in a run of such single-line rows (e.g. "Homes for All", which only appears in this
    form).
    """
    lines = [clean(line) for line in text.splitlines()]
    lines = [line for line in lines if line and line.casefold() not in HEADERS]
    ambitions: list[str] = []
    priorities: list[str] = []
    rows: list[list[str | None]] = []
    i = 0
    while i < len(lines):
        ambition = _starts_with(lines[i], ambitions)
        if ambition:
            rows.append([ambition, None, lines[i][len(ambition) :].strip()])
            i += 1
            continue
        if i + 3 > len(lines):
            raise ValueError(f"incomplete row at the end of the table: {lines[i:]}")
        ambition, priority, kpi = lines[i : i + 3]
        for name, known in ((ambition, ambitions), (priority, priorities)):
            if all(fold(name) != fold(k) for k in known):
                known.append(name)
        rows.append([ambition, priority, kpi])
        i += 3

    # Split the single-line rows into priority and KPI.
    run: list[list[str | None]] = []
    for row in [*rows, [None, "end", None]]:
        if row[1] is None:
            rest = str(row[2])
            priority = _starts_with(rest, priorities)
            if priority:
                row[1], row[2] = priority, rest[len(priority) :].strip()
            else:
                run.append(row)
            continue
        if run:
            shared = _common_words([str(r[2]) for r in run])
            if len(run) < 2 or not shared:
                raise ValueError(f"cannot tell the priority from the KPI in: {run}")
            priorities.append(shared)
            for r in run:
                r[1], r[2] = shared, str(r[2])[len(shared) :].strip()
            run = []
    return [(str(a), str(p), str(k)) for a, p, k in rows]


def unique_in_order(names: list[str]) -> list[str]:
    """Each name once (compared with ``fold``), in order of first appearance."""
    seen: dict[str, str] = {}
    for name in names:
        seen.setdefault(fold(name), name)
    return list(seen.values())


def read_csv(name: str) -> list[dict[str, str]]:
    with (DATA / name).open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


@pytest.fixture(scope="module")
def seed_rows() -> list[Row]:
    return parse_seed_table(FIXTURE.read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def data_rows() -> list[Row]:
    """kpis.csv joined with priorities.csv and ambitions.csv: (ambition, priority, KPI name)."""
    ambitions = {r["ambition_id"]: r["ambition"] for r in read_csv("ambitions.csv")}
    priorities = {r["priority_id"]: r for r in read_csv("priorities.csv")}
    rows = []
    for kpi in read_csv("kpis.csv"):
        priority = priorities[kpi["priority_id"]]
        rows.append((ambitions[priority["ambition_id"]], priority["priority"], kpi["name"]))
    return rows


def test_seed_table_has_63_kpis_5_ambitions_15_priorities(seed_rows: list[Row]) -> None:
    assert len(seed_rows) == 63
    assert len(unique_in_order([a for a, _, _ in seed_rows])) == 5
    assert len(unique_in_order([p for _, p, _ in seed_rows])) == 15
    assert len({k for _, _, k in seed_rows}) == 63
    for _, priority, kpi in seed_rows:
        assert kpi and priority
        assert not any(wrong in kpi.casefold() for wrong in OCR_FIXES), kpi
        assert kpi[0] not in STRAY_MARKS, kpi


def test_parser_reads_the_awkward_rows(seed_rows: list[Row]) -> None:
    by_kpi = {k: (a, p) for a, p, k in seed_rows}
    assert by_kpi["Housing affordability ratio"] == ("Healthy and Well", "Homes for All")
    assert by_kpi["% of children in care with 3 or more placements in a year"] == (
        "Healthy and Well",
        "Supported and Cared for",
    )
    assert by_kpi["Total number of enterprises supported"][1] == (
        "Supporting Business and Inclusive Growth"
    )
    assert "Budget: Variance £" in by_kpi
    community = "Proportion of people who receive long term services who reside in the community"
    assert community in by_kpi  # the printed table ends this one with a stray full stop


def test_ambitions_and_priorities_follow_the_seed_order(seed_rows: list[Row]) -> None:
    ambitions = [r["ambition"] for r in read_csv("ambitions.csv")]
    priorities = read_csv("priorities.csv")
    assert [fold(a) for a in ambitions] == [
        fold(a) for a in unique_in_order([a for a, _, _ in seed_rows])
    ]
    assert [fold(p["priority"]) for p in priorities] == [
        fold(p) for p in unique_in_order([p for _, p, _ in seed_rows])
    ]
    ambition_of = {fold(p): fold(a) for a, p, _ in seed_rows}
    names = {r["ambition_id"]: r["ambition"] for r in read_csv("ambitions.csv")}
    for row in priorities:
        assert fold(names[row["ambition_id"]]) == ambition_of[fold(row["priority"])]


def test_kpis_csv_holds_exactly_the_seed_kpis(seed_rows: list[Row], data_rows: list[Row]) -> None:
    expected = {(fold(a), fold(p), clean(k)) for a, p, k in seed_rows}
    found = [(fold(a), fold(p), k) for a, p, k in data_rows]
    assert len(found) == len(set(found)) == 63
    assert set(found) - expected == set(), "in kpis.csv but not in the seed table"
    assert expected - set(found) == set(), "in the seed table but not in kpis.csv"


def run_script(*args: str | Path) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, str(SCRIPT), *map(str, args)],
        cwd=ROOT,
        capture_output=True,
        text=True,
    )


def test_script_is_deterministic_and_matches_committed_data(tmp_path: Path) -> None:
    first, second = tmp_path / "first", tmp_path / "second"
    for out in (first, second):
        assert run_script("--out", out).returncode == 0
    assert sorted(p.name for p in first.iterdir()) == sorted(WRITTEN)
    for name in WRITTEN:
        written = (first / name).read_bytes()
        assert written == (second / name).read_bytes(), f"{name} differs between runs"
        assert written == (DATA / name).read_bytes(), (
            f"data/{name} differs from what the script writes: "
            "run scripts/make_illustrative_data.py and commit the result"
        )


def test_script_writes_only_the_figures_and_validates_them(tmp_path: Path) -> None:
    data = Path(shutil.copytree(DATA, tmp_path / "data"))
    (data / "observations.csv").unlink()
    mine = data / "narrative" / "2025-26-q2" / "overview.md"
    mine.write_text("An analyst's words.\n", encoding="utf-8")
    kept = {p: p.read_bytes() for p in data.rglob("*") if p.is_file()}
    result = run_script("--data", data)
    assert result.returncode == 0, result.stderr
    assert {p: p.read_bytes() for p in kept} == kept
    assert {p for p in data.rglob("*") if p.is_file()} - set(kept) == {data / "observations.csv"}
    assert (data / "observations.csv").read_bytes() == (DATA / "observations.csv").read_bytes()


def test_a_bad_recipe_is_refused_with_every_problem(tmp_path: Path) -> None:
    recipe = yaml.safe_load(RECIPE.read_text(encoding="utf-8"))
    del recipe["kpis"]["CFB02"]
    recipe["kpis"]["XYZ99"] = {}
    recipe["kpis"]["CFB03"]["overrides"]["2025/26 Q9"] = 1.0
    recipe["kpis"]["HFA04"]["colour"] = "red"
    recipe["kpis"]["SSP02"]["series"]["shape"] = "wiggle"
    bad = tmp_path / "recipe.yaml"
    bad.write_text(yaml.safe_dump(recipe), encoding="utf-8")
    result = run_script("--recipe", bad, "--out", tmp_path / "out")
    assert result.returncode == 2
    assert not (tmp_path / "out").exists()
    for expected in (
        "XYZ99: not in kpis.csv",
        "CFB02: no entry",
        "CFB03: ",
        "2025/26 Q9",
        "HFA04: unknown keys ['colour']",
        "SSP02: shape 'wiggle'",
    ):
        assert expected in result.stderr
    assert str(bad) in result.stderr


def test_a_bad_dictionary_is_refused_before_anything_is_written(tmp_path: Path) -> None:
    data = Path(shutil.copytree(DATA, tmp_path / "data"))
    kpis = data / "kpis.csv"
    kpis.write_text(
        kpis.read_text(encoding="utf-8").replace(",percentage,", ",percent,", 1), "utf-8"
    )
    (data / "observations.csv").unlink()
    result = run_script("--data", data)
    assert result.returncode == 2
    assert f"{kpis}:2: unit: " in result.stderr
    assert not (data / "observations.csv").exists()
