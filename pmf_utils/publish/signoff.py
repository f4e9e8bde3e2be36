"""Sign-off: a quarter is published only when all its commentary is approved.

A performance report is a record, and its commentary is normally reviewed and approved before
publication. Each commentary file says its own state in its front matter (``frontmatter``);
here a quarter's files are gathered into what the publisher needs: whether it may publish,
the list to print when it may not, the notice its pages carry when someone published anyway
(``--allow-unapproved``), and the record of who approved what for the quarter's manifest.
A project that does not ask for approval (``require_approval = false`` in ``pmf.toml``, as
the illustrative example) publishes as it always did, and still records what was approved.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pandas as pd

from pmf_utils.data import narrative
from pmf_utils.data.dataset import Dataset
from pmf_utils.data.frontmatter import APPROVED, DRAFT, READY
from pmf_utils.data.periods import quarter_label
from pmf_utils.pages import markdown as md
from pmf_utils.publish.marks import UNMARKED, Marks

ORDER = (narrative.AWAITED, DRAFT, READY, APPROVED)
"""Sign-off states, least finished first."""


@dataclass(frozen=True)
class Gate:
    """Whether the publisher may publish a quarter (``refusal`` says why not), and what its
    pages and manifest then say."""

    refusal: str | None = None
    marks: Marks = UNMARKED


def least_finished_first(table: pd.DataFrame) -> pd.DataFrame:
    """A ``completeness`` table in sign-off order, report order within each state."""
    order = table["signoff"].map(ORDER.index).sort_values(kind="stable")
    return table.loc[order.index]


def unapproved(table: pd.DataFrame) -> pd.DataFrame:
    """The commentary not yet approved, least finished first."""
    ordered = least_finished_first(table)
    return ordered[ordered["signoff"] != APPROVED]


def record(table: pd.DataFrame, required: bool, overridden: bool) -> dict[str, Any]:
    """Who approved what, and what was published without approval, for the manifest."""
    approved = table[table["signoff"] == APPROVED]
    return {
        "signoff": {
            "required": required,
            "published_unapproved": overridden,
            "approved": [
                {
                    "file": row.file,
                    "approved_by": row.approved_by,
                    "approved_on": row.approved_on.isoformat(),
                }
                for row in approved.itertuples()
            ],
            "not_approved": [
                {"file": row.file, "state": row.signoff} for row in unapproved(table).itertuples()
            ],
        }
    }


def gate(data: Dataset, quarter: pd.Period, *, required: bool, allow: bool) -> Gate:
    """Refuse a quarter whose commentary is awaited or not approved when the project requires
    approval, unless ``allow``: then publish it with a notice on every page saying so."""
    table = narrative.completeness(data, quarter)
    waiting = unapproved(table)
    if not required or waiting.empty:
        return Gate(marks=Marks(record=record(table, required, False)))
    label = quarter_label(quarter)
    if not allow:
        lines = [f"  {row.signoff:<9} {row.file}" for row in waiting.itertuples()]
        refusal = "\n".join(
            [
                f"{label} cannot be published: {len(waiting)} of {len(table)} commentary "
                "file(s) are not approved:",
                *lines,
                "Approve each in its front matter (status: approved, approved_by, approved_on),"
                " check the quarter with `pmf preview`, or publish anyway with "
                "--allow-unapproved (every page then says so). Nothing was run.",
            ]
        )
        return Gate(refusal=refusal)
    notice = (
        f"Not signed off: {len(waiting)} of {len(table)} commentaries in this report were "
        "published without approval."
    )
    return Gate(marks=Marks((notice,), record(table, required, True)))


def _ordered(data: Dataset, quarter: pd.Period) -> tuple[pd.DataFrame, str]:
    """The quarter's commentary, least finished first, and a count of each state."""
    table = narrative.completeness(data, quarter)
    counts = table["signoff"].value_counts()
    summary = ", ".join(f"{counts[s]} {s}" for s in ORDER if s in counts)
    return least_finished_first(table), summary


def _state(row: Any) -> str:
    """A sign-off state in words: who approved it and when, or the quarter it was written for."""
    if row.signoff == APPROVED:
        return f"approved by {row.approved_by} on {row.approved_on.isoformat()}"
    if row.written_for:
        return f"{row.signoff} (written for {row.written_for})"
    return row.signoff


def status_lines(data: Dataset, quarter: pd.Period) -> list[str]:
    """Each commentary item's sign-off state, for ``pmf status``."""
    table, summary = _ordered(data, quarter)
    lines = [f"Commentary for {quarter_label(quarter)}: {summary}"]
    return lines + [f"  {row.file}: {_state(row)}" for row in table.itertuples()]


def overview(data: Dataset, quarter: pd.Period) -> str:
    """Each commentary item's sign-off state as the overview page's markdown table."""
    table, summary = _ordered(data, quarter)
    kinds = {"overview": "Overview", "priority": data.plan.words.priority, "kpi": "KPI"}
    rows = [
        {
            "Commentary for": f"{kinds[row.kind]}: {row.name}",
            "State": _state(row),
            "File": md.Markdown(f"`{row.file}`"),
        }
        for row in table.itertuples()
    ]
    caption = f"Commentary for {quarter_label(quarter)}: {summary}"
    return md.table(pd.DataFrame(rows), caption)
