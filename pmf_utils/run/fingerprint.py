"""What each executed notebook and each published quarter was made from, as short hashes, so
a run redoes only what changed and says so when nothing did.

* A job's fingerprint (``jobs_inputs``) covers what its notebook reads: the rows of the data
  dictionary, targets, observations and comparators of the KPIs in its scope (a priority's
  KPIs, an ambition's, or all of them for the whole-plan pages), the commentary files of those
  KPIs, priorities and ambition, the plan's structure (plan, ambitions, priorities: they name
  every page), the template notebook it executes, its parameters and page metadata, and the
  code (every file of the package, so a development checkout re-executes after an edit).
* A publication's fingerprint (``publication_inputs``) covers its notebooks' fingerprints, the
  engine, the project's Quarto set-up and the sign-off record.
* A project's fingerprint (``project_inputs``) hashes the raw files a run reads, without
  loading pandas: equal to the last published run's, ``pmf run`` has nothing to do.

Importing this module stays light (no pandas): the nothing-changed path must answer in well
under a second.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Mapping
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from pmf_utils.data.dataset import Dataset
    from pmf_utils.project import Project
    from pmf_utils.run.jobs import Job

PACKAGE = Path(__file__).resolve().parent.parent
WHOLE_PLAN = ("overview", "exceptions", "dictionary")
"""Pages that read every KPI and every commentary file."""
_ROW_TABLES = ("kpis", "targets", "observations", "comparators", "annotations")


def digest(*parts: object) -> str:
    """A short hash of the parts, each length-prefixed so no two sequences hash alike."""
    hasher = hashlib.sha256()
    for part in parts:
        data = part if isinstance(part, bytes) else json.dumps(part, sort_keys=True).encode()
        hasher.update(len(data).to_bytes(8, "big"))
        hasher.update(data)
    return hasher.hexdigest()[:16]


def _files(paths: Iterable[Path], root: Path) -> list[object]:
    """Names and contents of the files among ``paths``, in name order."""
    found = sorted(p for p in paths if p.is_file() and "__pycache__" not in p.parts)
    return [part for p in found for part in (p.relative_to(root).as_posix(), p.read_bytes())]


def tree_inputs(folder: Path) -> str:
    """Every file under ``folder`` (a missing folder hashes as empty)."""
    return digest(*_files(folder.rglob("*"), folder)) if folder.is_dir() else digest()


def path_inputs(path: Path) -> str:
    """A file or every file under a folder."""
    return tree_inputs(path) if path.is_dir() else digest(*_files([path], path.parent))


@cache
def code_inputs() -> str:
    """The package's own files: code, notebooks, templates, styles and filters."""
    return tree_inputs(PACKAGE)


def setup_files(project: Project) -> list[Path]:
    """The project's own set-up a publication is made with."""
    return [project.root / "pmf.toml", project.quarto_config, project.extensions]


def project_inputs(
    data_dir: Path, notebooks: Iterable[Path], setup: Iterable[Path], options: Mapping[str, Any]
) -> str:
    """The raw files a run reads (data, commentary, templates and analysts' own notebooks, the
    project's set-up) with the code and the run's options."""
    data_dir = data_dir.resolve()
    data = _files(data_dir.glob("*.csv"), data_dir)
    parts = [str(data_dir), tree_inputs(data_dir / "narrative")]
    parts += [tree_inputs(folder) for folder in notebooks]
    parts += [path_inputs(p) for p in setup]
    return digest(code_inputs(), options, *data, *parts)


def _scope(data: Dataset, page: Mapping[str, Any]) -> tuple[list[str], list[str]] | None:
    """The KPIs and the commentary files (kind-id stems) a page reads; None for all."""
    kind, page_id = page["page"], page["id"]
    if kind in WHOLE_PLAN:
        return None
    plan = _plan_tree(data)
    if kind == "ambition":
        chosen = plan["ambitions"].get(page_id, [])
        stems = [f"ambition-{page_id}"]
    else:
        chosen = [page["priority"] if kind == "kpi" else page_id]
        stems = []
    kpis = [k for p in chosen for k in plan["priorities"].get(p, [])]
    stems += [f"priority-{p}" for p in chosen] + [f"kpi-{k}" for k in kpis]
    return kpis, stems


@cache
def _plan_tree(data: Dataset) -> dict[str, dict[str, list[str]]]:
    """Each ambition's priorities and each priority's KPIs, in the data's order."""
    tree: dict[str, dict[str, list[str]]] = {"ambitions": {}, "priorities": {}}
    for ambition, priority in zip(
        data.priorities["ambition_id"], data.priorities["priority_id"], strict=True
    ):
        tree["ambitions"].setdefault(ambition, []).append(priority)
    for priority, kpi in zip(data.kpis["priority_id"], data.kpis["kpi_id"], strict=True):
        tree["priorities"].setdefault(priority, []).append(kpi)
    return tree


class Narrative:
    """The commentary folder's files, each read and hashed once however many jobs read it."""

    def __init__(self, folder: Path) -> None:
        found = sorted(p for p in folder.rglob("*") if p.is_file()) if folder.is_dir() else []
        self.files = [(p.relative_to(folder).as_posix(), digest(p.read_bytes())) for p in found]
        self.by_stem: dict[str, list[tuple[str, str]]] = {}
        for path, (name, hashed) in zip(found, self.files, strict=True):
            if path.suffix == ".md" and path.parent.parent == folder:  # <quarter>/<stem>.md
                self.by_stem.setdefault(path.stem, []).append((name, hashed))

    def inputs(self, stems: list[str] | None) -> str:
        """Commentary files of every quarter: all of them, or those of the given stems."""
        if stems is None:
            return digest(self.files)
        return digest(sorted(f for stem in stems for f in self.by_stem.get(stem, [])))


@cache
def _structure(data: Dataset) -> str:
    plan = (data.data_dir / "plan.csv").read_bytes()
    return digest(plan, data.ambitions.to_csv(), data.priorities.to_csv())


@cache
def _kpi_rows(data: Dataset) -> dict[str, str]:
    """Each KPI's rows of the dictionary, targets, observations, comparators and events, hashed once
    per data set (every job then combines its KPIs' hashes)."""
    rows: dict[str, list[str]] = {}
    for name in _ROW_TABLES:
        table = getattr(data, name)
        column = list(table.columns).index("kpi_id")
        for row in table.itertuples(index=False, name=None):
            rows.setdefault(row[column], []).append(f"{name}: {row!r}")
    return {kpi_id: digest(*found) for kpi_id, found in rows.items()}


def jobs_inputs(data: Dataset, jobs: Iterable[Job], templates: Path) -> dict[str, str]:
    """Each job's fingerprint, by the notebook it writes: equal fingerprints, equal notebooks.
    The notebook executed is the analysts' own (``pmf customise``) when the job has one,
    else the template."""
    narrative = Narrative(data.narrative_dir)
    hashed = _kpi_rows(data)
    found = {}
    for job in jobs:
        template = job.own or templates / job.template
        scope = _scope(data, job.page)
        kpis, stems = (None, None) if scope is None else scope
        rows = [hashed.get(k, "") for k in (sorted(hashed) if kpis is None else kpis)]
        described = [job.output, job.parameters, job.page, job.kpi_pages, job.source, job.own_kpis]
        made_by = (code_inputs(), template.read_bytes(), described, _structure(data))
        found[job.output] = digest(*made_by, narrative.inputs(stems), rows)
    return found


def publication_inputs(
    notebooks: Mapping[str, str], engine: str, setup: Iterable[Path], record: Mapping[str, Any]
) -> str:
    """The fingerprint of a published quarter: its notebooks' fingerprints (file name to
    fingerprint), the engine, the Quarto set-up and the sign-off record."""
    parts = [path_inputs(p) for p in setup]
    return digest(code_inputs(), dict(notebooks), engine, dict(record), *parts)


RECORD = "pmf-run.json"
"""In a quarter's reports folder: each executed notebook's fingerprint, and the data
fingerprint every notebook of the quarter was last found current for."""


def read_record(folder: Path) -> dict[str, Any]:
    path = folder / RECORD
    try:
        record = json.loads(path.read_text("utf-8"))
    except (OSError, ValueError):
        record = {}
    return {"data": record.get("data"), "notebooks": dict(record.get("notebooks", {}))}


def write_record(folder: Path, record: Mapping[str, Any]) -> None:
    """Written whole, then renamed into place: never half a record."""
    partial = folder / f".{RECORD}.partial"
    partial.write_text(json.dumps(record, indent=1, sort_keys=True), "utf-8")
    partial.replace(folder / RECORD)
