"""Judge every KPI for a quarter: the table behind ``pmf status``, the report pages and PDFs.

``assess`` returns one row per KPI in data dictionary order with its latest value, target
status, direction of travel, benchmarks, SPC verdicts and the reasons it is escalated;
``exceptions`` keeps the escalated rows. Both are pure functions of a loaded ``Dataset``, so a
notebook and the command line get the same answer. Columns and their vocabulary are documented
in the README. ``judge`` also keeps each KPI's XmR chart, so a report draws the very chart the
verdicts came from rather than computing it again.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import pandas as pd

from pmf_utils.data.dataset import Dataset
from pmf_utils.data.periods import PERIODS_PER_YEAR, format_period
from pmf_utils.judge import intervals, spc, spc_methods
from pmf_utils.judge import judgements as j
from pmf_utils.judge import vocabulary as v
from pmf_utils.judge.targets import target_in_force

COLUMNS = (
    "kpi_id",
    "name",
    "ambition_id",
    "ambition",
    "priority_id",
    "priority",
    "unit",
    "decimals",
    "rate_per",
    "polarity",
    "frequency",
    "period",
    "value",
    "value_text",
    "target",
    "tolerance",
    "target_text",
    "status",
    "previous_value",
    "direction_previous",
    "year_earlier_value",
    "direction_year",
    "england",
    "benchmark_england",
    "region",
    "benchmark_region",
    "neighbours",
    "benchmark_neighbours",
    "quartile",
    "spc_variation",
    "spc_assurance",
    "spc_points",
    "spc_trial",
    "spc_method",
    "stale",
    "expected_period",
    "flag",
    "note",
    "exceptions",
)
"""The columns of ``assess``; ``pmf status --format csv`` writes them in this order."""

BENCHMARKS = ("england", "region", "neighbours")


def _interval(kpi: pd.Series, row: pd.Series) -> j.Interval:
    """The figure's interval: at the KPI's ``ci_level`` from its counts, else as given."""
    level = kpi.get("ci_level", "")
    if not level:
        return (row["ci_lower"], row["ci_upper"])
    counts = (row.get("numerator", math.nan), row.get("denominator", math.nan))
    return intervals.interval(kpi["unit"], *counts, kpi["rate_per"], row["value"], level)


def _figure(rows: pd.DataFrame, period: pd.Period) -> pd.Series | None:
    """The observation for one period, if it has a figure."""
    match = rows[(rows["period"] == period) & rows["value"].notna()]
    return match.iloc[0] if len(match) else None


def _travel(kpi: pd.Series, rows: pd.DataFrame, latest: pd.Series, steps: int) -> tuple:
    """(earlier figure, direction) against the period ``steps`` before the latest."""
    earlier = _figure(rows, latest["period"] - steps)
    if earlier is None:
        return math.nan, v.NOT_AVAILABLE
    verdict = j.direction(
        latest["value"],
        earlier["value"],
        kpi["polarity"],
        kpi["change_threshold"],
        _interval(kpi, latest),
        _interval(kpi, earlier),
    )
    return earlier["value"], verdict


def exception_reasons(row: dict) -> str:
    """Why a judged KPI is escalated: '; '-joined reasons in report order, '' for none."""
    reasons = {
        v.OFF_TARGET: row["status"] == v.OFF_TARGET,
        v.WORSENING: v.WORSENING in (row["direction_previous"], row["direction_year"]),
        v.CONCERN: row["spc_variation"] == v.CONCERN,
        # Limits that a special-cause improvement has left behind describe the old process,
        # so their "failing" verdict is not escalated (rebase the KPI's limits instead).
        v.FAILING: row["spc_assurance"] == v.FAILING and row["spc_variation"] != v.IMPROVEMENT,
        v.STALE_DATA: row["stale"],
        v.NO_DATA: row["status"] == v.NO_DATA,
    }
    return "; ".join(reason for reason in v.EXCEPTION_REASONS if reasons[reason])


def _note(latest: j.Latest) -> str:
    """The latest figure's own note, plus any newer periods that have no figure."""
    own = "" if latest.row is None else latest.row["note"]
    withheld = latest.withheld and f"no figure yet for {latest.withheld}"
    return "; ".join(filter(None, (own, withheld)))


def _comparisons(
    kpi: pd.Series, rows: pd.DataFrame, current: pd.Series | None, comparators: pd.DataFrame
) -> dict[str, object]:
    """Direction of travel, benchmarks and quartile of the latest figure (if there is one)."""
    if current is None:
        return {
            "previous_value": math.nan,
            "direction_previous": v.NOT_AVAILABLE,
            "year_earlier_value": math.nan,
            "direction_year": v.NOT_AVAILABLE,
            **{name: math.nan for name in BENCHMARKS},
            **{f"benchmark_{name}": v.NOT_AVAILABLE for name in BENCHMARKS},
            "quartile": None,
        }
    value, polarity = current["value"], kpi["polarity"]
    # A year-to-date figure grows through the year, and a seasonal one rises and falls with
    # the seasons: only the same period a year earlier compares.
    previous, direction_previous = (
        (math.nan, v.NOT_AVAILABLE)
        if kpi.get("year_to_date", False) or kpi.get("seasonal", False)
        else _travel(kpi, rows, current, 1)
    )
    year_earlier, direction_year = _travel(kpi, rows, current, PERIODS_PER_YEAR[kpi["frequency"]])
    same_period = comparators[comparators["period"] == current["period"]]
    return {
        "previous_value": previous,
        "direction_previous": direction_previous,
        "year_earlier_value": year_earlier,
        "direction_year": direction_year,
        **{name: current[name] for name in BENCHMARKS},
        **{
            f"benchmark_{name}": j.benchmark(
                value, current[name], polarity, kpi["change_threshold"], _interval(kpi, current)
            )
            for name in BENCHMARKS
        },
        "quartile": j.quartile(value, same_period["value"], polarity),
    }


def judge_kpi(
    kpi: pd.Series,
    observations: pd.DataFrame,
    targets: pd.DataFrame,
    comparators: pd.DataFrame,
    quarter: pd.Period,
) -> dict[str, object]:
    """Every judgement of one KPI as at a quarter, from that KPI's own rows of each table."""
    return _judge_kpi(kpi, observations, targets, comparators, quarter)[0]


def _judge_kpi(
    kpi: pd.Series,
    observations: pd.DataFrame,
    targets: pd.DataFrame,
    comparators: pd.DataFrame,
    quarter: pd.Period,
) -> tuple[dict[str, object], spc.Chart]:
    """``judge_kpi``'s row and the XmR chart its SPC verdicts come from."""
    polarity = kpi["polarity"]
    rows = j.available(observations, quarter)
    latest = j.latest_as_at(observations, quarter)
    current = latest.row
    # The target of the figure's own period (an older annual figure keeps its year's target).
    year_to_date = bool(kpi.get("year_to_date", False))
    period = quarter if current is None else current["period"]
    in_force = target_in_force(targets, period, year_to_date)
    target, tolerance = (
        (math.nan, math.nan) if in_force is None else (in_force["target"], in_force["tolerance"])
    )
    value = math.nan if current is None else current["value"]
    method = kpi.get("spc_method", spc_methods.DEFAULT_METHOD)
    chart = spc.xmr_chart(
        rows.set_index("period")["value"],
        polarity,
        target,
        kpi["spc_rebase"],
        **vars(method.options),
    )
    fmt = {"unit": kpi["unit"], "decimals": kpi["decimals"], "rate_per": kpi["rate_per"]}
    row = {name: kpi[name] for name in COLUMNS if name in kpi.index}
    row |= {
        "period": "" if current is None else format_period(current["period"]),
        "value": value,
        "value_text": v.format_value(value, **fmt),
        "target": target,
        "tolerance": tolerance,
        "target_text": "" if math.isnan(target) else v.format_value(target, **fmt),
        "status": j.status(value, target, tolerance, polarity),
        "spc_variation": chart.variation,
        "spc_assurance": chart.assurance,
        "spc_points": len(chart.points),
        "spc_trial": chart.trial,
        "spc_method": method.label,
        "stale": j.is_stale(latest.newest, kpi["frequency"], kpi["lag_months"], quarter),
        "expected_period": format_period(
            j.expected_period(kpi["frequency"], kpi["lag_months"], quarter)
        ),
        "flag": "" if current is None else current["flag"],
        "note": _note(latest),
    }
    row |= _comparisons(kpi, rows, current, comparators)
    row["exceptions"] = exception_reasons(row)
    return row, chart


@dataclass(frozen=True)
class Judged:
    """A quarter's judgements (the rows of ``assess``) and each KPI's XmR chart by KPI id."""

    table: pd.DataFrame
    charts: dict[str, spc.Chart]


def assess(dataset: Dataset, quarter: pd.Period | None = None) -> pd.DataFrame:
    """One row per KPI (data dictionary order) with every judgement as at the quarter.

    ``quarter`` defaults to the latest quarter with any figure. Each KPI's SPC method is the
    one its data dictionary entry or the plan chooses (``pmf_utils.judge.spc_methods``).
    """
    return judge(dataset, quarter).table


def judge(dataset: Dataset, quarter: pd.Period | None = None) -> Judged:
    """``assess``'s table together with the XmR charts behind its SPC columns."""
    quarter = quarter or dataset.latest_quarter()

    def by_kpi(frame: pd.DataFrame):
        groups = dict(tuple(frame.groupby("kpi_id", sort=False)))
        return lambda kpi_id: groups.get(kpi_id, frame.iloc[:0])

    observations = by_kpi(dataset.observations)
    targets = by_kpi(dataset.targets)
    comparators = by_kpi(dataset.comparators)
    judged = {
        kpi_id: _judge_kpi(kpi, observations(kpi_id), targets(kpi_id), comparators(kpi_id), quarter)
        for kpi_id, kpi in dataset.kpis.iterrows()
    }
    frame = pd.DataFrame([row for row, _ in judged.values()], columns=list(COLUMNS))
    frame["quartile"] = frame["quartile"].astype("Int64")
    table = frame.astype({"stale": bool, "spc_trial": bool})
    return Judged(table, {kpi_id: chart for kpi_id, (_, chart) in judged.items()})


def exceptions(assessment: pd.DataFrame) -> pd.DataFrame:
    """The KPIs a report escalates: the rows of ``assess`` with at least one reason."""
    return assessment[assessment["exceptions"] != ""]


_TABLE = {
    "kpi_id": "KPI",
    "period": "Period",
    "value_text": "Value",
    "target_text": "Target",
    "status": "Status",
    "direction_previous": "vs previous",
    "direction_year": "vs year ago",
    "benchmark_england": "England",
    "benchmark_region": "Region",
    "benchmark_neighbours": "Neighbours",
    "spc_variation": "SPC",
    "spc_assurance": "Assurance",
}
JUDGEMENT_KINDS = {
    # Which vocabulary each judgement column takes its words and symbols from.
    "status": "status",
    "direction_previous": "direction",
    "direction_year": "direction",
    "benchmark_england": "benchmark",
    "benchmark_region": "benchmark",
    "benchmark_neighbours": "benchmark",
    "spc_variation": "variation",
    "spc_assurance": "assurance",
}


def status_table(assessment: pd.DataFrame) -> str:
    """The judgements as a plain text table, each verdict with its symbol and words."""
    shown = assessment[list(_TABLE)].copy()
    for column, kind in JUDGEMENT_KINDS.items():
        shown[column] = [
            v.text(kind, value, polarity)
            for value, polarity in zip(shown[column], assessment["polarity"], strict=True)
        ]
    trial = assessment["spc_trial"].to_numpy()
    shown.loc[trial, "spc_variation"] += " (trial limits)"
    return shown.rename(columns=_TABLE).to_string(index=False)
