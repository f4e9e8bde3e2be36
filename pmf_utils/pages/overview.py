"""The whole-plan sections a Cabinet member reads first: headline figures as a row of tiles,
the summary icon table of every KPI (grouped by ambition, filterable on the website), the
ambition's priorities as tiles, and each escalated KPI with its reasons and commentary.

``Report`` inherits these; they read its judged table (``assessment``), quarter ``label`` and
``figures`` folder. Markdown only, data text escaped by ``markdown``: the tiles are a bullet
list in a ``.pmf-tiles`` div (a list to a screen reader, a row of tiles in the site's
stylesheet and, through the booklet's Lua filter, in the PDF); the icon table sits in a
``.pmf-filter`` div whose ``data-columns`` name the columns the site's own script
(``static/table-filter.js``) offers as filters. Without the script the full table stands.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import pandas as pd
from IPython.display import display

from pmf_utils.judge import vocabulary as v
from pmf_utils.judge.assessment import exceptions
from pmf_utils.pages import icons
from pmf_utils.pages import markdown as md
from pmf_utils.pages.kpi_page import show

STATUSES = (v.ON_TARGET, v.WITHIN_TOLERANCE, v.OFF_TARGET, v.MONITOR_ONLY, v.NO_DATA)
FILTERED = ("Status", "Variation", "Assurance")
BREAK = "\\\n  "
"""A line break within a tile (a list item): the figure above its words."""
"""The icon table's columns a reader can filter by on the website (with the ambition)."""


def _count(number: int, words: str) -> md.Markdown:
    """One tile: the figure large, then what it counts."""
    return md.Markdown(f"- [{number}]{{.pmf-figure}}{BREAK}{md.text(words)}")


def tiles(items: list[md.Markdown], wide: bool = False) -> md.Markdown:
    """Items as a row of tiles (``wide``: fewer, wider tiles, for names)."""
    classes = ".pmf-tiles .pmf-wide" if wide else ".pmf-tiles"
    return md.Markdown(f"::: {{{classes}}}\n" + "\n".join(items) + "\n:::")


def status_tiles(frame: pd.DataFrame) -> list[md.Markdown]:
    """A tile per status (symbol and words, never colour alone) and one for the escalated."""
    counts = [_count(int((frame["status"] == s).sum()), v.text("status", s)) for s in STATUSES]
    return [*counts, _count(int((frame["exceptions"] != "").sum()), "⚑ Escalated")]


class OverviewSections:
    """The overview's, exceptions' and ambition pages' sections of ``Report``."""

    assessment: pd.DataFrame
    figures: Path
    if TYPE_CHECKING:  # what Report gives these sections
        label: str

        def commentary(self, kind: str, id: str | None = None) -> object: ...
        def cell(self, row: pd.Series, column: str) -> md.Markdown: ...

    def headline(self) -> None:
        """How the plan is doing in six figures: KPIs on target, within tolerance, off
        target, monitor only, without data, and how many are escalated."""
        intro = md.text(f"How the plan's {len(self.assessment)} KPIs stand in {self.label}:")
        show(f"{intro}\n\n{tiles(status_tiles(self.assessment))}")

    def icon_table(self) -> None:
        """Every KPI on one line with its Making Data Count icons, as a board report leads:
        latest figure, target, status, variation, assurance and direction, linking to its page;
        a table per ambition. The icons' words are their alt text (nothing beside them says
        them); the key below names every icon."""
        parts = []
        for _, group in self.assessment.groupby("ambition_id", sort=False):
            ambition = group["ambition"].iloc[0]
            caption = f"{ambition}: every KPI at a glance, {self.label}"
            table = md.table(pd.DataFrame(self._icon_rows(group)), caption, ["Latest", "Target"])
            parts.append(f"::: {{.pmf-group}}\n{md.heading(3, ambition)}\n\n{table}\n:::")
        columns = " ".join(FILTERED)
        body = "\n\n".join(parts)
        legend = pd.DataFrame(icons.key(self.figures), columns=["Icon", "Meaning"])
        legend = md.table(legend, "Key to the Making Data Count icons")
        group = md.attribute(self.data.plan.words.ambition)  # the filter's first choice's label
        div = f'.pmf-filter .pmf-cards data-columns="{columns}" data-group="{group}"'
        show(f"::: {{{div}}}\n{body}\n:::\n\n{legend}")

    def _icon_rows(self, group: pd.DataFrame) -> list[dict[str, object]]:
        return [
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
            for _, row in group.iterrows()
        ]

    def priority_tiles(self, ambition_id: str) -> None:
        """The ambition's priorities as tiles: each priority's name, linking to its page, its
        number of KPIs (large), how many are in each status it has, and how many escalated, under
        a heading of the plan's word for them."""
        frame = self.assessment[self.assessment["ambition_id"] == ambition_id]
        items = []
        for priority_id, group in frame.groupby("priority_id", sort=False):
            name = md.link(group["priority"].iloc[0], f"priority-{priority_id}")
            lines = [f"**{name}**", f"[{len(group)} KPIs]{{.pmf-figure}}"]
            lines += [
                md.text(f"{int((group['status'] == s).sum())} {v.text('status', s)}")
                for s in STATUSES
                if (group["status"] == s).any()
            ]
            lines.append(md.text(f"{int((group['exceptions'] != '').sum())} ⚑ escalated"))
            items.append(md.Markdown("- " + BREAK.join(lines)))
        show(f"{md.heading(2, self.data.plan.words.priorities)}\n\n{tiles(items, wide=True)}")

    def exception_notes(self) -> None:
        """Each escalated KPI under its own heading: why it is escalated, its figure against
        target, and the analysts' commentary on it (what is being done)."""
        for _, row in exceptions(self.assessment).iterrows():
            reasons = "; ".join(v.label("exception", r) for r in row["exceptions"].split("; "))
            figure = f"Latest {row['value_text']} ({row['period']})" if row["period"] else ""
            figure = figure or "No figure yet"
            figure += f" against a target of {row['target_text']}" if row["target_text"] else ""
            name = md.link(row["name"], f"kpi-{row['kpi_id']}")
            show(
                "\n\n".join(
                    [
                        md.heading(3, name, f"exception-{row['kpi_id']}"),
                        md.Markdown(f"**Escalated for:** {md.text(reasons)}. {md.text(figure)}."),
                    ]
                )
            )
            display(self.commentary("kpi", row["kpi_id"]))
