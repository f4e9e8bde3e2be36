"""A problem found in the user's files, located so an analyst can find and fix it.

Every check (data files, commentary files) reports ``Problem``s; commands print them all at once
as ``file:line: column: message`` and exit with status 2, having changed nothing.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from pmf_utils.data.schema import SPECS


@dataclass(frozen=True, order=True)
class Problem:
    """One problem in one place of one file."""

    file: str
    line: int
    column: str
    message: str

    def __str__(self) -> str:
        return f"{self.file}:{self.line}: {self.column}: {self.message}"


class DataError(Exception):
    """The data folder has problems; ``problems`` lists every one of them."""

    def __init__(self, problems: list[Problem]):
        self.problems = sort_problems(problems)
        super().__init__("\n".join(str(p) for p in self.problems))


def sort_problems(problems: list[Problem]) -> list[Problem]:
    """Files in the order they are read (plan first, figures, then commentary), then by line."""
    names = list(SPECS)

    def order(problem: Problem) -> tuple[int, int]:
        name = Path(problem.file).name
        return (names.index(name) if name in names else len(names), problem.line)

    return sorted(problems, key=order)


def read_text(path: Path, problems: list[Problem], hint: str) -> str | None:
    """A file's UTF-8 text, or ``None`` with a problem naming the line of the first bad byte."""
    try:
        raw = path.read_bytes()
    except OSError as error:
        problems.append(Problem(str(path), 1, "-", f"cannot read the file: {error.strerror}"))
        return None
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = raw[: error.start].count(b"\n") + 1
        byte = raw[error.start]
        problems.append(
            Problem(str(path), line, "-", f"not UTF-8 text (byte 0x{byte:02x}); {hint}")
        )
        return None
