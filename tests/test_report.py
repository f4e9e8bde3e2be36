"""Page sections say judgements in words a reader can weigh."""

from __future__ import annotations

import pandas as pd

from pmf_utils.judge import vocabulary as v
from pmf_utils.pages.report import words


def judged(**changes: object) -> pd.Series:
    row = {
        "polarity": "lower",
        "spc_variation": v.COMMON_CAUSE,
        "spc_assurance": v.PASSING,
        "spc_trial": False,
    }
    return pd.Series({**row, **changes})


def test_assurance_from_limits_a_special_cause_has_overtaken_is_qualified() -> None:
    """Seen on the shipped data: HFA04 off target, rising far above its limits, yet
    'consistently passing' from limits drawn over its earlier, lower level."""
    assert words(judged(), "spc_assurance") == "Consistently passing"
    concern = judged(spc_variation=v.CONCERN)
    assert words(concern, "spc_assurance") == (
        "Consistently passing (limits predate a special cause: read with caution)"
    )
    no_target = judged(spc_variation=v.CONCERN, spc_assurance=v.NOT_APPLICABLE)
    assert words(no_target, "spc_assurance") == "No target to assure"


def test_trial_limits_are_said() -> None:
    assert words(judged(spc_trial=True), "spc_variation") == "Common cause variation (trial limits)"


def test_table_columns_get_room_by_content() -> None:
    """Seen in a booklet: equal widths squeezed KPI names into a narrow column."""
    from pmf_utils.pages import markdown as md

    frame = pd.DataFrame(
        {
            "KPI": ["[Number of households in temporary accommodation](kpi-X.ipynb)"],
            "Latest": ["692"],
        }
    )
    rule = md.table(frame, "caption", right=["Latest"]).splitlines()[1]
    kpi, latest = rule.strip("|").split("|")
    assert kpi == ":" + "-" * 39 and latest == "-----:"
