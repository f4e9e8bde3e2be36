"""A quarter's executed notebooks read back and checked against the data that made them,
as the pages of the report (overview, exceptions, dictionary, ambitions, priorities, KPIs)."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from pmf_utils.data.dataset import Dataset
from pmf_utils.data.periods import quarter_label, quarter_slug
from pmf_utils.publish.documents import read_metadata
from pmf_utils.run.fingerprint import read_record


class PublishError(RuntimeError):
    """The input cannot be published as asked (missing notebooks, already published, ...)."""


CHILD = {"ambition": "priority", "priority": "kpi"}


PARENT = {child: parent for parent, child in CHILD.items()}


@dataclass(frozen=True)
class ReportPage:
    """One executed page notebook and where it sits in the plan."""

    kind: str
    id: str
    title: str
    source: Path
    parent: str
    inputs: str = ""
    """The fingerprint of what its notebook was made from (``fingerprint.jobs_inputs``)."""

    @property
    def href(self) -> str:
        return f"{self.source.stem}.html"

    def entry(self) -> dict[str, str]:
        return {
            "kind": self.kind,
            "id": self.id,
            "title": self.title,
            "href": self.href,
            "parent": self.parent,
        }


@dataclass(frozen=True)
class Report:
    """A quarter's executed notebooks, checked against the data that made them."""

    quarter: pd.Period
    data: Dataset
    pages: tuple[ReportPage, ...]
    executed: str

    @property
    def slug(self) -> str:
        return quarter_slug(self.quarter)

    @property
    def folder(self) -> Path:
        return self.pages[0].source.parent

    def of(self, kind: str, parent: str | None = None) -> list[ReportPage]:
        return [p for p in self.pages if p.kind == kind and parent in (None, p.parent)]

    def page(self, kind: str) -> ReportPage:
        return self.of(kind)[0]


def _expected_pages(data: Dataset) -> Iterator[tuple[str, str, str, str]]:
    """(kind, id, parent id, title) of every page the contract names, in reading order."""
    yield "overview", "", "", "Overview"
    yield "exceptions", "", "", "Exceptions"
    # Plain rows rather than ``itertuples``, which makes a named tuple class at every call.
    priorities = _rows(data.priorities, "ambition_id", "priority_id", "priority")
    kpis = _rows(data.kpis, "priority_id", "kpi_id", "name")
    ambitions = data.ambitions
    for ambition_id, title in zip(ambitions["ambition_id"], ambitions["ambition"], strict=True):
        yield "ambition", ambition_id, "", title
        for priority_id, priority in priorities.get(ambition_id, []):
            yield "priority", priority_id, ambition_id, priority
            for kpi_id, name in kpis.get(priority_id, []):
                yield "kpi", kpi_id, priority_id, name
    yield "dictionary", "", "", "Data dictionary"


def _rows(frame: pd.DataFrame, parent: str, *columns: str) -> dict[str, list[tuple]]:
    """A frame's rows (the given columns) under each value of ``parent``, in frame order."""
    under: dict[str, list[tuple]] = {}
    for key, *values in zip(frame[parent], *(frame[c] for c in columns), strict=True):
        under.setdefault(key, []).append(tuple(values))
    return under


def read_report(data: Dataset, quarter: pd.Period, folder: Path) -> Report:
    """The quarter's executed notebooks, one per page the contract names, each checked to be
    for this quarter and made from this data (or kept by a run that found its inputs
    unchanged in this data); every problem is listed at once."""
    if not folder.is_dir():
        raise PublishError(
            f"{folder} does not exist: run `pmf run --quarter '{quarter_label(quarter)}'` first"
        )
    slug = quarter_slug(quarter)
    record = read_record(folder)
    vouched = record["notebooks"] if record["data"] == data.fingerprint else {}
    pages, problems, executed = [], [], []
    for kind, page_id, parent, fallback in _expected_pages(data):
        path = folder / (f"{kind}-{page_id}.ipynb" if page_id else f"{kind}.ipynb")
        if not path.is_file():
            problems.append(f"{path}: missing")
            continue
        meta = read_metadata(path).get("pmf", {})
        if meta.get("slug") != slug:
            problems.append(f"{path}: made for quarter {meta.get('slug')!r}, not {slug!r}")
        # A notebook the run kept (its inputs unchanged) still holds its own data fingerprint.
        kept = meta.get("inputs") is not None and vouched.get(path.name) == meta["inputs"]
        if meta.get("data_fingerprint") != data.fingerprint and not kept:
            problems.append(
                f"{path}: made from data {meta.get('data_fingerprint')!r}, but the data folder "
                f"is now {data.fingerprint!r}"
            )
        executed.append(str(meta.get("produced", "")))
        title = str(meta.get("title") or fallback)
        pages.append(ReportPage(kind, page_id, title, path, parent, str(meta.get("inputs", ""))))
    if problems:
        summary = f"{len(problems)} problem(s): run `pmf run` for {quarter_label(quarter)}."
        raise PublishError("\n".join([*problems, summary]))
    return Report(quarter, data, tuple(pages), max(executed))
