"""Write the illustrative figures shipped in ``data/``: observations.csv and comparators.csv.

Why this exists: the project must run, render and be tested out of the box, yet no real council
data can be fetched. The plan, ambitions, priorities, data dictionary, targets and commentary
in ``data/`` are hand-kept; this program turns the dictionary and the shapes in
``scripts/illustrative/recipe.yaml`` into plausible, clearly illustrative figures. It is seeded,
so every run writes the same bytes, and ``tests/test_seed_table.py`` checks the committed files
still match it. The cases the figures show on purpose (off target, worsening, special cause,
stale, no data ...) are listed in ``scripts/illustrative/deliberate.csv``, which
``tests/test_illustrative_data.py`` checks against the package's real judgements.

Periods, intervals and the way numbers are written come from ``pmf_utils``; nothing here judges.

Run: ``python scripts/make_illustrative_data.py [--data DIR] [--out DIR]``.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import yaml

from pmf_utils.data.dataset import validate
from pmf_utils.data.periods import Cadence, PeriodError, format_period, parse_period, parse_quarter
from pmf_utils.data.problems import Problem
from pmf_utils.data.schema import SPECS
from pmf_utils.data.tables import Row, read_table, write_table
from pmf_utils.imports.merge import number_text
from pmf_utils.judge import intervals

ROOT = Path(__file__).resolve().parent.parent
RECIPE = ROOT / "scripts" / "illustrative" / "recipe.yaml"
WRITTEN = ("observations.csv", "comparators.csv")
"""The only files this program writes: everything else in ``data/`` is hand-kept."""

BENCH_COLUMNS = ("england", "region", "neighbours")
NON_NEGATIVE = ("count", "rate", "days", "ratio")
KEYS = {"series", "stop", "denominator", "interval", *BENCH_COLUMNS}
KEYS |= {"comparators", "overrides", "marks", "drop"}
SHAPES = {"trend", "step", "given", "points"}


class RecipeError(Exception):
    """The recipe cannot make a KPI's series; the message names the KPI, key and problem."""


def rng_for(seed: int, *keys: str) -> np.random.Generator:
    """A random stream per KPI (and purpose), so editing one KPI leaves the others unchanged."""
    return np.random.default_rng([seed, *"/".join(keys).encode()])


def season_index(period: pd.Period) -> int:
    """Position in the financial year: 0 = April (monthly) or Q1 (quarterly)."""
    return (period.month - 4) % 12 if period.freqstr == "M" else period.quarter - 1


def shape_values(
    shape: Mapping[str, Any],
    periods: Sequence[pd.Period],
    frequency: str,
    rng: np.random.Generator,
) -> list[float | None]:
    """One value per period (None: no figure) from a trend, step, given list or points."""
    kind = shape.get("shape")
    season = shape.get("season") or ()
    if kind == "given":
        values = list(shape["values"])
        if len(values) != len(periods):
            raise RecipeError(f"{len(values)} given values for {len(periods)} periods")
        return values
    if kind == "points":
        labels = [format_period(p) for p in periods]
        points = {str(k): v for k, v in shape["points"].items()}
        unknown = sorted(set(points) - set(labels))
        if unknown:
            raise RecipeError(f"points for periods the series does not have: {unknown}")
        return [points.get(label) for label in labels]
    if kind == "trend":
        levels = np.linspace(shape["start"], shape["end"], len(periods))
    elif kind == "step":
        change = parse_period(str(shape["at"]), frequency)
        levels = [shape["after"] if p >= change else shape["before"] for p in periods]
    else:
        raise RecipeError(f"shape {kind!r} is not one of {sorted(SHAPES)}")
    draws = rng.normal(0.0, 1.0, len(periods))
    values: list[float | None] = []
    for level, draw, period in zip(levels, draws, periods, strict=True):
        value = level + (season[season_index(period)] if season else 0.0)
        noise = shape.get("noise", 0.0)
        scale = noise * abs(value) if shape.get("relative") else noise
        values.append(float(value + scale * draw))
    return values


def periods_for(kpi: Row, recipe: Mapping[str, Any], settings: Mapping[str, Any]) -> list:
    """A given series' own years, else every period from the start up to the one due (or stop)."""
    frequency = kpi["frequency"]
    series = recipe["series"]
    if series.get("shape") == "given":
        first = parse_period(str(series["first"]), frequency)
        return [first + i for i in range(len(series["values"]))]
    if "stop" in recipe:
        last = parse_period(str(recipe["stop"]), frequency)
    else:
        as_at = parse_quarter(str(settings["as_at"]))
        last = Cadence(frequency, int(kpi["lag_months"])).expected_latest(as_at)
    first = parse_period(str(settings["first"][frequency]), frequency)
    return list(pd.period_range(first, last))


def clip(unit: str, value: float) -> float:
    """Keep percentages within 0-100 and counts, rates, days and ratios non-negative."""
    if unit == "percentage":
        return min(100.0, max(0.0, value))
    return max(0.0, value) if unit in NON_NEGATIVE else value


def text(value: float | None, kpi: Row) -> str:
    """A figure rounded to the KPI's decimal places, written as the data files write numbers."""
    if value is None:
        return ""
    return number_text(round(clip(kpi["unit"], value), int(kpi["decimals"])))


def interval(
    kpi: Row, how: str | float, value: float, numerator: int | None, denominator: int | None
) -> tuple[float, float]:
    """A 95% interval from the package's Wilson and Byar methods, or a survey's half-width."""
    if not isinstance(how, str):
        return value - how, value + how
    if numerator is None:
        raise RecipeError(f"a {how} interval needs a denominator")
    rate_per = float(kpi["rate_per"] or "nan")
    return intervals.interval(kpi["unit"], numerator, denominator, rate_per, value, "95")


def figure_cells(kpi: Row, how: str | float | None, value: float, den: int | None) -> Row:
    """The value, counts and interval of one figure; a percentage is numerator / denominator."""
    unit, numerator = kpi["unit"], None
    value = clip(unit, value)
    if den is not None and unit == "percentage":
        numerator = round(value / 100 * den)
        value = 100 * numerator / den
    elif den is not None and unit == "rate":
        numerator = round(value * den / float(kpi["rate_per"]))
    value = round(value, int(kpi["decimals"]))
    cells = {"value": text(value, kpi)}
    if numerator is not None:
        cells |= {"numerator": str(numerator), "denominator": str(den)}
    if how is not None:
        low, high = interval(kpi, how, value, numerator, den)
        cells |= {"ci_lower": text(low, kpi), "ci_upper": text(high, kpi)}
    return cells


def observation_rows(kpi: Row, recipe: Mapping[str, Any], settings: Mapping[str, Any]) -> list:
    """Every row of one KPI in observations.csv, in period order."""
    if "series" not in recipe:
        return []
    kpi_id, frequency = kpi["kpi_id"], kpi["frequency"]
    rng = rng_for(settings["seed"], kpi_id)
    periods = periods_for(kpi, recipe, settings)
    labels = [format_period(p) for p in periods]
    for key in ("overrides", "marks", "drop"):
        unknown = sorted({str(p) for p in recipe.get(key, ())} - set(labels))
        if unknown:
            raise RecipeError(f"{key}: periods the series does not have: {unknown}")
    raw = shape_values(recipe["series"], periods, frequency, rng)
    dens: list[int | None] = [None] * len(periods)
    if "denominator" in recipe:
        size, spread = recipe["denominator"]["size"], recipe["denominator"]["spread"]
        dens = [max(3, round(size * (1 + d))) for d in rng.normal(0.0, spread, len(periods))]
    benches = {
        column: shape_values(recipe[column], periods, frequency, rng)
        for column in BENCH_COLUMNS
        if column in recipe
    }
    overrides = {str(p): v for p, v in recipe.get("overrides", {}).items()}
    marks = {str(p): m for p, m in recipe.get("marks", {}).items()}
    drop = {str(p) for p in recipe.get("drop", ())}
    rows = []
    for i, label in enumerate(labels):
        mark = marks.get(label, {})
        value, den = raw[i], dens[i]
        override = overrides.get(label)
        if isinstance(override, list):
            value, den = override
        elif override is not None:
            value = override
        if label in drop or (value is None and not mark.get("blank")):
            continue
        row = {"kpi_id": kpi_id, "period": label, "flag": mark.get("flag", "")}
        row["note"] = mark.get("note", "")
        row.update({column: text(values[i], kpi) for column, values in benches.items()})
        if value is not None and not mark.get("blank"):
            row.update(figure_cells(kpi, recipe.get("interval"), value, den))
        rows.append(row)
    return rows


def comparator_rows(kpi: Row, recipe: Mapping, settings: Mapping, rows: list[Row]) -> list:
    """Each neighbour's figure for one period; the neighbours benchmark becomes their mean.

    The draws are centred on the recipe's neighbours benchmark, so the quartile picture and the
    ``neighbours`` column tell the same story.
    """
    if "comparators" not in recipe:
        return []
    period, spread = str(recipe["comparators"]["period"]), recipe["comparators"]["spread"]
    row = next((r for r in rows if r["period"] == period and r["neighbours"]), None)
    if row is None:
        raise RecipeError(f"comparators: {period} has no neighbours benchmark to centre on")
    areas = settings["neighbours"]
    draws = rng_for(settings["seed"], kpi["kpi_id"], "comparators").normal(0.0, spread, len(areas))
    decimals = int(kpi["decimals"])
    values = [
        round(clip(kpi["unit"], float(row["neighbours"]) + d), decimals)
        for d in draws - draws.mean()
    ]
    row["neighbours"] = text(sum(values) / len(values), kpi)
    return [
        {"kpi_id": kpi["kpi_id"], "period": period, "area": area, "value": text(v, kpi)}
        for area, v in zip(areas, values, strict=True)
    ]


def generate(kpis: list[Row], recipe: Mapping[str, Any], where: str) -> dict[str, list[Row]]:
    """Both files' rows in dictionary order; every problem in the recipe raised at once."""
    if not isinstance(recipe, dict) or not {"settings", "kpis"} <= recipe.keys():
        raise RecipeError(f"{where}: needs a 'settings' and a 'kpis' section")
    settings, entries = recipe["settings"], recipe["kpis"]
    known = {kpi["kpi_id"] for kpi in kpis}
    problems = [f"{where}: kpis: {k}: not in kpis.csv" for k in entries if k not in known]
    files: dict[str, list[Row]] = {name: [] for name in WRITTEN}
    for kpi in kpis:
        kpi_id = kpi["kpi_id"]
        entry = entries.get(kpi_id)
        if entry is None:
            problems.append(f"{where}: kpis: {kpi_id}: no entry (write {kpi_id}: {{}} for none)")
            continue
        unknown = sorted(set(entry) - KEYS)
        try:
            if unknown:
                raise RecipeError(f"unknown keys {unknown}; expected some of {sorted(KEYS)}")
            rows = observation_rows(kpi, entry, settings)
            files["comparators.csv"] += comparator_rows(kpi, entry, settings, rows)
            files["observations.csv"] += rows
        except (RecipeError, PeriodError, KeyError, TypeError, ValueError) as error:
            problems.append(f"{where}: kpis: {kpi_id}: {error}")
    if problems:
        raise RecipeError("\n".join(problems))
    return files


def main(argv: Sequence[str] | None = None) -> int:
    """Read the dictionary and recipe, write the two files, then validate the folder."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=ROOT / "data", help="reads kpis.csv here")
    parser.add_argument("--out", type=Path, help="writes here (default: the --data folder)")
    parser.add_argument("--recipe", type=Path, default=RECIPE, help="the series' shapes")
    args = parser.parse_args(argv)
    out = args.out or args.data
    problems: list[Problem] = []
    table = read_table(args.data / "kpis.csv", SPECS["kpis.csv"], problems)
    try:
        recipe = yaml.safe_load(args.recipe.read_text(encoding="utf-8"))
        files = generate(table.rows if table else [], recipe, str(args.recipe))
    except (OSError, yaml.YAMLError, RecipeError) as error:
        print(*map(str, problems), error, sep="\n", file=sys.stderr)
        return 2
    if problems:
        print(*map(str, problems), sep="\n", file=sys.stderr)
        return 2
    out.mkdir(parents=True, exist_ok=True)
    for name, rows in files.items():
        write_table(out / name, SPECS[name], rows)
    found = validate(out) if (out / "plan.csv").is_file() else []
    print(*map(str, found), sep="\n", file=sys.stderr)
    return 2 if found else 0


if __name__ == "__main__":
    raise SystemExit(main())
