"""The council's data as typed pandas data frames, loaded only from a folder that validates.

Everything downstream (judgements, charts, notebooks, publishing) takes a ``Dataset`` rather
than reading files itself, so a bad file is caught once, here, with every problem listed.
"""

from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import pandas as pd

from pmf_utils.data.periods import parse_period
from pmf_utils.data.problems import DataError
from pmf_utils.data.schema import BENCHMARK_SERIES, SPECS
from pmf_utils.data.tables import Table, parse_number
from pmf_utils.data.validation import read_all
from pmf_utils.data.words import Words, from_fields
from pmf_utils.judge import spc_methods
from pmf_utils.project import find_data_dir as find_data_dir


@dataclass(frozen=True)
class Plan:
    """The council and its plan, as printed on every output."""

    council: str
    plan_title: str
    plan_years: str
    vision: str
    principles: tuple[str, ...]
    region_name: str
    neighbours_name: str
    illustrative: bool
    words: Words
    """What the plan calls its levels and its council in page text."""
    spc_method: spc_methods.Method = spc_methods.DEFAULT_METHOD
    """The SPC method of every KPI that does not choose its own."""


@dataclass(frozen=True, eq=False)
class Dataset:
    """Validated data: the plan, its structure, the data dictionary and the figures.

    Compared and hashed by identity (``load`` caches one object per folder state), so
    results computed from it can be cached too.
    """

    data_dir: Path
    plan: Plan
    ambitions: pd.DataFrame
    priorities: pd.DataFrame
    kpis: pd.DataFrame
    targets: pd.DataFrame
    observations: pd.DataFrame
    comparators: pd.DataFrame
    fingerprint: str
    annotations: pd.DataFrame
    """Events and interventions to mark on a KPI's charts: ``kpi_id``, ``period``, ``label``."""

    def kpi(self, kpi_id: str) -> pd.Series:
        """One KPI's data dictionary entry."""
        return self.kpis.loc[kpi_id]

    def series(self, kpi_id: str) -> pd.DataFrame:
        """One KPI's observations in period order."""
        return self.observations[self.observations["kpi_id"] == kpi_id]

    def priority_kpis(self, priority_id: str) -> pd.DataFrame:
        """The data dictionary entries of one priority, in dictionary order."""
        return self.kpis[self.kpis["priority_id"] == priority_id]

    def latest_quarter(self) -> pd.Period:
        """The newest report quarter any figure falls in: the default for every command."""
        ends = self.observations["period"].map(lambda p: p.end_time)
        return pd.Period(ends.max(), freq="Q-MAR")

    @property
    def narrative_dir(self) -> Path:
        return self.data_dir / "narrative"


def fingerprint(data_dir: Path) -> str:
    """A short hash of every data file, printed on outputs to say which data made them."""
    digest = hashlib.sha256()
    for name in SPECS:
        path = data_dir / name
        if path.is_file():
            digest.update(name.encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()[:12]


def validate(data_dir: Path) -> list:
    """Every problem in the data folder (empty when it is clean)."""
    return read_all(data_dir)[1]


def load(data_dir: str | os.PathLike | None = None) -> Dataset:
    """Load and validate the data folder, raising ``DataError`` listing every problem.

    Loads are cached on the files' sizes and modification times, so the notebooks of one run,
    executed in the same warm kernel, read and check the files once.
    """
    folder = find_data_dir(data_dir).resolve()
    stamp = tuple(
        (p.name, p.stat().st_mtime_ns, p.stat().st_size) for p in sorted(folder.glob("*.csv"))
    )
    return _load(folder, stamp)


@lru_cache(maxsize=4)
def _load(folder: Path, stamp: tuple) -> Dataset:
    tables, problems = read_all(folder)
    if problems:
        raise DataError(problems)
    plan = _plan(tables["plan.csv"])
    ambitions = _frame(tables["ambitions.csv"]).reset_index(names="order")
    priorities = _frame(tables["priorities.csv"]).reset_index(names="order")
    priorities = priorities.merge(ambitions[["ambition_id", "ambition"]], on="ambition_id")
    kpis = _kpis(tables["kpis.csv"], priorities, plan.spc_method)
    frequency = kpis["frequency"].to_dict()
    return Dataset(
        data_dir=folder,
        plan=plan,
        ambitions=ambitions,
        priorities=priorities.sort_values("order", ignore_index=True),
        kpis=kpis,
        targets=_targets(tables.get("targets.csv"), frequency),
        observations=_observations(tables["observations.csv"], frequency),
        comparators=_comparators(tables.get("comparators.csv"), frequency),
        fingerprint=fingerprint(folder),
        annotations=_annotations(tables.get("annotations.csv"), frequency),
    )


def _frame(table: Table | None, columns: tuple[str, ...] = ()) -> pd.DataFrame:
    names = [c.name for c in table.spec.columns] if table else list(columns)
    rows = table.rows if table else []
    return pd.DataFrame([{n: row.get(n, "") for n in names} for row in rows], columns=names)


def _numbers(frame: pd.DataFrame, *columns: str) -> None:
    for column in columns:
        frame[column] = [parse_number(v) if v else float("nan") for v in frame[column]]


def _plan(table: Table) -> Plan:
    fields: dict[str, str] = {}
    principles = []
    for row in table.rows:
        if row["field"] == "principle":
            principles.append(row["value"])
        else:
            fields[row["field"]] = row["value"]
    return Plan(
        council=fields["council"],
        plan_title=fields["plan_title"],
        plan_years=fields["plan_years"],
        vision=fields["vision"],
        principles=tuple(principles),
        region_name=fields.get("region_name") or "Region",
        neighbours_name=fields.get("neighbours_name") or "Statistical neighbours",
        illustrative=fields.get("illustrative", "false").lower() == "true",
        words=from_fields(fields),
        spc_method=spc_methods.resolve(fields, spc_methods.DEFAULT_METHOD),
    )


def _kpis(table: Table, priorities: pd.DataFrame, plan_method: spc_methods.Method) -> pd.DataFrame:
    kpis = _frame(table)
    # Each KPI's SPC method as a Method object; its option columns are folded into it.
    methods = [spc_methods.resolve(row, plan_method) for row in kpis.to_dict("records")]
    kpis = kpis.drop(columns=list(spc_methods.SETTINGS)).assign(spc_method=methods)
    _numbers(kpis, "rate_per", "change_threshold")
    kpis["decimals"] = kpis["decimals"].astype(int)
    kpis["lag_months"] = kpis["lag_months"].astype(int)
    for flag in ("year_to_date", "seasonal", "chart_from_zero"):
        kpis[flag] = kpis[flag] == "true"
    kpis["chart_years"] = [int(text) if text else 0 for text in kpis["chart_years"]]
    kpis["chart_benchmarks"] = [_benchmarks(text) for text in kpis["chart_benchmarks"]]
    kpis["spc_rebase"] = [
        tuple(parse_period(t.strip(), f) for t in text.split(";") if t.strip())
        for text, f in zip(kpis["spc_rebase"], kpis["frequency"], strict=True)
    ]
    structure = priorities[["priority_id", "priority", "ambition_id", "ambition"]]
    kpis = kpis.merge(structure, on="priority_id", how="left")
    return kpis.set_index("kpi_id", drop=False).rename_axis(None)


def _benchmarks(text: str) -> tuple[str, ...]:
    """The benchmarks a KPI's charts draw: blank is every one, ``none`` is none."""
    named = {part.strip() for part in text.split(";") if part.strip()}
    return tuple(b for b in BENCHMARK_SERIES if not named or b in named)


def _targets(table: Table | None, frequency: dict[str, str]) -> pd.DataFrame:
    targets = _frame(table, SPECS["targets.csv"].key + ("target", "tolerance", "note"))
    _numbers(targets, "target", "tolerance")
    targets["starts"] = [parse_period(y, "annual-financial") for y in targets["year"]]
    # A profile row's period; None for a target for the whole year.
    targets["period"] = pd.Series(
        [
            parse_period(text, frequency[kpi]) if text else None
            for text, kpi in zip(targets["period"], targets["kpi_id"], strict=True)
        ],
        index=targets.index,
        dtype=object,
    )
    return targets.sort_values(["kpi_id", "starts"], ignore_index=True)


def _with_periods(frame: pd.DataFrame, frequency: dict[str, str]) -> pd.DataFrame:
    # Explicit dtypes keep an empty table (a council with no comparators) comparable.
    frame["period"] = pd.Series(
        [
            parse_period(text, frequency[kpi])
            for text, kpi in zip(frame["period"], frame["kpi_id"], strict=True)
        ],
        index=frame.index,
        dtype=object,
    )
    frame["period_end"] = pd.to_datetime(
        pd.Series([p.end_time for p in frame["period"]], dtype=object, index=frame.index)
    )
    return frame.sort_values(["kpi_id", "period_end"], ignore_index=True)


def _observations(table: Table, frequency: dict[str, str]) -> pd.DataFrame:
    obs = _frame(table)
    _numbers(obs, "value", "numerator", "denominator", "ci_lower", "ci_upper")
    _numbers(obs, "england", "region", "neighbours")
    obs["flag"] = [
        ";".join(sorted({f.strip() for f in text.split(";") if f.strip()})) for text in obs["flag"]
    ]
    return _with_periods(obs, frequency)


def _annotations(table: Table | None, frequency: dict[str, str]) -> pd.DataFrame:
    return _with_periods(_frame(table, SPECS["annotations.csv"].key), frequency)


def _comparators(table: Table | None, frequency: dict[str, str]) -> pd.DataFrame:
    comparators = _frame(table, SPECS["comparators.csv"].key + ("value",))
    _numbers(comparators, "value")
    return _with_periods(comparators, frequency)


__all__ = ["DataError", "Dataset", "Plan", "find_data_dir", "load", "validate"]
