"""The analysts' commentary: markdown files per quarter, read into the report, never overwritten.

Each quarter has a folder ``<data>/narrative/<quarter-slug>/`` holding ``overview.md``,
``priority-<priority_id>.md`` and ``kpi-<kpi_id>.md``. They are plain text so analysts edit
them in JupyterLab or any editor, and they live beside the figures so a quarter's report is
made from one folder. A file is in one of three states:

- ``present``: it holds commentary;
- ``draft``: its front matter says ``status: draft`` (as the files
  ``new_quarter(..., carry_forward=True)`` starts from last quarter's text do), or it carries
  the older draft marker (an HTML comment starting ``draft``), which means the same;
- ``awaited``: it is missing, empty, or holds only HTML comments and whitespace.

For sign-off (``frontmatter``, ``signoff``) a file with commentary is further ``ready`` or
``approved``: ``Commentary.signoff`` is one of awaited, draft, ready, approved, where a file
whose front matter says nothing is ready (written, awaiting approval). The front matter is
never published.

Notebooks show commentary with ``commentary()``: its output carries the metadata the run uses
to turn it into a markdown cell (see ``docs/architecture.md``). Awaited and draft commentary
say so in words on the page, and ``awaited()`` lists what is missing for the overview.

Nothing here writes to a file that exists: ``new_quarter`` creates files with
``open(path, "x")`` only, so the analysts' words can never be overwritten or lost.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from pmf_utils.data import frontmatter
from pmf_utils.data.dataset import Dataset, load
from pmf_utils.data.periods import parse_quarter, quarter_label, quarter_slug
from pmf_utils.data.words import in_sentence
from pmf_utils.pages import sanitise

KINDS = ("overview", "priority", "kpi")
PRESENT, DRAFT, AWAITED = "present", "draft", "awaited"

_COMMENT = re.compile(r"<!--.*?(?:-->|\Z)", re.DOTALL)
_DRAFT_MARKER = re.compile(r"^[ \t]*<!--\s*draft\b.*?-->[ \t]*\n?", re.DOTALL | re.MULTILINE)

PROMPTS = {
    "overview": "the quarter's headlines, what is going well, what is not, what is being done",
    "priority": "progress, the KPIs of note, risks and actions",
    "kpi": "current performance, trend, benchmarking, actions",
}
"""What each kind of file should say, written into new files as a comment for the analyst."""


class NarrativeError(ValueError):
    """A commentary file cannot be read (it is not UTF-8 text)."""


@dataclass(frozen=True)
class Commentary:
    """One commentary file as the report shows it.

    ``text`` is what the analysts wrote, without HTML comments (their notes to themselves, the
    draft marker); ``markdown()`` is what is published, made safe by ``sanitise``. In a
    notebook the object displays as markdown carrying the metadata
    ``{"pmf": {"narrative": relpath, "state": state}}`` that the run looks for.
    """

    path: Path
    relpath: str
    quarter: pd.Period
    text: str
    state: str
    front: frontmatter.FrontMatter = frontmatter.FrontMatter()

    @property
    def signoff(self) -> str:
        """awaited, draft, ready (written, not approved) or approved."""
        if self.state != PRESENT:
            return self.state
        return frontmatter.APPROVED if self.front.approved else frontmatter.READY

    def markdown(self) -> str:
        """The commentary as the page shows it, with awaited and draft states said in words."""
        label = quarter_label(self.quarter)
        if self.state == AWAITED:
            return f"> **Commentary awaited.** The commentary for {label} has not been written yet."
        [published] = sanitise.commentary([self.text])
        if self.state == DRAFT:
            written = self.front.written_for
            why = f"written for {written}" if written else "carried forward"
            if self.front.status == DRAFT and not written:
                why = "not yet final"
            return f"> **Draft:** {why} and not yet revised for {label}.\n\n{published}"
        return published

    def _repr_mimebundle_(self, include=None, exclude=None) -> tuple[dict, dict]:
        text = self.markdown()
        data = {"text/markdown": text, "text/plain": text}
        return data, {"pmf": {"narrative": self.relpath, "state": self.state}}


def _quarter(quarter: pd.Period | str) -> pd.Period:
    return parse_quarter(quarter) if isinstance(quarter, str) else quarter


def file_name(kind: str, id: str | None = None) -> str:
    """``overview.md``, ``priority-<id>.md`` or ``kpi-<id>.md``."""
    if kind not in KINDS:
        raise ValueError(f"unknown commentary kind '{kind}' (expected one of {', '.join(KINDS)})")
    if (kind == "overview") != (id is None):
        raise ValueError(f"commentary of kind '{kind}' needs {'an' if id is None else 'no'} id")
    return "overview.md" if kind == "overview" else f"{kind}-{id}.md"


def relpath(quarter: pd.Period | str, kind: str, id: str | None = None) -> str:
    """The file's path relative to the data folder, e.g. ``narrative/2025-26-q2/kpi-CH01.md``."""
    return f"narrative/{quarter_slug(_quarter(quarter))}/{file_name(kind, id)}"


def _decode(path: Path) -> str:
    try:
        return path.read_bytes().decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise NarrativeError(f"{path}: not UTF-8 text ({error.reason}); save it as UTF-8") from None


def state_of(raw: str) -> str:
    """``awaited`` when only comments and whitespace, ``draft`` when marked, else ``present``."""
    front, body, _problems = frontmatter.parse(raw)
    if not _COMMENT.sub("", body).strip():
        return AWAITED
    return DRAFT if front.status == DRAFT or _DRAFT_MARKER.search(body) else PRESENT


def read(
    data_dir: str | Path, quarter: pd.Period | str, kind: str, id: str | None = None
) -> Commentary:
    """Read one commentary file; a missing file is simply awaited."""
    quarter = _quarter(quarter)
    rel = relpath(quarter, kind, id)
    path = Path(data_dir) / rel
    raw = _decode(path) if path.is_file() else ""
    front, body, _problems = frontmatter.parse(raw)  # reported by validation, before a run
    return Commentary(path, rel, quarter, _COMMENT.sub("", body).strip(), state_of(raw), front)


def expected(data: Dataset) -> list[tuple[str, str | None, str, str | None]]:
    """Every commentary a quarter needs: (kind, id, name, priority_id), in report order."""
    return [
        ("overview", None, data.plan.plan_title, None),
        *(
            ("priority", p.priority_id, p.priority, p.priority_id)
            for p in data.priorities.itertuples()
        ),
        *(("kpi", k.kpi_id, k.name, k.priority_id) for k in data.kpis.itertuples()),
    ]


def _check_id(data: Dataset, kind: str, id: str | None) -> None:
    known = {"priority": data.priorities["priority_id"], "kpi": data.kpis["kpi_id"]}
    if kind in known and id not in set(known[kind]):
        raise ValueError(f"'{id}' is not a {kind} id in {data.data_dir}")


def commentary(
    data: Dataset, quarter: pd.Period | str, kind: str, id: str | None = None
) -> Commentary:
    """The commentary for a notebook to show: the last expression of a cell, or ``display()``-ed.

    ``kind`` is ``overview``, ``priority`` or ``kpi``; ``id`` the priority or KPI id.
    """
    _check_id(data, kind, id)
    return read(data.data_dir, quarter, kind, id)


COLUMNS = ["kind", "id", "name", "priority_id", "file", "state", "signoff"]
SIGNOFF = ["approved_by", "approved_on", "written_for"]


def completeness(data: Dataset, quarter: pd.Period | str) -> pd.DataFrame:
    """One row per commentary the quarter needs, with its state and sign-off (who approved
    it, when, and the quarter carried text was written for), for the completeness section."""
    rows = []
    for kind, id, name, priority_id in expected(data):
        item = read(data.data_dir, quarter, kind, id)
        row = [kind, id, name, priority_id, item.relpath, item.state, item.signoff]
        rows.append(row + [getattr(item.front, field) for field in SIGNOFF])
    return pd.DataFrame(rows, columns=COLUMNS + SIGNOFF)


def prepare(data: Dataset, quarter: pd.Period | str) -> None:
    """Make every commentary of the quarter safe to publish at once (one pandoc process), so
    the notebooks that show them one by one find them ready."""
    texts = [read(data.data_dir, quarter, k, i).text for k, i, _n, _p in expected(data)]
    sanitise.commentary([t for t in texts if t])


def awaited(data: Dataset, quarter: pd.Period | str) -> pd.DataFrame:
    """Every commentary still awaited for the quarter (overview, priorities, KPIs)."""
    table = completeness(data, quarter)
    return table[table["state"] == AWAITED].reset_index(drop=True)


def _new_text(
    data: Dataset, quarter: pd.Period, kind: str, id: str | None, name: str, carry: bool
) -> str:
    """A new file: last quarter's text marked as a draft, with the quarter it was written for
    (kept from the text's first quarter when it was carried before and never revised), else a
    prompt comment alone."""
    if carry:
        before = quarter - 1
        previous = read(data.data_dir, before, kind, id)
        if previous.state != AWAITED:
            _front, body, _problems = frontmatter.parse(_decode(previous.path))
            kept = _DRAFT_MARKER.sub("", body).lstrip("\n")
            written = previous.front.written_for if previous.state == DRAFT else None
            front = frontmatter.FrontMatter(DRAFT, written_for=written or quarter_label(before))
            return (
                f"{front.text()}<!-- carried forward from {quarter_label(before)}: revise it for "
                f"{quarter_label(quarter)}, then set status: ready -->\n{kept}"
            )
    level = in_sentence(data.plan.words.priority)
    subject = {"overview": "the whole plan", "priority": f"the {level} {name}"}.get(kind)
    subject = (subject or f"{id} {name}").replace("-->", "->")  # the comment must not end early
    return (
        f"<!-- {quarter_label(quarter)} commentary on {subject}: {PROMPTS[kind]}. "
        "Write below this comment; it is not published. -->\n"
    )


def new_quarter(
    data_dir: str | Path | None, quarter: pd.Period | str, carry_forward: bool = False
) -> list[Path]:
    """Create the quarter's missing commentary files and return the ones created.

    Every text is prepared before anything is written, so an unreadable file stops the command
    with nothing half done; a file that exists is never opened for writing (``"x"`` mode), so
    its bytes and modification time stay as they were.
    """
    data = load(data_dir)
    quarter = _quarter(quarter)
    folder = data.narrative_dir / quarter_slug(quarter)
    texts = {
        folder / file_name(kind, id): _new_text(data, quarter, kind, id, name, carry_forward)
        for kind, id, name, _priority in expected(data)
        if not (folder / file_name(kind, id)).exists()
    }
    created = []
    folder.mkdir(parents=True, exist_ok=True)
    for path, text in texts.items():
        try:
            with open(path, "x", encoding="utf-8", newline="\n") as handle:
                handle.write(text)
        except FileExistsError:
            continue
        created.append(path)
    return created


__all__ = [
    "AWAITED",
    "DRAFT",
    "PRESENT",
    "Commentary",
    "NarrativeError",
    "awaited",
    "commentary",
    "completeness",
    "file_name",
    "new_quarter",
    "prepare",
    "read",
    "relpath",
]
