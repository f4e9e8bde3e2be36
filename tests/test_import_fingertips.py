"""Fingertips downloads (both layouts) imported into a copy of the shipped data folder."""

from __future__ import annotations

import csv
from pathlib import Path

import pandas as pd
import pytest

from pmf_utils.cli import main
from pmf_utils.data.dataset import load
from pmf_utils.data.periods import PeriodError, format_period, parse_quarter
from pmf_utils.imports.fingertips import Mapping
from pmf_utils.imports.period_labels import map_label
from pmf_utils.judge.assessment import assess

from .conftest import snapshot

WALSALL, REGION, ENGLAND = "E08000030", "E12000005", "E92000001"
NEIGHBOURS = {"E08000031": "Wolverhampton", "E08000028": "Sandwell", "E08000027": "Dudley"}
CLASSIC = (
    "Indicator ID,Indicator Name,Parent Code,Parent Name,Area Code,Area Name,Area Type,Sex,Age,"
    "Category Type,Category,Time period,Value,Lower CI 95.0 limit,Upper CI 95.0 limit,"
    "Lower CI 99.8 limit,Upper CI 99.8 limit,Count,Denominator,Value note,Recent Trend,"
    "Compared to England value or percentiles,Compared to {parent} value or percentiles,"
    "Time period Sortable,New data,Compared to goal"
)
NEXT = (
    "Indicator ID,Indicator name,Period,Area,Area code,Benchmark,Compared to benchmark,"
    "Recent trend,Count,Value unit,Value,Lower confidence limit 95%,Upper confidence limit 95%"
)
Y6 = "20602"  # Year 6 overweight (including obesity), academic years -> LAH01
MMR = "30311"  # MMR two doses at five, financial years -> LAH05
FIGURES = ["value", "numerator", "denominator", "ci_lower", "ci_upper"]


def classic_row(indicator, code, name, period, value, *, parent=REGION, sex="Persons", **extra):
    """One row of a classic download; unspecified cells blank, as Fingertips leaves them."""
    row = {
        "Indicator ID": indicator,
        "Indicator Name": "indicator " + indicator,
        "Parent Code": parent,
        "Parent Name": "West Midlands region",
        "Area Code": code,
        "Area Name": name,
        "Area Type": "Counties & UAs (from Apr 2023)",
        "Sex": sex,
        "Age": "10-11 yrs" if indicator == Y6 else "5 yrs",
        "Time period": period,
        "Value": value,
        "Recent Trend": "Cannot be calculated",
        "Compared to England value or percentiles": "Similar",
    }
    return row | extra


def write_csv(path: Path, header: str, rows: list[dict]) -> Path:
    fields = header.split(",")
    with path.open("w", encoding="utf-8-sig", newline="") as out:
        writer = csv.DictWriter(out, fields, extrasaction="ignore")
        writer.writeheader()
        writer.writerows(rows)
    return path


def classic_download(folder: Path, parent: str = "Regions (statistical)") -> Path:
    ci = {"Lower CI 95.0 limit": "37.05", "Upper CI 95.0 limit": "43.51"}
    rows = [
        # The council's figures: a revised 2023/24 and a new 2024/25 with a value note.
        classic_row(Y6, WALSALL, "Walsall", "2023/24", "41.7", **{"Count": "1609"}),
        classic_row(
            Y6,
            WALSALL,
            "Walsall",
            "2024/25",
            "40.0",
            **ci,
            **{"Count": "1544", "Denominator": "3860", "Value note": "Data quality note"},
        ),
        # Other sexes and a category breakdown are left out unless mapped.
        classic_row(Y6, WALSALL, "Walsall", "2024/25", "44.9", sex="Male"),
        classic_row(Y6, WALSALL, "Walsall", "2024/25", "35.1", sex="Female"),
        classic_row(
            Y6,
            WALSALL,
            "Walsall",
            "2024/25",
            "48.2",
            **{"Category Type": "Deprivation decile (IMD2019)", "Category": "Most deprived"},
        ),
        classic_row(Y6, ENGLAND, "England", "2024/25", "42.5", parent=""),
        classic_row(Y6, REGION, "West Midlands region", "2024/25", "36.0", parent=ENGLAND),
        classic_row(Y6, ENGLAND, "England", "2023/24", "35.8", parent=""),
        *(
            classic_row(Y6, code, name, "2024/25", value)
            for (code, name), value in zip(NEIGHBOURS.items(), ("41", "39", "44"), strict=True)
        ),
        classic_row(Y6, "E08000025", "Birmingham", "2024/25", "45.0"),  # not a neighbour
        # A suppressed figure: blank value, the reason in the value note.
        classic_row(
            MMR,
            WALSALL,
            "Walsall",
            "2024/25",
            "",
            **{"Value note": "Value suppressed for disclosure control due to small count"},
        ),
        classic_row(MMR, ENGLAND, "England", "2024/25", "83.7", parent=""),
    ]
    return write_csv(folder / "fingertips.csv", CLASSIC.format(parent=parent), rows)


def neighbours_file(folder: Path) -> Path:
    path = folder / "neighbours.csv"
    path.write_text("area_code,name\n" + "".join(f"{c},{n}\n" for c, n in NEIGHBOURS.items()))
    return path


def run_import(data: Path, csv_path: Path, *maps: str, extra: tuple[str, ...] = ()) -> int:
    args = ["import", "fingertips", str(csv_path), "--area", WALSALL, "--data", str(data)]
    for mapping in maps:
        args += ["--map", mapping]
    return main([*args, *extra])


def row(data: Path, kpi: str, period: str) -> pd.Series:
    frame = pd.read_csv(data / "observations.csv", dtype=str, keep_default_na=False)
    return frame[(frame["kpi_id"] == kpi) & (frame["period"] == period)].iloc[0]


def test_classic_download_feeds_the_judgements(data_copy: Path, tmp_path: Path, capsys) -> None:
    download = classic_download(tmp_path)
    neighbours = neighbours_file(tmp_path)
    before = (data_copy / "observations.csv").read_text(encoding="utf-8").splitlines()
    code = run_import(
        data_copy,
        download,
        f"{Y6}=LAH01",
        f"{MMR}=LAH05",
        extra=("--neighbours", str(neighbours)),
    )
    out = capsys.readouterr().out
    assert code == 0, out
    assert "observations.csv: 1 added, 2 changed, 0 unchanged" in out
    assert "comparators.csv: 3 added, 0 changed, 0 unchanged" in out
    assert "~ LAH01 2023/24: value '41.5' -> '41.7'" in out
    assert "Wrote" in out

    new = row(data_copy, "LAH01", "2024/25")
    assert new[FIGURES].tolist() == ["40", "1544", "3860", "37.05", "43.51"]
    assert new[["england", "region", "neighbours", "flag"]].tolist() == ["42.5", "36", "41.33", ""]
    assert new["note"] == "Data quality note"
    revised = row(data_copy, "LAH01", "2023/24")
    assert (revised["value"], revised["flag"], revised["england"]) == ("41.7", "revised", "35.8")
    suppressed = row(data_copy, "LAH05", "2024/25")
    assert (suppressed["value"], suppressed["flag"]) == ("", "suppressed")
    assert suppressed["note"] == "Value suppressed for disclosure control due to small count"

    # Only the imported rows changed; the new row sits after its KPI's 2023/24 row.
    after = (data_copy / "observations.csv").read_text(encoding="utf-8").splitlines()
    assert len(after) == len(before) + 1
    at = after.index(next(line for line in after if line.startswith("LAH01,2024/25,")))
    assert after[at - 1].startswith("LAH01,2023/24,")
    changed = [b for b, a in zip(before, after[:at] + after[at + 1 :], strict=True) if a != b]
    assert [c.split(",")[:2] for c in changed] == [["LAH01", "2023/24"], ["LAH05", "2024/25"]]

    comparators = (data_copy / "comparators.csv").read_text(encoding="utf-8").splitlines()
    new_areas = [c.split(",")[2] for c in comparators if c.startswith("LAH01,2024/25,")]
    assert new_areas == list(NEIGHBOURS.values())  # in the neighbours file's order
    last_2023 = max(i for i, c in enumerate(comparators) if c.startswith("LAH01,2023/24,"))
    assert comparators[last_2023 + 1].startswith("LAH01,2024/25,")

    judged = assess(load(data_copy), parse_quarter("2025/26 Q2")).set_index("kpi_id")
    lah01 = judged.loc["LAH01"]
    assert (lah01["period"], lah01["value"]) == ("2024/25", 40.0)
    assert (lah01["england"], lah01["region"]) == (42.5, 36.0)
    # England's 42.5 lies inside the imported interval (37.05-43.51): similar, where the 2%
    # band alone would say better; the region's 36.0 lies outside it: worse (lower is better).
    assert lah01["benchmark_england"] == "similar"
    assert lah01["benchmark_region"] == "worse"
    assert lah01["benchmark_neighbours"] == "similar"
    assert lah01["quartile"] == 2  # of Walsall and the three imported neighbours
    assert judged.loc["LAH05", "period"] == "2023/24"
    assert "2024/25 suppressed" in judged.loc["LAH05", "note"]


def test_reimporting_the_same_file_changes_nothing(data_copy: Path, tmp_path: Path, capsys):
    download = classic_download(tmp_path, parent="West Midlands region")
    neighbours = ("--neighbours", str(neighbours_file(tmp_path)))
    assert run_import(data_copy, download, f"{Y6}=LAH01", extra=neighbours) == 0
    first = snapshot(data_copy)
    capsys.readouterr()
    assert run_import(data_copy, download, f"{Y6}=LAH01", extra=neighbours) == 0
    out = capsys.readouterr().out
    assert "observations.csv: 0 added, 0 changed, 2 unchanged" in out
    assert "comparators.csv: 0 added, 0 changed, 3 unchanged" in out
    assert "Nothing changed; no file was written." in out
    assert snapshot(data_copy) == first


def test_dry_run_shows_the_diff_and_writes_nothing(data_copy: Path, tmp_path: Path, capsys):
    before = snapshot(data_copy)
    download = classic_download(tmp_path)
    assert run_import(data_copy, download, f"{Y6}=LAH01", extra=("--dry-run",)) == 0
    out = capsys.readouterr().out
    assert "+ LAH01 2024/25: value 40" in out
    assert "Dry run: the result is valid; nothing was written." in out
    assert snapshot(data_copy) == before


def test_a_mapped_sex_is_imported_instead(data_copy: Path, tmp_path: Path) -> None:
    download = classic_download(tmp_path)
    assert run_import(data_copy, download, f"{Y6}:Female=LAH01") == 0
    assert row(data_copy, "LAH01", "2024/25")["value"] == "35.1"


def test_newer_layout(data_copy: Path, tmp_path: Path, capsys) -> None:
    common = {"Indicator ID": "92906", "Indicator name": "Alcohol admissions"}
    rows = [
        common
        | {
            "Period": "2024/25",
            "Area": "Walsall",
            "Area code": WALSALL,
            "Benchmark": ENGLAND,
            "Compared to benchmark": "Worse",
            "Count": "2001",
            "Value unit": "per 100,000",
            "Value": "690.4",
            "Lower confidence limit 95%": "660.2",
            "Upper confidence limit 95%": "721.7",
        },
        common
        | {"Period": "2024/25", "Area": "Group: West Midlands region", "Area code": REGION}
        | {"Value": "640.1"},
        common | {"Period": "2024/25", "Area": "England", "Area code": ENGLAND, "Value": "600"},
    ]
    download = write_csv(tmp_path / "next.csv", NEXT, rows)
    assert run_import(data_copy, download, "92906=LAH03") == 0, capsys.readouterr()
    new = row(data_copy, "LAH03", "2024/25")
    assert new[FIGURES].tolist() == ["690.4", "2001", "", "660.2", "721.7"]
    assert (new["england"], new["region"]) == ("600", "640.1")
    judged = assess(load(data_copy), parse_quarter("2026/27 Q1")).set_index("kpi_id")
    assert judged.loc["LAH03", "benchmark_england"] == "worse"
    assert judged.loc["LAH03", "benchmark_region"] == "worse"


def test_a_failed_import_leaves_every_file_byte_identical(
    data_copy: Path, tmp_path: Path, capsys
) -> None:
    before = snapshot(data_copy)
    rows = [
        classic_row(Y6, WALSALL, "Walsall", "2024", "40"),  # a calendar year: not academic
        classic_row(Y6, WALSALL, "Walsall", "2024/25", "forty"),
    ]
    download = write_csv(tmp_path / "bad.csv", CLASSIC.format(parent="Region"), rows)
    assert run_import(data_copy, download, f"{Y6}=LAH01", "1=NOPE") == 2
    err = capsys.readouterr().err
    assert (
        f"{download}:2: Time period: '2024' does not fit the KPI's frequency "
        "(annual-academic) (LAH01)" in err
    )
    assert f"{download}:3: Value: 'forty' is not a number" in err
    assert "--map 1: KPI NOPE is not in kpis.csv" in err
    assert "nothing was changed" in err
    assert snapshot(data_copy) == before


def test_a_merge_that_would_not_validate_writes_nothing(
    data_copy: Path, tmp_path: Path, capsys
) -> None:
    before = snapshot(data_copy)
    rows = [classic_row(Y6, WALSALL, "Walsall", "2024/25", "140")]
    download = write_csv(tmp_path / "over.csv", CLASSIC.format(parent="Region"), rows)
    assert run_import(data_copy, download, f"{Y6}=LAH01") == 2
    err = capsys.readouterr().err
    line = 1 + next(
        n
        for n, text in enumerate((data_copy / "observations.csv").read_text().splitlines(), start=1)
        if text.startswith("LAH01,2023/24,")
    )
    assert f"{data_copy / 'observations.csv'}:{line}: value: 140 is outside 0-100" in err
    assert snapshot(data_copy) == before


@pytest.mark.parametrize(
    ("label", "frequency", "period", "covered"),
    [
        ("2023/24", "annual-financial", "2023/24", 1),
        ("2022/23", "annual-academic", "2022/23", 1),
        ("2023", "annual-calendar", "2023", 1),
        ("2021 - 23", "annual-calendar", "2023", 3),
        ("2020/21 - 22/23", "annual-financial", "2022/23", 3),
        ("2021/22 to 2023/24", "annual-academic", "2023/24", 3),
        ("2023/24 Q1", "quarterly", "2023/24 Q1", 1),
        ("2024 Q1", "quarterly", "2023/24 Q4", 1),
        ("Apr to Jun 2023", "quarterly", "2023/24 Q1", 1),
        ("Jan - Mar 2024", "quarterly", "2023/24 Q4", 1),
        ("Apr 2023", "monthly", "2023-04", 1),
        ("2023 Sep", "monthly", "2023-09", 1),
    ],
)
def test_period_labels(label: str, frequency: str, period: str, covered: int) -> None:
    mapped = map_label(label, frequency)
    assert (format_period(mapped.period), mapped.periods_covered) == (period, covered)


@pytest.mark.parametrize(
    ("label", "frequency"),
    [
        ("2023/24", "annual-calendar"),
        ("2023", "annual-financial"),
        ("2023/24", "quarterly"),  # a year is not a quarter, and only a range may roll
        ("Feb to Apr 2023", "quarterly"),  # not a financial quarter
        ("2023/25", "annual-financial"),
        ("Q1 2023", "quarterly"),
    ],
)
def test_period_labels_that_do_not_fit(label: str, frequency: str) -> None:
    with pytest.raises(PeriodError):
        map_label(label, frequency)


def test_mapping_syntax() -> None:
    assert Mapping.parse("93088:Male:18+ yrs=LAH06") == Mapping("93088", "LAH06", "Male", "18+ yrs")
    with pytest.raises(ValueError, match="is not INDICATOR_ID=KPI_ID"):
        Mapping.parse("LAH06")


def test_ambiguous_or_missing_rows_are_named(data_copy: Path, tmp_path: Path, capsys) -> None:
    rows = [
        classic_row(Y6, WALSALL, "Walsall", "2024/25", "44.9", sex="Male"),
        classic_row(Y6, WALSALL, "Walsall", "2024/25", "35.1", sex="Female"),
        classic_row(MMR, ENGLAND, "England", "2024/25", "83.7", parent=""),
    ]
    download = write_csv(tmp_path / "sexes.csv", CLASSIC.format(parent="Region"), rows)
    neighbours = tmp_path / "neighbours.txt"
    neighbours.write_text("# CIPFA\nE08000031\nWolverhampton\n")
    args = ("--neighbours", str(neighbours))
    assert run_import(data_copy, download, f"{Y6}=LAH01", f"{MMR}=LAH05", extra=args) == 2
    err = capsys.readouterr().err
    assert f"{neighbours}:3: -: 'Wolverhampton' is not an area code" in err
    neighbours.write_text("area\nE08000031\n")
    assert run_import(data_copy, download, f"{Y6}=LAH01", f"{MMR}=LAH05", extra=args) == 2
    err = capsys.readouterr().err.splitlines()
    assert err == [
        f"{download}: neighbour E08000031 is not in the file",
        f"{download}: indicator {Y6}: rows for several sexes (Female, Male): name one in the "
        "mapping",
        f"{download}: indicator {MMR}: no rows for area {WALSALL}",
        "3 problem(s); nothing was changed.",
    ]


def test_a_pooled_period_is_filed_under_its_last_year_and_noted(
    data_copy: Path, tmp_path: Path
) -> None:
    rows = [classic_row("93748", WALSALL, "Walsall", "2022 - 24", "13.1", Age="18+ yrs")]
    download = write_csv(tmp_path / "pooled.csv", CLASSIC.format(parent="Region"), rows)
    assert run_import(data_copy, download, "93748=LAH06") == 0
    added = row(data_copy, "LAH06", "2024")
    assert (added["value"], added["note"]) == ("13.1", "Fingertips period 2022 - 24")
