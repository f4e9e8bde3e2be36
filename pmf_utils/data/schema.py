"""What each data file holds, column by column: the single source for validation and loading.

Keeping the column lists here (rather than scattered through the loader) means the validator,
the loader and ``data/README.md`` all describe the same files.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from pmf_utils.data.periods import FREQUENCIES
from pmf_utils.data.words import FIELDS as WORD_FIELDS
from pmf_utils.judge.intervals import LEVELS as CI_LEVELS
from pmf_utils.judge.spc_methods import SETTINGS as SPC_SETTINGS

UNITS = ("percentage", "count", "rate", "currency", "score", "days", "ratio")
NON_NEGATIVE_UNITS = ("percentage", "count", "rate", "days", "ratio")
POLARITIES = ("higher", "lower", "none")
BOOLEAN = ("true", "false")
FLAGS = ("provisional", "revised", "estimated", "suppressed")
BENCHMARK_SERIES = ("england", "region", "neighbours")
"""The comparisons ``observations.csv`` holds beside each figure, as ``chart_benchmarks`` names
them; ``none`` draws none."""
LABEL_LENGTH = 60
"""The longest annotation label: it must read as a short note under a chart, not a paragraph."""
PLAN_FIELDS = (
    "council",
    "plan_title",
    "plan_years",
    "vision",
    "principle",
    "region_name",
    "neighbours_name",
    "illustrative",
    *SPC_SETTINGS,
    *WORD_FIELDS,
)
REPEATABLE_PLAN_FIELDS = ("principle",)
REQUIRED_PLAN_FIELDS = ("council", "plan_title", "plan_years", "vision", "principle")
ID_PATTERN = r"^[a-z0-9]+(?:-[a-z0-9]+)*$"
KPI_ID_PATTERN = r"^[A-Za-z0-9][A-Za-z0-9_-]*$"


@dataclass(frozen=True)
class Column:
    """One column of a data file and the kind of value each cell must hold."""

    name: str
    kind: str = "text"  # text, id, kpi_id, number, integer, choice, flags, period, year
    required: bool = True  # the column must be present in the header
    blank: bool = False  # cells may be left blank
    choices: tuple[str, ...] = ()  # for choice, and for each ';'-separated part of flags
    longest: int = 0  # the most characters a cell may hold (0: no limit)


@dataclass(frozen=True)
class FileSpec:
    """A data file: its columns and the columns that together identify a row."""

    name: str
    columns: tuple[Column, ...]
    key: tuple[str, ...]
    required: bool = True
    extra: tuple[str, ...] = field(default=())

    def column(self, name: str) -> Column:
        return next(c for c in self.columns if c.name == name)


def _numbers(*names: str) -> tuple[Column, ...]:
    return tuple(Column(n, "number", required=False, blank=True) for n in names)


SPECS: dict[str, FileSpec] = {
    spec.name: spec
    for spec in (
        FileSpec(
            "plan.csv",
            # An optional field's value may be blank (its default); a required one's may not.
            (Column("field", "choice", choices=PLAN_FIELDS), Column("value", blank=True)),
            key=("field",),
        ),
        FileSpec(
            "ambitions.csv",
            (Column("ambition_id", "id"), Column("ambition")),
            key=("ambition_id",),
        ),
        FileSpec(
            "priorities.csv",
            (Column("priority_id", "id"), Column("ambition_id", "id"), Column("priority")),
            key=("priority_id",),
        ),
        FileSpec(
            "kpis.csv",
            (
                Column("kpi_id", "kpi_id"),
                Column("name"),
                Column("priority_id", "id"),
                Column("definition"),
                Column("methodology"),
                Column("unit", "choice", choices=UNITS),
                Column("rate_per", "number", required=False, blank=True),
                Column("decimals", "integer"),
                Column("polarity", "choice", choices=POLARITIES),
                Column("frequency", "choice", choices=tuple(FREQUENCIES)),
                Column("lag_months", "integer"),
                Column("source"),
                Column("benchmark_source", blank=True),
                Column("owner"),
                Column("change_threshold", "number", required=False, blank=True),
                Column("spc_rebase", "text", required=False, blank=True),
                Column("year_to_date", "choice", required=False, blank=True, choices=BOOLEAN),
                Column("ci_level", "choice", required=False, blank=True, choices=CI_LEVELS),
                *(Column(name, required=False, blank=True) for name in SPC_SETTINGS),
                Column("seasonal", "choice", required=False, blank=True, choices=BOOLEAN),
                Column("chart_years", "integer", required=False, blank=True),
                Column("chart_from_zero", "choice", required=False, blank=True, choices=BOOLEAN),
                Column(
                    "chart_benchmarks",
                    "flags",
                    required=False,
                    blank=True,
                    choices=(*BENCHMARK_SERIES, "none"),
                ),
            ),
            key=("kpi_id",),
        ),
        FileSpec(
            "targets.csv",
            (
                Column("kpi_id", "kpi_id"),
                Column("year", "year"),
                Column("period", "period", required=False, blank=True),
                Column("target", "number", blank=True),
                Column("tolerance", "number", required=False, blank=True),
                Column("note", required=False, blank=True),
            ),
            key=("kpi_id", "year", "period"),
            required=False,
        ),
        FileSpec(
            "observations.csv",
            (
                Column("kpi_id", "kpi_id"),
                Column("period", "period"),
                Column("value", "number", blank=True),
                *_numbers("numerator", "denominator", "ci_lower", "ci_upper"),
                *_numbers("england", "region", "neighbours"),
                Column("flag", "flags", required=False, blank=True, choices=FLAGS),
                Column("note", required=False, blank=True),
            ),
            key=("kpi_id", "period"),
        ),
        FileSpec(
            "comparators.csv",
            (
                Column("kpi_id", "kpi_id"),
                Column("period", "period"),
                Column("area"),
                Column("value", "number"),
            ),
            key=("kpi_id", "period", "area"),
            required=False,
        ),
        FileSpec(
            "annotations.csv",
            (
                Column("kpi_id", "kpi_id"),
                Column("period", "period"),
                Column("label", longest=LABEL_LENGTH),
            ),
            key=("kpi_id", "period", "label"),
            required=False,
        ),
    )
}
"""The data files in the order they are checked (later files refer to earlier ones)."""
