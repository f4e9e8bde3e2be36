"""Merging imported rows: untouched rows keep their bytes, re-merging is a no-op, writes are
all or nothing."""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pmf_utils.data.dataset import load
from pmf_utils.data.periods import format_period
from pmf_utils.imports import merge
from pmf_utils.imports.merge import Update, plan

from .conftest import SHIPPED_DATA, snapshot

SHIPPED = load(SHIPPED_DATA)
FREQUENCIES = SHIPPED.kpis["frequency"].to_dict()
KEYS = list(zip(SHIPPED.observations["kpi_id"], SHIPPED.observations["period"], strict=True))
LAST_PERIOD = SHIPPED.observations.groupby("kpi_id")["period"].max().to_dict()

values = st.floats(min_value=0, max_value=100, allow_nan=False).map(lambda x: round(x, 2))
updates = st.lists(
    st.one_of(
        st.tuples(st.sampled_from(KEYS), values),  # an existing row, perhaps revised
        st.tuples(  # a new period after the KPI's last
            st.sampled_from(sorted(LAST_PERIOD)).map(lambda k: (k, LAST_PERIOD[k] + 1)),
            values,
        ),
    ),
    max_size=8,
    unique_by=lambda u: u[0],
)


def _updates(chosen) -> list[Update]:
    return [
        Update("observations.csv", kpi, period, {"value": merge.number_text(value)})
        for (kpi, period), value in chosen
    ]


@settings(max_examples=25, deadline=None)
@given(updates)
def test_merge_touches_only_its_rows_and_is_idempotent(chosen) -> None:
    with tempfile.TemporaryDirectory() as scratch:
        folder = Path(scratch)
        shutil.copyfile(SHIPPED_DATA / "observations.csv", folder / "observations.csv")
        before = (folder / "observations.csv").read_text(encoding="utf-8").splitlines()
        first = plan(folder, _updates(chosen), FREQUENCIES)
        text = first.texts.get("observations.csv")
        if text is None:
            assert all(c.kind == merge.UNCHANGED for c in first.changes)
            return
        touched = {f"{kpi},{format_period(period)}," for (kpi, period), _ in chosen}
        after = text.splitlines()
        kept = [line for line in before if not line.startswith(tuple(touched))]
        assert [line for line in after if not line.startswith(tuple(touched))] == kept
        assert len(after) == len(before) + first.count(merge.ADDED)
        (folder / "observations.csv").write_text(text, encoding="utf-8")
        again = plan(folder, _updates(chosen), FREQUENCIES)
        assert again.texts == {}
        assert {c.kind for c in again.changes} <= {merge.UNCHANGED}


def test_line_endings_and_a_missing_final_newline_are_kept(tmp_path: Path) -> None:
    lines = (SHIPPED_DATA / "observations.csv").read_text(encoding="utf-8").splitlines()
    (tmp_path / "observations.csv").write_bytes("\r\n".join(lines).encode("utf-8"))
    kpi = lines[-1].split(",")[0]
    period = LAST_PERIOD[kpi] + 1
    result = plan(tmp_path, _updates([((kpi, period), 1.5)]), FREQUENCIES)
    text = result.texts["observations.csv"]
    assert (
        text == "\r\n".join(lines) + f"\r\n{kpi},{format_period(period)},1.5" + ",," * 4 + ",\r\n"
    )


def test_a_failed_write_puts_back_what_it_replaced(data_copy: Path, monkeypatch) -> None:
    real_replace, calls = os.replace, []

    def replace(source, target) -> None:
        calls.append(Path(target).name)
        if len(calls) == 2:
            raise OSError("disk full")
        real_replace(source, target)

    (kpi, period), other = KEYS[0], KEYS[-1]
    changes = plan(
        data_copy,
        [
            Update("observations.csv", kpi, period, {"value": "1"}),
            Update("comparators.csv", other[0], other[1], {"value": "2"}, area="Elsewhere"),
        ],
        FREQUENCIES,
    )
    before = snapshot(data_copy)
    monkeypatch.setattr(merge.os, "replace", replace)
    with pytest.raises(OSError, match="disk full"):
        merge.write(data_copy, changes)
    assert calls[:2] == ["observations.csv", "comparators.csv"]
    assert snapshot(data_copy) == before  # observations.csv put back; no temporary files left
