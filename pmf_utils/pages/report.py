"""What the notebook templates call: each method shows one part of a report page.

A template reads like the report it makes: parameters, ``Report(quarter, data_dir)``, then a
few calls such as ``report.header(...)``, ``report.summary_table(priority)``. Every call
``display``s pandoc markdown (``markdown`` escapes data text) so both publishing engines
render the same text; charts are written to ``figures/`` beside the executed notebook
together with the numbers behind them as CSV.
"""

from __future__ import annotations

import os
from functools import lru_cache
from pathlib import Path

import pandas as pd
from IPython.display import display

from pmf_utils.data import narrative
from pmf_utils.data.dataset import Dataset, load
from pmf_utils.data.periods import PERIODS_PER_YEAR, format_period, parse_quarter, quarter_label
from pmf_utils.judge import vocabulary as v
from pmf_utils.judge.assessment import JUDGEMENT_KINDS, Judged, exceptions, judge
from pmf_utils.judge.targets import targets_by_period
from pmf_utils.pages import charts, icons
from pmf_utils.pages import markdown as md
from pmf_utils.publish import signoff

RECENT_YEARS = 3
"""How many years of history the trend chart on a priority page shows."""


def show(markdown: str, **pmf: str) -> None:
    """Display markdown as a notebook output, with ``pmf`` metadata when the run needs it."""
    display(
        {"text/markdown": markdown, "text/plain": markdown},
        raw=True,
        metadata={"pmf": pmf} if pmf else None,
    )


@lru_cache(maxsize=8)
def _judged(data: Dataset, quarter: pd.Period) -> Judged:
    # Cached so the notebooks of one run, sharing a warm kernel, judge the quarter once.
    judged = judge(data, quarter)
    return Judged(judged.table.set_index("kpi_id", drop=False), judged.charts)


class Report:
    """One quarter of one council's data, and the page sections drawn from it."""

    def __init__(
        self, quarter: str | None = None, data_dir: str | os.PathLike | None = None
    ) -> None:
        self.data = load(data_dir)
        self.quarter = parse_quarter(quarter) if quarter else self.data.latest_quarter()
        judged = _judged(self.data, self.quarter)
        self.assessment = judged.table
        self.spc_charts = judged.charts
        narrative.prepare(self.data, self.quarter)
        self.figures = Path("figures")

    # ---- shared parts ---------------------------------------------------------------

    @property
    def label(self) -> str:
        return quarter_label(self.quarter)

    def header(self, title: str, **pmf: str) -> None:
        """The page title. The publisher adds the council's banner, the quarter, where the
        page sits in the plan and, while the data is illustrative, the notice saying so."""
        show(md.heading(1, title), **pmf)

    def pick(self, kind: str, id: str | None) -> tuple[str, str]:
        """(id, name) of an ambition or priority; the first one when ``id`` is None, so a
        template opened in Jupyter runs as it is."""
        table = self.data.ambitions if kind == "ambition" else self.data.priorities
        names = table.set_index(f"{kind}_id")[kind]
        id = id or names.index[0]
        if id not in names.index:
            raise ValueError(f"'{id}' is not a {kind} id; choose one of: {', '.join(names.index)}")
        return id, names[id]

    def commentary(self, kind: str, id: str | None = None) -> narrative.Commentary:
        """The analysts' commentary (or a visible 'awaited' note), placed as a markdown cell."""
        return narrative.commentary(self.data, self.quarter, kind, id)

    def cell(self, row: pd.Series, column: str) -> md.Markdown:
        """A judgement as a table cell: symbol (a Making Data Count icon for SPC verdicts) and
        words, never colour alone."""
        kind = JUDGEMENT_KINDS[column]
        if kind in icons.KINDS:
            symbol = icons.image(kind, row[column], row["polarity"], self.figures)
        else:
            symbol = md.text(v.symbol(kind, row[column], row["polarity"]))
        return md.Markdown(f"{symbol} {md.text(words(row, column))}")

    def kpis_of(self, priority_id: str) -> pd.DataFrame:
        return self.assessment[self.assessment["priority_id"] == priority_id]

    # ---- overview, ambition and exceptions pages --------------------------------------

    def status_counts(self, by: str = "ambition", ambition_id: str | None = None) -> None:
        """How many KPIs are on target, within tolerance, off target and so on."""
        frame = self.assessment
        if ambition_id:
            frame = frame[frame["ambition_id"] == ambition_id]
        key = "ambition" if by == "ambition" else "priority"
        groups = frame.groupby(f"{key}_id", sort=False)
        rows = []
        for group_id, group in groups:
            name = group[key].iloc[0]
            counts = {v.text("status", s): int((group["status"] == s).sum()) for s in _STATUSES}
            rows.append(
                {
                    key.title(): md.link(name, f"{key}-{group_id}"),
                    "KPIs": len(group),
                    **counts,
                    "Escalated": int((group["exceptions"] != "").sum()),
                }
            )
        table = pd.DataFrame(rows)
        sums = table.drop(columns=key.title()).sum().to_dict()
        total = {key.title(): md.Markdown("**All**"), **sums}
        table = pd.concat([table, pd.DataFrame([total])], ignore_index=True)
        numbers = [c for c in table.columns if c != key.title()]
        caption = f"KPI status by {key}, {self.label}"
        show(md.table(table, caption, right=numbers))

    def icon_table(self) -> None:
        """Every KPI on one line with its Making Data Count icons, as a board report leads:
        latest figure, target, status, variation, assurance and direction, linking to its page.
        The icons' words are their alt text; the KPI page says them beside the icons."""
        rows = [
            {
                "KPI": md.link(row["name"], f"kpi-{row['kpi_id']}"),
                "Latest": row["value_text"],
                "Target": row["target_text"] or "–",
                "Status": self.cell(row, "status"),
                **{
                    column.title(): icons.image(
                        column, row[f"spc_{column}"], row["polarity"], self.figures
                    )
                    for column in icons.KINDS
                },
                "Direction": self.cell(row, "direction_previous"),
            }
            for _, row in self.assessment.iterrows()
        ]
        caption = (
            f"Every KPI at a glance, {self.label}: status against target, SPC variation and "
            "assurance icons, and direction since the previous period"
        )
        table = md.table(pd.DataFrame(rows), caption, right=["Latest", "Target"])
        legend = pd.DataFrame(icons.key(self.figures), columns=["Icon", "Meaning"])
        legend = md.table(legend, "Key to the Making Data Count icons")
        show(f"::: {{.pmf-cards}}\n{table}\n:::\n\n{legend}")

    def priorities_of(self, ambition_id: str) -> None:
        """The ambition's priorities, each with its KPIs' statuses, linking to its page."""
        self.status_counts(by="priority", ambition_id=ambition_id)

    def exceptions_table(
        self, priority_id: str | None = None, ambition_id: str | None = None
    ) -> None:
        """The KPIs to escalate and why, so nobody has to hunt for them."""
        escalated = exceptions(self.assessment)
        if priority_id:
            escalated = escalated[escalated["priority_id"] == priority_id]
        if ambition_id:
            escalated = escalated[escalated["ambition_id"] == ambition_id]
        if escalated.empty:
            show(md.text(f"No KPI needs escalating for {self.label}."))
            return
        rows = [
            {
                "KPI": md.link(row["name"], f"kpi-{row['kpi_id']}"),
                "Priority": row["priority"],
                "Latest": row["value_text"],
                "Period": row["period"] or "–",
                "Target": row["target_text"] or "–",
                "Reasons": "; ".join(v.text("exception", r) for r in row["exceptions"].split("; ")),
            }
            for _, row in escalated.iterrows()
        ]
        caption = f"{len(rows)} KPIs escalated for {self.label}, with the reasons"
        show(md.table(pd.DataFrame(rows), caption, right=["Latest", "Target"]))

    def completeness(self) -> None:
        """Which KPIs lack data or are stale, and each commentary's sign-off state."""
        missing = self.assessment[
            (self.assessment["status"] == v.NO_DATA) | self.assessment["stale"]
        ]
        data_rows = [
            {
                "KPI": md.link(row["name"], f"kpi-{row['kpi_id']}"),
                "Latest period": row["period"] or "none",
                "Expected by now": row["expected_period"],
                "Problem": "no data" if row["status"] == v.NO_DATA else "stale data",
            }
            for _, row in missing.iterrows()
        ]
        parts = ["## Data completeness", ""]
        if data_rows:
            caption = f"KPIs whose figures are missing or older than expected, {self.label}"
            parts.append(md.table(pd.DataFrame(data_rows), caption))
        else:
            parts.append("Every KPI has a figure for the latest period expected.")
        parts += ["", "## Commentary sign-off", "", signoff.overview(self.data, self.quarter)]
        show("\n".join(parts))

    # ---- priority pages -----------------------------------------------------------------

    def summary_table(self, priority_id: str) -> None:
        """The priority's KPIs at a glance: value and its period, target and every judgement
        (a card per KPI where the columns do not fit the screen)."""
        rows = [
            {
                "KPI": md.link(row["name"], f"kpi-{row['kpi_id']}"),
                "Latest": row["value_text"] + (f" ({row['period']})" if row["period"] else ""),
                "Target": row["target_text"] or "–",
                "Status": self.cell(row, "status"),
                "vs previous": self.cell(row, "direction_previous"),
                "vs a year ago": self.cell(row, "direction_year"),
                "vs England": self.cell(row, "benchmark_england"),
                "Variation": self.cell(row, "spc_variation"),
                "Assurance": self.cell(row, "spc_assurance"),
            }
            for _, row in self.kpis_of(priority_id).iterrows()
        ]
        caption = f"KPI summary, {self.label}"
        table = md.table(pd.DataFrame(rows), caption, right=["Latest", "Target"])
        show(f"::: {{.pmf-cards}}\n{table}\n:::")

    def kpi_sections(self, priority_id: str) -> None:
        """Each KPI of the priority: judgements, recent trend chart and commentary."""
        for kpi_id in self.kpis_of(priority_id).index:
            row = self.assessment.loc[kpi_id]
            show(
                "\n\n".join(
                    [
                        md.heading(2, row["name"], f"kpi-{kpi_id}"),
                        self._verdicts(row),
                        self._trend(kpi_id, recent=True),
                    ]
                )
            )
            display(self.commentary("kpi", kpi_id))
            show(md.link("Definition, full history and benchmarks", f"kpi-{kpi_id}"))

    def _verdicts(self, row: pd.Series) -> str:
        """The judgements of one KPI as a two-column table a screen reader can follow."""
        names = self.data.plan
        facts = [
            ("Latest figure", f"{row['value_text']} ({row['period'] or 'no period'})"),
            ("Target", row["target_text"] or "No target: monitor only"),
            ("Status", self.cell(row, "status")),
            ("Compared with the previous period", self.cell(row, "direction_previous")),
            ("Compared with a year earlier", self.cell(row, "direction_year")),
            ("Compared with England", self.cell(row, "benchmark_england")),
            (f"Compared with {names.region_name}", self.cell(row, "benchmark_region")),
            (f"Compared with {names.neighbours_name}", self.cell(row, "benchmark_neighbours")),
            ("Statistical process control", self.cell(row, "spc_variation")),
            ("Assurance against target", self.cell(row, "spc_assurance")),
        ]
        if pd.notna(row["quartile"]):
            facts.append(("Quartile among comparators", f"{row['quartile']} (1 = best)"))
        if row["stale"]:
            facts.append(("Data", f"Stale: a figure for {row['expected_period']} was expected"))
        if row["flag"]:
            facts.append(("Data quality", row["flag"].replace(";", ", ")))
        if row["note"]:
            facts.append(("Note", row["note"]))
        table = pd.DataFrame(facts, columns=["Measure", "Judgement"])
        return md.table(table, f"{row['name']}: judgements for {self.label}")

    # ---- KPI pages ----------------------------------------------------------------------

    def kpi_pages(self, priority_id: str) -> None:
        """One page per KPI of the priority (split into separate pages by the run)."""
        for kpi_id in self.kpis_of(priority_id).index:
            row = self.assessment.loc[kpi_id]
            self.header(row["name"], kpi=kpi_id)
            show(f"{self._verdicts(row)}\n\n## Commentary")
            display(self.commentary("kpi", kpi_id))
            show(
                "\n\n".join(
                    [
                        "## Trend",
                        self._trend(kpi_id, recent=False),
                        self._spc(kpi_id),
                        self._benchmarks(kpi_id),
                        "## History",
                        self._history(kpi_id),
                        "## Definition",
                        self._definition(kpi_id),
                    ]
                )
            )

    def _history_frame(self, kpi_id: str) -> pd.DataFrame:
        series = self.data.series(kpi_id)
        series = series[series["period_end"] <= self.quarter.end_time]
        return series.assign(period_label=[format_period(p) for p in series["period"]])

    def _chart(self, chart: charts.Chart, caption: str, row: pd.Series) -> str:
        """The figure, its caption and alt text, and the numbers behind it with their units
        (website only; the CSV keeps the bare numbers for spreadsheets)."""
        png, csv = chart.save(self.figures)
        shown = chart.data.copy()
        numbers = [c for c in shown.columns if pd.api.types.is_numeric_dtype(shown[c])]
        fmt = {"unit": row["unit"], "decimals": int(row["decimals"]), "rate_per": row["rate_per"]}
        for column in numbers:
            shown[column] = [
                v.format_value(x, **fmt) if pd.notna(x) else "–" for x in shown[column]
            ]
        headers = {c: str(c)[:1].upper() + str(c)[1:].replace("_", " ") for c in shown.columns}
        shown = shown.rename(columns=headers)
        numbers = [headers[c] for c in numbers]
        table = md.table(shown, f"The numbers behind the chart: {caption}", right=numbers)
        return "\n\n".join(
            [
                md.figure(png.as_posix(), caption, chart.alt),
                md.details(
                    "Show the numbers behind this chart",
                    md.Markdown(f"{table}\n\n[Download these numbers (CSV)]({csv.as_posix()})"),
                ),
            ]
        )

    def _trend(self, kpi_id: str, recent: bool) -> str:
        row = self.assessment.loc[kpi_id]
        history = self._history_frame(kpi_id)
        if history["value"].notna().sum() == 0:
            return "No figures are available for this KPI yet."
        if recent:
            keep = PERIODS_PER_YEAR[row["frequency"]] * RECENT_YEARS
            history = history.tail(max(keep, 5))
        plan = self.data.plan
        names = {
            "value": plan.council,
            "england": "England",
            "region": plan.region_name,
            "neighbours": plan.neighbours_name,
        }
        chart = charts.trend_chart(
            f"{kpi_id}-{'trend' if recent else 'history'}",
            history.reset_index(drop=True),
            row["unit"],
            int(row["decimals"]),
            self._targets(kpi_id, history["period"]),
            v.label("status", row["status"]),
            names,
            row["name"],
        )
        span = f"{history['period_label'].iloc[0]} to {history['period_label'].iloc[-1]}"
        return self._chart(chart, f"{row['name']}, {span}", row)

    def _targets(self, kpi_id: str, periods: pd.Series) -> list[float]:
        """The target in force for each period, as the judgements used it (a step where the
        target changed, a profile within a year)."""
        rows = self.data.targets[self.data.targets["kpi_id"] == kpi_id]
        return targets_by_period(rows, periods, bool(self.data.kpi(kpi_id)["year_to_date"]))

    def _spc(self, kpi_id: str) -> str:
        row = self.assessment.loc[kpi_id]
        result = self.spc_charts[kpi_id]  # the chart the page's SPC verdicts came from
        method = f"Drawn by {self.data.kpi(kpi_id)['spc_method'].describe()}."
        if result.variation == v.NOT_ENOUGH_DATA:
            return (
                "### Statistical process control\n\nNot enough figures for a statistical process "
                f"control chart ({len(result.points)} so far). {method}"
            )
        points = result.points.reset_index(names="period")
        points["period_label"] = [format_period(p) for p in points["period"]]
        points["special"] = points["variation"].map(_SPECIAL).fillna("")
        summary = (
            f"Latest point: {words(row, 'spc_variation').lower()}. "
            f"Assurance: {words(row, 'spc_assurance').lower()}."
        )
        targets = self._targets(kpi_id, points["period"])
        chart = charts.spc_chart(
            f"{kpi_id}-spc", points, row["unit"], int(row["decimals"]), targets, summary
        )
        below = result.options.trial_below
        trial = f" Trial limits: fewer than {below} points." if result.trial else ""
        return "\n\n".join(
            [
                "### Statistical process control",
                md.text(f"{summary}{trial} {method}"),
                self._chart(chart, f"{row['name']}: XmR chart", row),
            ]
        )

    def _benchmarks(self, kpi_id: str) -> str:
        row = self.assessment.loc[kpi_id]
        plan = self.data.plan
        areas = [
            (plan.council, row["value"]),
            ("England", row["england"]),
            (plan.region_name, row["region"]),
            (plan.neighbours_name, row["neighbours"]),
        ]
        frame = pd.DataFrame(areas, columns=["area", "value"])
        if frame["value"].iloc[1:].isna().all() or pd.isna(row["value"]):
            return "### Benchmarks\n\nNo comparison with other areas is available."
        chart = charts.benchmark_chart(
            f"{kpi_id}-benchmark",
            frame,
            row["unit"],
            int(row["decimals"]),
            f"{row['name']}, {row['period']}",
        )
        return "\n\n".join(
            [
                "### Benchmarks",
                self._chart(chart, f"{row['name']} compared, {row['period']}", row),
            ]
        )

    def _history(self, kpi_id: str) -> str:
        row = self.assessment.loc[kpi_id]
        history = self._history_frame(kpi_id)
        fmt = {"unit": row["unit"], "decimals": int(row["decimals"]), "rate_per": row["rate_per"]}
        plan = self.data.plan
        table = pd.DataFrame(
            {
                "Period": history["period_label"],
                "Value": [
                    v.format_value(x, **fmt) if pd.notna(x) else _missing(f)
                    for x, f in zip(history["value"], history["flag"], strict=True)
                ],
                "England": [v.format_value(x, **fmt) for x in history["england"]],
                plan.region_name: [v.format_value(x, **fmt) for x in history["region"]],
                plan.neighbours_name: [v.format_value(x, **fmt) for x in history["neighbours"]],
                "Flags": history["flag"].str.replace(";", ", "),
                "Note": history["note"],
            }
        )
        table = table.loc[:, (table != "no figure").any() & (table != "").any()]
        numbers = [c for c in table.columns if c not in ("Period", "Flags", "Note")]
        return md.table(table.iloc[::-1], f"{row['name']}: every figure, newest first", numbers)

    def _targets_text(self, kpi_id: str) -> str:
        kpi = self.data.kpi(kpi_id)
        targets = self.data.targets[self.data.targets["kpi_id"] == kpi_id]
        fmt = {"unit": kpi["unit"], "decimals": int(kpi["decimals"]), "rate_per": kpi["rate_per"]}
        return "; ".join(
            # A profile row names its period; a year's row its year.
            f"{format_period(t.period) if t.period else t.year}: {v.format_value(t.target, **fmt)}"
            + (
                f" (tolerance {v.format_value(t.tolerance, **fmt)})"
                if pd.notna(t.tolerance)
                else ""
            )
            for t in targets.itertuples()
        )

    def _definition(self, kpi_id: str) -> str:
        kpi = self.data.kpi(kpi_id)
        facts = _definition_facts(kpi, self._targets_text(kpi_id))
        return md.table(
            pd.DataFrame(facts, columns=["Item", "Detail"]), f"{kpi['name']}: data dictionary entry"
        )

    # ---- the data dictionary ------------------------------------------------------------

    def dictionary(self) -> None:
        """Every KPI's data dictionary entry, grouped by priority; one output per KPI so each
        priority's booklet can carry its own KPIs' definitions as an appendix."""
        for priority in self.data.priorities.itertuples():
            kpis = self.data.priority_kpis(priority.priority_id)
            if kpis.empty:
                continue
            show(md.heading(2, priority.priority))
            for kpi_id, kpi in kpis.iterrows():
                targets = self._targets_text(kpi_id)
                facts = pd.DataFrame(_definition_facts(kpi, targets), columns=["Item", "Detail"])
                name = kpi["name"]
                table = md.table(facts, f"{name}: definition")
                heading = md.heading(3, md.link(name, f"kpi-{kpi_id}"))
                show(f"{heading}\n\n{table}", definition=kpi_id)


def words(row: pd.Series, column: str) -> str:
    """A judgement in words, with what a reader must know to weigh it."""
    text = v.label(JUDGEMENT_KINDS[column], row[column])
    if column == "spc_variation" and row["spc_trial"]:
        text += " (trial limits)"
    if column == "spc_assurance" and row[column] in _ASSURED and row["spc_variation"] in _SPECIAL:
        # The limits were drawn over a process the latest point says has changed.
        text += " (limits predate a special cause: read with caution)"
    return text


_ASSURED = (v.PASSING, v.HIT_AND_MISS, v.FAILING)
_STATUSES = (v.ON_TARGET, v.WITHIN_TOLERANCE, v.OFF_TARGET, v.MONITOR_ONLY, v.NO_DATA)
_SPECIAL = {
    v.IMPROVEMENT: "improvement",
    v.CONCERN: "concern",
    v.NEUTRAL_HIGH: "neutral",
    v.NEUTRAL_LOW: "neutral",
}
_POLARITY = {"higher": "Higher is better", "lower": "Lower is better", "none": "No polarity"}


def _missing(flag: str) -> str:
    return "suppressed" if "suppressed" in flag else "not available"


def _definition_facts(kpi: pd.Series, target_text: str) -> list[tuple[str, str]]:
    unit = kpi["unit"] + (f" per {kpi['rate_per']:,.0f}" if kpi["unit"] == "rate" else "")
    frequency = kpi["frequency"].replace("-", ", ")
    frequency += ", year to date" if kpi.get("year_to_date", False) else ""
    return [
        ("Definition", kpi["definition"]),
        ("Calculation", kpi["methodology"]),
        ("Unit", unit),
        ("Polarity", _POLARITY[kpi["polarity"]]),
        ("Frequency", frequency),
        ("Publication lag", f"{kpi['lag_months']} months"),
        ("Source", kpi["source"]),
        ("Benchmarking source", kpi["benchmark_source"] or "None"),
        ("Targets", target_text or "None set: monitor only"),
        ("Owner", kpi["owner"]),
    ]
