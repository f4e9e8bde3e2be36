"""What the notebook templates call: each method shows one part of a report page.

A template reads like the report it makes: parameters, ``Report(quarter, data_dir)``, then a
few calls such as ``report.header(...)``, ``report.dashboard(priority)``. Every call
``display``s pandoc markdown (``markdown`` escapes data text) so both publishing engines
render the same text; charts are written to ``figures/`` beside the executed notebook
together with the numbers behind them as CSV.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from functools import lru_cache
from pathlib import Path

import pandas as pd

from pmf_utils.data import narrative
from pmf_utils.data.dataset import Dataset, load
from pmf_utils.data.periods import parse_quarter, quarter_label
from pmf_utils.data.words import in_sentence
from pmf_utils.judge import vocabulary as v
from pmf_utils.judge.assessment import JUDGEMENT_KINDS, Judged, exceptions, judge
from pmf_utils.pages import icons
from pmf_utils.pages import markdown as md
from pmf_utils.pages.dashboard import DashboardPage
from pmf_utils.pages.kpi_page import KpiPage, show, words
from pmf_utils.pages.overview import STATUSES, OverviewSections
from pmf_utils.publish import signoff


@lru_cache(maxsize=8)
def _judged(data: Dataset, quarter: pd.Period) -> Judged:
    # Cached so the notebooks of one run, sharing a warm kernel, judge the quarter once.
    judged = judge(data, quarter)
    return Judged(judged.table.set_index("kpi_id", drop=False), judged.charts)


class Report(OverviewSections, KpiPage, DashboardPage):
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
        template opened in Jupyter runs as it is. A name an ambition and a priority share is
        followed by the plan's word for the level, so their pages' titles differ."""
        tables = {"ambition": self.data.ambitions, "priority": self.data.priorities}
        names = tables[kind].set_index(f"{kind}_id")[kind]
        id = id or names.index[0]
        if id not in names.index:
            raise ValueError(f"'{id}' is not a {kind} id; choose one of: {', '.join(names.index)}")
        other = "priority" if kind == "ambition" else "ambition"
        if names[id] in set(tables[other][other]):
            return id, f"{names[id]} ({getattr(self.data.plan.words, kind)})"
        return id, names[id]

    def commentary(self, kind: str, id: str | None = None) -> narrative.Commentary:
        """The analysts' commentary (or a visible 'awaited' note), placed as a markdown cell."""
        return narrative.commentary(self.data, self.quarter, kind, id)

    def table(self, frame: pd.DataFrame, caption: str, right: Sequence[str] = ()) -> None:
        """An analyst's own table, set as the report's tables are: text escaped, a caption,
        numbers (columns named in ``right``) aligned right, on the page and in the booklet
        alike. A DataFrame left to display itself is HTML, which a booklet shows as plain
        text."""
        show(md.table(frame, caption, right=right))

    def cell(self, row: pd.Series, column: str) -> md.Markdown:
        """A judgement as a table cell: symbol (a Making Data Count icon for SPC verdicts) and
        words, never colour alone."""
        kind = JUDGEMENT_KINDS[column]
        if kind in icons.KINDS:
            symbol = icons.image(
                kind, row[column], row["polarity"], self.figures, words_beside=True
            )
        else:
            symbol = md.text(v.symbol(kind, row[column], row["polarity"]))
        return md.Markdown(f"{symbol} {md.text(words(row, column))}")

    def kpis_of(self, priority_id: str) -> pd.DataFrame:
        return self.assessment[self.assessment["priority_id"] == priority_id]

    # ---- overview, ambition and exceptions pages --------------------------------------

    def status_counts(self, by: str = "ambition", ambition_id: str | None = None) -> None:
        """How many KPIs are on target, within tolerance, off target and so on, under a heading
        in the plan's words for its levels."""
        frame = self.assessment
        if ambition_id:
            frame = frame[frame["ambition_id"] == ambition_id]
        key = "ambition" if by == "ambition" else "priority"
        title = getattr(self.data.plan.words, key)  # the plan's word for the level
        groups = frame.groupby(f"{key}_id", sort=False)
        rows = []
        for group_id, group in groups:
            name = group[key].iloc[0]
            counts = {v.text("status", s): int((group["status"] == s).sum()) for s in STATUSES}
            rows.append(
                {
                    title: md.link(name, f"{key}-{group_id}"),
                    "KPIs": len(group),
                    **counts,
                    "Escalated": int((group["exceptions"] != "").sum()),
                }
            )
        table = pd.DataFrame(rows)
        sums = table.drop(columns=title).sum().to_dict()
        total = {title: md.Markdown("**All**"), **sums}
        table = pd.concat([table, pd.DataFrame([total])], ignore_index=True)
        numbers = [c for c in table.columns if c != title]
        caption = f"KPI status by {in_sentence(title)}, {self.label}"
        heading = md.heading(2, f"Status by {in_sentence(title)}")
        show(f"{heading}\n\n{md.table(table, caption, right=numbers)}")

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
                self.data.plan.words.priority: row["priority"],
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
        show("\n".join(parts), detail="completeness")  # officers' detail, not for Cabinet
