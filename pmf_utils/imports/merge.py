"""Merge imported rows into the data files without losing or reshaping an analyst's rows.

The data files are reviewed in git, so a merge must change only what the import changes: rows
it does not touch keep their exact bytes (quoting, number spelling, line endings), a changed
row keeps the text of its unchanged cells, and a new row goes beside its KPI's other rows in
period order. Nothing is ever deleted. Before anything is written the whole folder, as it would
be after the merge, is validated; the files are then replaced atomically, so a failed import
changes nothing.
"""

from __future__ import annotations

import csv
import io
import os
import shutil
import tempfile
from dataclasses import dataclass, field, replace
from pathlib import Path

import pandas as pd

from pmf_utils.data.periods import format_period, parse_period
from pmf_utils.data.problems import DataError
from pmf_utils.data.schema import FLAGS, SPECS
from pmf_utils.data.tables import parse_number
from pmf_utils.data.validation import read_all

ADDED, CHANGED, UNCHANGED = "added", "changed", "unchanged"
REVISED, SUPPRESSED = "revised", "suppressed"


class ImportFailed(Exception):
    """The input could not be imported; ``problems`` lists every located message."""

    def __init__(self, problems: list[str]):
        self.problems = problems
        super().__init__("\n".join(problems))


@dataclass(frozen=True)
class Update:
    """One row an import brings: its key and the cells it sets; other cells are kept.

    ``flags`` (when given) replaces the row's flags; ``add_flags`` adds to them. ``append_note``
    is added to the row's note unless the note already says it, so re-importing is idempotent.
    """

    file: str
    kpi_id: str
    period: pd.Period
    cells: dict[str, str]
    area: str = ""
    flags: frozenset[str] | None = None
    add_flags: frozenset[str] = frozenset()
    append_note: str = ""

    @property
    def label(self) -> str:
        parts = (self.kpi_id, format_period(self.period), self.area)
        return " ".join(p for p in parts if p)


@dataclass(frozen=True)
class Change:
    """What the merge does to one row: its cells before and after."""

    file: str
    label: str
    kind: str
    before: dict[str, str]
    after: dict[str, str]

    @property
    def columns(self) -> list[str]:
        return [c for c in self.after if self.before.get(c, "") != self.after[c]]


@dataclass
class Merge:
    """Every row an import touches, and the new text of each file it changes."""

    changes: list[Change] = field(default_factory=list)
    texts: dict[str, str] = field(default_factory=dict)

    def count(self, kind: str, file: str | None = None) -> int:
        return sum(c.kind == kind and file in (None, c.file) for c in self.changes)


def number_text(value: float) -> str:
    """A number as the data files write it: whole numbers without '.0', others in full."""
    return str(int(value)) if float(value).is_integer() else repr(float(value))


def _same(column: str, old: str, new: str) -> bool:
    if old == new:
        return True
    if column in _NUMBER_COLUMNS and old and new:
        try:
            return parse_number(old) == parse_number(new)
        except ValueError:
            return False
    return False


_NUMBER_COLUMNS = {c.name for spec in SPECS.values() for c in spec.columns if c.kind == "number"}


def _flags(text: str) -> set[str]:
    return {f.strip() for f in text.split(";") if f.strip()}


def _flag_text(flags: set[str]) -> str:
    return ";".join(f for f in FLAGS if f in flags)


@dataclass
class _Entry:
    cells: dict[str, str] | None  # None: a blank line, kept as it is
    raw: str
    key: tuple | None = None


class _CsvFile:
    """A data file as its header, its rows' cells and each row's original text."""

    def __init__(self, name: str, text: str, frequencies: dict[str, str]):
        self.name = name
        lines = list(io.StringIO(text, newline=""))  # keeps each line's own ending
        self.newline = "\r\n" if lines and lines[0].endswith("\r\n") else "\n"
        reader = csv.reader(lines)
        self.header = [h.strip().lstrip("\ufeff") for h in next(reader)]
        self.header_raw = "".join(lines[: reader.line_num])
        self.entries: list[_Entry] = []
        start = reader.line_num
        for record in reader:
            raw = "".join(lines[start : reader.line_num])
            start = reader.line_num
            if not any(c.strip() for c in record):
                self.entries.append(_Entry(None, raw))
                continue
            cells = {h: c.strip() for h, c in zip(self.header, record, strict=False)}
            period = parse_period(cells["period"], frequencies[cells["kpi_id"]])
            key = (cells["kpi_id"], period, cells.get("area", ""))
            self.entries.append(_Entry(cells, raw, key))

    def row_text(self, cells: dict[str, str]) -> str:
        out = io.StringIO()
        csv.writer(out, lineterminator=self.newline).writerow(
            [cells.get(h, "") for h in self.header]
        )
        return out.getvalue()

    def find(self, key: tuple) -> _Entry | None:
        return next((e for e in self.entries if e.key == key), None)

    def insert(self, entry: _Entry) -> None:
        """Beside the KPI's rows, after the last one whose period is not later."""
        kpi, period = entry.key[0], entry.key[1]
        same = [i for i, e in enumerate(self.entries) if e.key and e.key[0] == kpi]
        earlier = [i for i in same if self.entries[i].key[1] <= period]
        at = earlier[-1] + 1 if earlier else same[0] if same else len(self.entries)
        if at == len(self.entries) and self.entries and not self.entries[-1].raw.endswith("\n"):
            self.entries[-1].raw += self.newline
        self.entries.insert(at, entry)

    def text(self) -> str:
        return self.header_raw + "".join(e.raw for e in self.entries)


def _merged_cells(update: Update, before: dict[str, str]) -> dict[str, str]:
    after = dict(before)
    for column, new in update.cells.items():
        if not _same(column, before.get(column, ""), new):
            after[column] = new
    old_flags = _flags(before.get("flag", ""))
    flags = set(old_flags if update.flags is None else update.flags) | update.add_flags
    value_before, value_after = before.get("value", ""), after.get("value", "")
    if value_after:
        flags.discard(SUPPRESSED)
    if value_before and value_after and not _same("value", value_before, value_after):
        flags.add(REVISED)
    if flags != old_flags:
        after["flag"] = _flag_text(flags)
    note = before.get("note", "")
    if update.append_note and update.append_note not in note:
        after["note"] = "; ".join(filter(None, (note, update.append_note)))
    return after


def plan(data_dir: Path, updates: list[Update], frequencies: dict[str, str]) -> Merge:
    """What merging ``updates`` into the data folder would do; nothing is written.

    Raises ``ImportFailed`` if two updates name the same row, or a file lacks a column the
    import needs to fill.
    """
    merge = Merge()
    problems: list[str] = []
    seen: set[tuple] = set()
    files: dict[str, _CsvFile] = {}
    for update in updates:
        if (update.file, update.label) in seen:
            problems.append(f"{update.file}: {update.label}: given twice in the import")
            continue
        seen.add((update.file, update.label))
        if update.file not in files:
            path = data_dir / update.file
            header = ",".join(c.name for c in SPECS[update.file].columns) + "\n"
            text = path.read_bytes().decode("utf-8") if path.exists() else header
            files[update.file] = _CsvFile(update.file, text, frequencies)
        table = files[update.file]
        key = (update.kpi_id, update.period, update.area)
        entry = table.find(key)
        before = entry.cells if entry else {}
        fixed = {"kpi_id": update.kpi_id, "period": format_period(update.period)}
        if update.area:
            fixed["area"] = update.area
        after = _merged_cells(update, before or fixed)
        missing = sorted(c for c, v in after.items() if v and c not in table.header)
        if missing:
            problems.append(
                f"{table.name}: no column {', '.join(missing)} to hold {update.label}; add it"
            )
            continue
        kind = UNCHANGED if after == before else CHANGED if entry else ADDED
        merge.changes.append(Change(update.file, update.label, kind, before, after))
        if kind == CHANGED:
            entry.cells = after
            entry.raw = table.row_text(after)
        elif kind == ADDED:
            table.insert(_Entry(after, table.row_text(after), key))
    if problems:
        raise ImportFailed(problems)
    for name, table in files.items():
        if any(c.file == name and c.kind != UNCHANGED for c in merge.changes):
            merge.texts[name] = table.text()
    return merge


def check(data_dir: Path, texts: dict[str, str]) -> None:
    """Validate the folder as it would be with ``texts`` written, raising ``DataError``.

    The candidate folder is a temporary copy, and problems are reported against the real
    files' names so the analyst can find them.
    """
    with tempfile.TemporaryDirectory(prefix="pmf-import-") as scratch:
        folder = Path(scratch)
        for name in SPECS:
            if name in texts:
                (folder / name).write_text(texts[name], encoding="utf-8", newline="")
            elif (data_dir / name).exists():
                shutil.copyfile(data_dir / name, folder / name)
        problems = read_all(folder)[1]
    if problems:
        real = str(data_dir)
        raise DataError([replace(p, file=p.file.replace(scratch, real, 1)) for p in problems])


def _stage(target: Path, data: bytes) -> Path:
    """Write ``data`` to a temporary file beside ``target``, with the target's permissions."""
    handle, temp = tempfile.mkstemp(prefix=f".{target.name}.", dir=target.parent)
    with os.fdopen(handle, "wb") as out:
        out.write(data)
    if target.exists():
        shutil.copymode(target, temp)
    else:
        os.chmod(temp, 0o644)
    return Path(temp)


def write(data_dir: Path, merge: Merge) -> list[Path]:
    """Validate, then replace the changed files: all of them or, on an error, none.

    Each file is replaced by renaming a complete copy over it, so no reader ever sees half a
    file; if a later file cannot be replaced, the ones already replaced are put back.
    """
    check(data_dir, merge.texts)
    targets = [data_dir / name for name in merge.texts]
    originals = {t: t.read_bytes() if t.exists() else None for t in targets}
    staged: dict[Path, Path] = {}
    done: list[Path] = []
    try:
        for target in targets:
            staged[target] = _stage(target, merge.texts[target.name].encode("utf-8"))
        for target in targets:
            os.replace(staged[target], target)
            del staged[target]
            done.append(target)
    except OSError:
        for target in done:
            if originals[target] is None:
                target.unlink()
            else:
                os.replace(_stage(target, originals[target]), target)
        raise
    finally:
        for temp in staged.values():
            temp.unlink(missing_ok=True)
    return targets
