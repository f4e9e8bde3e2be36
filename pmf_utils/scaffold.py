"""``pmf init``: a new council's project folder, empty or holding the illustrative example.

A new project gets everything a council's insight team needs to start: ``pmf.toml``, the data
files with their headers (or, with ``example``, the illustrative council shipped with the
package), ``data/README.md`` documenting every column, the template notebooks, ``_quarto.yml``,
a ``.gitignore`` for outputs and a short README saying what to edit. A new project requires
commentary to be approved before it is published; the illustrative example (whose commentary is
made up, some of it deliberately awaited) does not. Files are created with
``open(path, "x")``: an existing file is never overwritten.
"""

from __future__ import annotations

from pathlib import Path

from pmf_utils.data.schema import PLAN_FIELDS, SPECS
from pmf_utils.project import PROJECT_FILE, resource

PROJECT_TOML = """\
# A Council Plan delivery report project (pmf). Every pmf command run in this folder, or in a
# folder below it, reads and writes here. Folders are relative to this file.
[project]
data = "data"        # plan, data dictionary, targets, figures and commentary
reports = "reports"  # the executed notebooks of each quarter
site = "_site"       # the published website and PDF booklets
engine = "auto"      # auto (Quarto when installed), quarto or builtin
# pmf run publishes a quarter only when every commentary file is approved (its front matter
# says status: approved, approved_by and approved_on); pmf preview shows it before then.
require_approval = {require_approval}
"""

GITIGNORE = """\
# Made by pmf: rebuilt from data/ and notebooks/ by `pmf run`.
/reports/
/_site/
/_preview/
/returns/
/.pmf-run.lock
/.*-build-*/
.ipynb_checkpoints/
"""

README = """\
# {title}

A Council Plan delivery report made with pmf. Each quarter:

1. Put the quarter's figures in `data/observations.csv` (or `pmf import`, `pmf returns`) and
   run `pmf validate` until it reports no problem.
2. `pmf new-quarter 2025-26-q3` creates that quarter's commentary files in
   `data/narrative/2025-26-q3/`; write the commentary there, in markdown.
3. `pmf status` shows every KPI's judgements and each commentary's sign-off; `pmf preview`
   builds the quarter into `_preview/` to check; approve each commentary (front matter
   `status: approved`, `approved_by`, `approved_on`); then `pmf run` executes the notebooks
   into `reports/` and publishes the website and PDF booklets into `_site/`.

What to edit: `data/` (see `data/README.md` for every column), the commentary, and if you
want to change a page, the notebooks in `notebooks/`: `pmf customise priority ID` (or
`kpi ID`) gives one priority or KPI a notebook of its own there, for your own charts, tables
and text. Never edit `reports/`, `_preview/` or `_site/`: they are made again by `pmf run`
and `pmf preview`.
"""


def init_project(target: Path, example: bool = False) -> tuple[list[Path], list[Path]]:
    """Create a project in ``target``; return (created, left alone) files."""
    files: dict[Path, Path | str] = {
        target / PROJECT_FILE: PROJECT_TOML.format(require_approval=str(not example).lower()),
        target / ".gitignore": GITIGNORE,
        target / "README.md": README.format(
            title="Council Plan delivery report" + (" (illustrative example)" if example else "")
        ),
        target / "_quarto.yml": resource("_quarto.yml"),
        target / "data" / "README.md": resource("data", "README.md"),
    }
    for source in sorted(resource("notebooks").glob("*.ipynb")):
        files[target / "notebooks" / source.name] = source
    for path in _tree(resource("_extensions")):
        files[target / "_extensions" / path.relative_to(resource("_extensions"))] = path
    if example:
        data = resource("data")
        for path in [*data.glob("*.csv"), *_tree(data / "narrative")]:
            files[target / "data" / path.relative_to(data)] = path
    else:
        files.update({target / "data" / name: text for name, text in empty_data().items()})
    created, kept = [], []
    for path, source in files.items():
        path.parent.mkdir(parents=True, exist_ok=True)
        try:
            with open(path, "xb") as handle:
                handle.write(source.read_bytes() if isinstance(source, Path) else source.encode())
        except FileExistsError:
            kept.append(path)
            continue
        created.append(path)
    (target / "data" / "narrative").mkdir(exist_ok=True)
    return created, kept


def empty_data() -> dict[str, str]:
    """The data files of a new plan: every header, and the plan's fields to fill in."""
    texts = {}
    for name, spec in SPECS.items():
        header = ",".join(c.name for c in spec.columns if c.required)
        rows = [f"{f}," for f in PLAN_FIELDS] if name == "plan.csv" else []
        texts[name] = "\n".join([header, *rows]) + "\n"
    return texts


def _tree(folder: Path) -> list[Path]:
    return sorted(p for p in folder.rglob("*") if p.is_file() and "__pycache__" not in p.parts)
