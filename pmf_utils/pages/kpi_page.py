"""A KPI's page, section by section: what the KPI page template calls for each KPI.

The sections are separate calls (header, judgements, commentary, trend, SPC, benchmarks,
history, definition), so an analyst sees in the template where to change or drop one; each
``show``s pandoc markdown, data text escaped by ``markdown``.
"""

from __future__ import annotations

import pandas as pd
from IPython.display import display

from pmf_utils.data.periods import PERIODS_PER_YEAR, format_period
from pmf_utils.data.schema import BENCHMARK_SERIES
from pmf_utils.judge import vocabulary as v
from pmf_utils.judge.assessment import JUDGEMENT_KINDS
from pmf_utils.judge.targets import targets_by_period
from pmf_utils.pages import chart_marks, charts
from pmf_utils.pages import markdown as md


def show(markdown: str, **pmf: str) -> None:
    """Display markdown as a notebook output, with ``pmf`` metadata when the run needs it."""
    display(
        {"text/markdown": markdown, "text/plain": markdown},
        raw=True,
        metadata={"pmf": pmf} if pmf else None,
    )


class KpiPage:
    """The KPI sections of ``Report`` (which holds the data, the judgements and ``figures``)."""

    def kpis(self, priority_id: str) -> list[str]:
        """The priority's KPIs in dictionary order: a KPI page template loops over them."""
        return list(self.kpis_of(priority_id).index)

    def kpi_header(self, kpi_id: str) -> None:
        """The KPI page's title; it also marks where the page starts (the run splits the
        priority's notebook into one page per KPI there)."""
        self.header(self.assessment.loc[kpi_id]["name"], kpi=kpi_id)

    def judgements(self, kpi_id: str) -> None:
        """Every judgement of the KPI, each in words and symbols (icons for SPC)."""
        show(self._verdicts(self.assessment.loc[kpi_id]))

    def kpi_commentary(self, kpi_id: str) -> None:
        """The analysts' commentary on the KPI (or a visible note that it is awaited)."""
        show("## Commentary")
        display(self.commentary("kpi", kpi_id))

    def trend(self, kpi_id: str) -> None:
        """The full history chart, the target as it was in each period."""
        show(f"## Trend\n\n{self._trend(kpi_id)}")

    def spc(self, kpi_id: str) -> None:
        """The XmR chart and its Making Data Count verdicts."""
        show(self._spc(kpi_id))

    def benchmarks(self, kpi_id: str) -> None:
        """The latest figure beside England, the region and the neighbours (website only: the
        booklet's page for a KPI keeps to its judgements, charts and commentary)."""
        show(md.html_only(md.Markdown(self._benchmarks(kpi_id))))

    def history(self, kpi_id: str) -> None:
        """Every figure, newest first, with its flags and notes (website only)."""
        show(md.html_only(md.Markdown(f"## History\n\n{self._history(kpi_id)}")))

    def definition(self, kpi_id: str) -> None:
        """The KPI's data dictionary entry and its targets (website only: a booklet has the
        definitions as its appendix)."""
        show(md.html_only(md.Markdown(f"## Definition\n\n{self._definition(kpi_id)}")))

    def _verdicts(self, row: pd.Series) -> str:
        """The judgements of one KPI as a two-column table a screen reader can follow."""
        names = self.data.plan
        facts = [
            ("Latest figure", f"{row['value_text']} ({row['period'] or 'no period'})"),
            ("Target", row["target_text"] or "No target: monitor only"),
            ("Status", self.cell(row, "status")),
            ("Compared with the previous period", self._previous(row)),
            ("Compared with a year earlier", self.cell(row, "direction_year")),
            ("Compared with England", self.cell(row, "benchmark_england")),
            (f"Compared with {names.region_name}", self.cell(row, "benchmark_region")),
            (f"Compared with {names.neighbours_name}", self.cell(row, "benchmark_neighbours")),
            ("Statistical process control", self.cell(row, "spc_variation")),
            ("Assurance against target", self.cell(row, "spc_assurance")),
        ]
        if pd.notna(row["quartile"]):
            best = "1 = best" if row["polarity"] != "none" else "1 = highest"
            facts.append(("Quartile among comparators", f"{row['quartile']} ({best})"))
        if row["stale"]:
            facts.append(("Data", f"Stale: a figure for {row['expected_period']} was expected"))
        if row["flag"]:
            facts.append(("Data quality", row["flag"].replace(";", ", ")))
        if row["note"]:
            facts.append(("Note", row["note"]))
        table = pd.DataFrame(facts, columns=["Measure", "Judgement"])
        return md.table(table, f"{row['name']}: judgements for {self.label}")

    def _previous(self, row: pd.Series) -> md.Markdown:
        """The direction against the previous period, or why a KPI is not compared so."""
        kpi = self.data.kpi(row["kpi_id"])
        if not (kpi["seasonal"] or kpi["year_to_date"]):
            return self.cell(row, "direction_previous")
        why = "seasonal" if kpi["seasonal"] else "year to date"
        return md.text(f"Not compared: the figures are {why}; see a year earlier")

    def _chart_frame(self, kpi_id: str) -> pd.DataFrame:
        """The history a trend chart draws: every period from the first figure held to the
        latest (one without a figure is a gap, not squeezed out), the last ``chart_years`` of
        it where the KPI's entry says so, and only the benchmarks the entry names."""
        kpi = self.data.kpi(kpi_id)
        history = self._history_frame(kpi_id)
        if history.empty:
            return history
        periods = pd.period_range(history["period"].iloc[0], history["period"].iloc[-1])
        history = history.set_index("period").reindex(list(periods)).reset_index(names="period")
        history["period_label"] = [format_period(p) for p in history["period"]]
        if kpi["chart_years"]:
            history = history.tail(PERIODS_PER_YEAR[kpi["frequency"]] * kpi["chart_years"])
        hidden = [b for b in BENCHMARK_SERIES if b not in kpi["chart_benchmarks"]]
        return history.drop(columns=hidden).reset_index(drop=True)

    def _events(self, kpi_id: str, periods: pd.Series) -> list[chart_marks.Event]:
        """The KPI's annotations up to the quarter that fall on a chart of ``periods``."""
        notes = self.data.annotations
        mine = notes[(notes["kpi_id"] == kpi_id) & (notes["period_end"] <= self.quarter.end_time)]
        return chart_marks.events_on(mine, periods.tolist())

    def _history_frame(self, kpi_id: str) -> pd.DataFrame:
        series = self.data.series(kpi_id)
        series = series[series["period_end"] <= self.quarter.end_time]
        return series.assign(period_label=[format_period(p) for p in series["period"]])

    def _chart(self, chart: charts.Chart, caption: str, row: pd.Series) -> str:
        """The figure, its caption and alt text, and the numbers behind it with their units
        (website only; the CSV keeps the bare numbers for spreadsheets)."""
        picture, csv = chart.save(self.figures)
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
                md.figure(picture.as_posix(), caption, chart.alt),
                # The numbers follow their chart directly; the events' words come next.
                md.details(
                    "Show the numbers behind this chart",
                    md.Markdown(f"{table}\n\n[Download these numbers (CSV)]({csv.as_posix()})"),
                ),
                chart_marks.event_list(chart.events),
            ]
        )

    def _trend(self, kpi_id: str) -> str:
        row, kpi = self.assessment.loc[kpi_id], self.data.kpi(kpi_id)
        history = self._chart_frame(kpi_id)
        if history["value"].notna().sum() == 0:
            return "No figures yet."
        plan = self.data.plan
        names = {
            "value": plan.council,
            "england": "England",
            "region": plan.region_name,
            "neighbours": plan.neighbours_name,
        }
        chart = charts.trend_chart(
            f"{kpi_id}-history",
            history.reset_index(drop=True),
            row["unit"],
            int(row["decimals"]),
            self._targets(kpi_id, history["period"]),
            v.label("status", row["status"]),
            names,
            row["name"],
            self._events(kpi_id, history["period"]),
            kpi["chart_from_zero"],
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
            f"{kpi_id}-spc",
            points,
            row["unit"],
            int(row["decimals"]),
            targets,
            summary,
            self._events(kpi_id, points["period"]),
            self.data.kpi(kpi_id)["chart_from_zero"],
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
        names = {"england": "England", "region": plan.region_name}
        names["neighbours"] = plan.neighbours_name
        drawn = self.data.kpi(kpi_id)["chart_benchmarks"]
        if not drawn:
            return "### Benchmarks\n\nThis KPI's charts draw no comparison with other areas."
        areas = [(plan.council, row["value"]), *((names[b], row[b]) for b in drawn)]
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
        if history.empty:
            return "No figures yet."
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
