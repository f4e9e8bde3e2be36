"""A priority's dashboard: one card per KPI, what a Cabinet member reads first.

Each card answers "how is this KPI doing?" in a glance: its name (linking to its page), the
latest figure and its period, the target, the status in words and symbol, the direction since
the previous period and a year earlier, the Making Data Count icons with their words, a
sparkline of the recent figures against the target, how it compares with England (or the
nearest comparison there is) and the first sentence or two of the analysts' commentary.

A card is pandoc markdown, data text escaped by ``markdown``: fenced divs that the website's
stylesheet lays out as a responsive grid (``.pmf-dashboard``, ``.pmf-card`` in
``pmf-html.css``) and the booklet filter turns into a Typst grid of cards that never split
across pages (``pmf-dashboard`` and ``pmf-card`` in ``typst-template.typ``).
"""

from __future__ import annotations

import pandas as pd

from pmf_utils.data import narrative
from pmf_utils.data.periods import PERIODS_PER_YEAR
from pmf_utils.judge import vocabulary as v
from pmf_utils.pages import markdown as md
from pmf_utils.pages import sanitise
from pmf_utils.pages.kpi_page import show
from pmf_utils.pages.sparkline import Sparkline

SPARK_YEARS = 2
"""How many years of figures a card's sparkline shows (at least five figures)."""

_COMPARATORS = ("england", "region", "neighbours")


class DashboardPage:
    """The dashboard sections of ``Report`` (which holds the data, judgements and figures)."""

    def dashboard(self, priority_id: str) -> None:
        """Every KPI of the priority as a card, in a grid (two across in the booklet)."""
        kpis = list(self.kpis_of(priority_id).index)
        if not kpis:
            show(md.text("This priority has no KPIs yet."))
            return
        notes = self._openings(kpis)
        cards = "\n\n".join(self.card(k, notes[k]) for k in kpis)
        intro = md.text(
            f"Each KPI's latest figure for {self.label}; its line shows the last {SPARK_YEARS} "
            "years, the dashed line the target. Select a name for the KPI's page."
        )
        show(f"{intro}\n\n:::: {{.pmf-dashboard}}\n{cards}\n::::")

    def card(self, kpi_id: str, opening: str) -> md.Markdown:
        """One KPI's card (``opening``: the first words of its commentary, plain text)."""
        row = self.assessment.loc[kpi_id]
        status = row["status"]
        period = f" [{md.text(row['period'])}]{{.pmf-card-period}}" if row["period"] else ""
        target = f" · Target: {md.text(row['target_text'])}" if row["target_text"] else ""
        facts = [
            _fact("A year earlier", row, "year_earlier_value", self.cell(row, "direction_year")),
            self._benchmark(row),
            md.Markdown(f"Variation: {self.cell(row, 'spc_variation')}"),
            md.Markdown(f"Assurance: {self.cell(row, 'spc_assurance')}"),
        ]
        if PERIODS_PER_YEAR[row["frequency"]] > 1:  # else the previous period is a year earlier
            previous = self.cell(row, "direction_previous")
            facts.insert(0, _fact("Previous period", row, "previous_value", previous))
        value = f"[{md.text(row['value_text'])}]{{.pmf-card-value}}{period}"
        parts = [
            md.heading(3, md.link(row["name"], f"kpi-{kpi_id}")),
            md.Markdown(f"{value} {self._sparkline(kpi_id)}"),
            md.Markdown(f"{self.cell(row, 'status')}{target}"),
            md.Markdown("\n".join(f"- {fact}" for fact in facts)),
            md.Markdown(f"::: {{.pmf-card-note}}\n{md.text(opening)}\n:::"),
        ]
        colour = v.colour("status", status)
        classes = f".pmf-card .pmf-card-{status.replace(' ', '-')}"
        return md.Markdown(f'::: {{{classes} colour="{colour}"}}\n' + "\n\n".join(parts) + "\n:::")

    def _benchmark(self, row: pd.Series) -> md.Markdown:
        """How the latest figure compares with England, else the region, else the neighbours."""
        plan = self.data.plan
        names = {
            "england": "England",
            "region": plan.region_name,
            "neighbours": plan.neighbours_name,
        }
        for area in _COMPARATORS:
            if row[f"benchmark_{area}"] != v.NOT_AVAILABLE:
                return _fact(names[area], row, area, self.cell(row, f"benchmark_{area}"))
        return md.Markdown(f"Benchmark: {self.cell(row, 'benchmark_england')}")

    def _sparkline(self, kpi_id: str) -> md.Markdown:
        row = self.assessment.loc[kpi_id]
        history = self._history_frame(kpi_id)
        if history["value"].notna().sum() == 0:
            return md.text("No figures yet.")
        history = history.tail(max(PERIODS_PER_YEAR[row["frequency"]] * SPARK_YEARS, 5))
        fmt = {"unit": row["unit"], "decimals": int(row["decimals"]), "rate_per": row["rate_per"]}
        line = Sparkline(
            f"{kpi_id}-spark",
            list(history["period_label"]),
            list(history["value"]),
            self._targets(kpi_id, history["period"]),
            lambda x: v.format_value(x, **fmt),
            v.colour("status", row["status"]),
        )
        return line.save(self.figures)

    def _openings(self, kpi_ids: list[str]) -> dict[str, str]:
        """The first sentence or two of each KPI's commentary, or why there is none."""
        notes = {k: self.commentary("kpi", k) for k in kpi_ids}
        written = [k for k, note in notes.items() if note.state != narrative.AWAITED]
        published = sanitise.commentary([notes[k].text for k in written])
        firsts = dict(zip(written, sanitise.opening(published), strict=True))
        for k in written:
            if notes[k].state == narrative.DRAFT:
                firsts[k] = f"Draft: {firsts[k]}"
        return {k: firsts.get(k) or f"Commentary awaited for {self.label}." for k in kpi_ids}


def _fact(label: str, row: pd.Series, column: str, verdict: md.Markdown) -> md.Markdown:
    """``Label (figure): verdict``, the figure compared with when there is one."""
    figure = row[column]
    if pd.notna(figure):
        fmt = {"unit": row["unit"], "decimals": int(row["decimals"]), "rate_per": row["rate_per"]}
        label = f"{label} ({v.format_value(figure, **fmt)})"
    return md.Markdown(f"{md.text(label)}: {verdict}")
