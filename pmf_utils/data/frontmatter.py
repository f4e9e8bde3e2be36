"""The small YAML front matter a commentary file may start with, for sign-off.

Commentary is reviewed and approved before a quarter is published, and the approval belongs
with the words it approves, so it lives in the file itself::

    ---
    status: approved          # draft | ready | approved
    approved_by: A. Analyst
    approved_on: 2026-01-15
    written_for: 2025/26 Q1   # set by `pmf new-quarter --carry-forward`
    ---
    The commentary, in markdown.

The front matter is never published. Values are read as the text written (YAML's own typing
would turn a mistyped date into an exception or a number), and every problem is returned with
its line, so validation can list them all at once.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

import yaml

from pmf_utils.data.periods import PeriodError, parse_quarter, quarter_label

DRAFT, READY, APPROVED = "draft", "ready", "approved"
STATUSES = (DRAFT, READY, APPROVED)
FIELDS = ("status", "approved_by", "approved_on", "written_for")

_OPEN = re.compile(r"\A---[ \t]*\r?\n")
_CLOSE = re.compile(r"^(?:---|\.\.\.)[ \t]*(?:\r?\n|\Z)", re.MULTILINE)
_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


@dataclass(frozen=True)
class FrontMatter:
    """What a commentary file says about itself; fields that were wrong are left out."""

    status: str | None = None
    approved_by: str | None = None
    approved_on: date | None = None
    written_for: str | None = None

    @property
    def approved(self) -> bool:
        """Approved, and saying by whom and when (an approval nobody signed is not one)."""
        return self.status == APPROVED and bool(self.approved_by) and self.approved_on is not None

    def text(self) -> str:
        """The front matter as a file starts with it (empty when nothing is set)."""
        values = {f: getattr(self, f) for f in FIELDS if getattr(self, f) is not None}
        if not values:
            return ""
        lines = [f"{key}: {_scalar(str(value))}" for key, value in values.items()]
        return "\n".join(["---", *lines, "---", ""])


@dataclass(frozen=True)
class FieldProblem:
    """One problem in a front matter: the file's line, the field, what is wrong."""

    line: int
    field: str
    message: str


def _scalar(value: str) -> str:
    """A value written so YAML reads it back as the same text."""
    dumped = yaml.safe_dump(value, default_flow_style=True, allow_unicode=True, width=10**6)
    return dumped.removesuffix("\n...\n").strip()


def split(raw: str) -> tuple[str | None, str, int]:
    """(front matter text or None, the body, the file line the front matter's text starts on).

    A file that opens with ``---`` but never closes it has no front matter: its whole text is
    the body, and ``parse`` reports the missing line.
    """
    opened = _OPEN.match(raw)
    closed = _CLOSE.search(raw, opened.end()) if opened else None
    if not opened or not closed:
        return None, raw, 0
    return raw[opened.end() : closed.start()], raw[closed.end() :], 2


def parse(raw: str) -> tuple[FrontMatter, str, list[FieldProblem]]:
    """The file's front matter, its body (what follows the front matter) and every problem."""
    text, body, first = split(raw)
    if text is None:
        if _OPEN.match(raw):
            problem = FieldProblem(1, "-", "the front matter opened by --- has no closing --- line")
            return FrontMatter(), body, [problem]
        return FrontMatter(), body, []
    problems: list[FieldProblem] = []
    values = _values(text, first, problems)
    found: dict[str, object] = {}
    for key, (line, value) in values.items():
        checked = _check(key, value, line, problems)
        if checked is not None:
            found[key] = checked
    front = FrontMatter(**found)  # type: ignore[arg-type]
    if front.status == APPROVED and not front.approved:
        missing = [f for f in ("approved_by", "approved_on") if f not in values]
        if missing:
            line = values["status"][0]
            problems.append(
                FieldProblem(
                    line, "status", f"approved needs {' and '.join(missing)}: who approved it, when"
                )
            )
    return front, body, sorted(problems, key=lambda p: p.line)


def _values(text: str, first: int, problems: list[FieldProblem]) -> dict[str, tuple[int, str]]:
    """Each field's file line and text, as written."""
    try:
        node = yaml.compose(text)
    except yaml.YAMLError as error:
        # Where the construct that went wrong starts (an unclosed quote), else where it broke.
        mark = getattr(error, "context_mark", None) or getattr(error, "problem_mark", None)
        line = first + (mark.line if mark else 0)
        reason = getattr(error, "problem", None) or str(error)
        problems.append(FieldProblem(line, "-", f"the front matter is not YAML: {reason}"))
        return {}
    if node is None:
        return {}
    if not isinstance(node, yaml.MappingNode):
        problems.append(FieldProblem(first, "-", "the front matter must be lines of field: value"))
        return {}
    values: dict[str, tuple[int, str]] = {}
    for key, value in node.value:
        line = first + key.start_mark.line
        name = str(key.value)
        if name not in FIELDS:
            problems.append(
                FieldProblem(line, name, f"unknown field; front matter takes {', '.join(FIELDS)}")
            )
        elif name in values:
            problems.append(FieldProblem(line, name, "given twice"))
        elif not isinstance(value, yaml.ScalarNode):
            problems.append(FieldProblem(line, name, "must be a single value"))
        else:
            values[name] = (line, str(value.value).strip())
    return values


def _check(key: str, value: str, line: int, problems: list[FieldProblem]) -> object | None:
    """The field's value, or None with a problem."""
    message = None
    if key == "status" and value not in STATUSES:
        message = f"unknown status '{value}': use {', '.join(STATUSES)}"
    elif key == "approved_by" and not value:
        message = "say who approved the commentary"
    elif key == "approved_on":
        try:
            if not _DATE.fullmatch(value):
                raise ValueError
            return date.fromisoformat(value)
        except ValueError:
            message = f"'{value}' is not a date: write it as YYYY-MM-DD, e.g. 2026-01-15"
    elif key == "written_for":
        try:
            return quarter_label(parse_quarter(value))
        except PeriodError as error:
            message = str(error)
    if message:
        problems.append(FieldProblem(line, key, message))
        return None
    return value
