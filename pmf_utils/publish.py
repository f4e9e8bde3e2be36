"""Publish a quarter: the website and the PDF booklets, with Quarto or the built-in engine.

The executed notebooks in ``reports/<quarter-slug>/`` become ``_site/<quarter-slug>/`` (the
quarter's pages, figures, CSV files and booklets) and the site's front pages (the latest
quarter, the archive of every published quarter, downloads, accessibility statement).

A published quarter is a record, so:

* everything is built in a temporary folder beside ``_site/`` and moved in only when all of it
  succeeded; a failed or interrupted build leaves the published site as it was;
* publishing quarter Q never touches another quarter's folder;
* publishing a quarter again needs ``force`` and keeps the earlier version beside the new one,
  as ``_site/<slug>.superseded-<UTC timestamp>/``, listed in the archive.

Both engines render the same build folder: two Quarto website projects (the quarter's and the
front pages') written from the committed ``_quarto.yml`` and ``_extensions/pmf``.
"""

from __future__ import annotations

import argparse
import contextlib
import copy
import errno
import fcntl
import json
import re
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import cache
from pathlib import Path
from typing import Any
from urllib.parse import quote

import jinja2
import matplotlib
import nbformat
import pandas as pd
import yaml

from . import booklet, signoff, site
from . import markdown as md
from .dataset import Dataset, find_data_dir, load
from .marks import UNMARKED, Marks
from .periods import describe_period, quarter_label, quarter_slug
from .project import Project, find_project
from .runlock import Busy, project_lock, signals_held
from .site import RenderError, heading_levels, markdown_slots

ENGINES = ("auto", "quarto", "builtin")
_ENGINE_NAMES = {"quarto": "Quarto", "builtin": "built-in"}
MANIFEST = "pmf-quarter.json"
SUPERSEDED = ".superseded-"
_FIGURE = re.compile(
    r"^(?P<image>!\[(?P<caption>[^\]\n]*)\]"  # ![caption]
    r"\((?P<stem>figures/[^)\s]+)\.png\)"  # (figures/name.png)
    r"(?:\{[^}\n]*\})?)[ \t]*$",  # {fig-alt="..."}, alone on its line
    re.MULTILINE,
)
_CHILD = {"ambition": "priority", "priority": "kpi"}
_PARENT = {child: parent for parent, child in _CHILD.items()}


class PublishError(RuntimeError):
    """The input cannot be published as asked (missing notebooks, already published, ...)."""


class Interrupted(KeyboardInterrupt):
    """Ctrl-C or SIGTERM during publishing; the message says what became of the site."""


@dataclass(frozen=True)
class Publication:
    """What a publish wrote, for the command line to report."""

    quarter: str
    engine: str
    site_index: Path
    quarter_index: Path
    booklets: tuple[Path, ...]
    superseded: Path | None


@dataclass(frozen=True)
class ReportPage:
    """One executed page notebook and where it sits in the plan."""

    kind: str
    id: str
    title: str
    source: Path
    parent: str

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


def choose_engine(requested: str = "auto") -> str:
    """``quarto`` when asked for or when ``auto`` finds it on PATH, else ``builtin``."""
    if requested not in ENGINES:
        raise PublishError(f"unknown engine '{requested}': choose one of {', '.join(ENGINES)}")
    found = shutil.which("quarto") is not None
    if requested == "quarto" and not found:
        raise PublishError("--engine quarto: the quarto command is not on PATH")
    if requested == "auto":
        return "quarto" if found else "builtin"
    return requested


def _expected_pages(data: Dataset) -> Iterator[tuple[str, str, str, str]]:
    """(kind, id, parent id, title) of every page the contract names, in reading order."""
    yield "overview", "", "", "Overview"
    yield "exceptions", "", "", "Exceptions"
    priorities = data.priorities.groupby("ambition_id", sort=False)
    for ambition in data.ambitions.itertuples():
        yield "ambition", ambition.ambition_id, "", ambition.ambition
        if ambition.ambition_id not in priorities.groups:
            continue
        for priority in priorities.get_group(ambition.ambition_id).itertuples():
            yield "priority", priority.priority_id, ambition.ambition_id, priority.priority
            for kpi in data.priority_kpis(priority.priority_id).itertuples():
                yield "kpi", kpi.kpi_id, priority.priority_id, kpi.name
    yield "dictionary", "", "", "Data dictionary"


def read_report(data: Dataset, quarter: pd.Period, folder: Path) -> Report:
    """The quarter's executed notebooks, one per page the contract names, each checked to be
    for this quarter and made from this data; every problem is listed at once."""
    if not folder.is_dir():
        raise PublishError(
            f"{folder} does not exist: run `pmf run --quarter '{quarter_label(quarter)}'` first"
        )
    slug = quarter_slug(quarter)
    pages, problems, executed = [], [], []
    for kind, page_id, parent, fallback in _expected_pages(data):
        path = folder / (f"{kind}-{page_id}.ipynb" if page_id else f"{kind}.ipynb")
        if not path.is_file():
            problems.append(f"{path}: missing")
            continue
        meta = nbformat.read(path, as_version=4).metadata.get("pmf", {})
        if meta.get("slug") != slug:
            problems.append(f"{path}: made for quarter {meta.get('slug')!r}, not {slug!r}")
        if meta.get("data_fingerprint") != data.fingerprint:
            problems.append(
                f"{path}: made from data {meta.get('data_fingerprint')!r}, but the data folder "
                f"is now {data.fingerprint!r}"
            )
        executed.append(str(meta.get("produced", "")))
        pages.append(ReportPage(kind, page_id, str(meta.get("title") or fallback), path, parent))
    if problems:
        summary = f"{len(problems)} problem(s): run `pmf run` for {quarter_label(quarter)}."
        raise PublishError("\n".join([*problems, summary]))
    return Report(quarter, data, tuple(pages), max(executed))


def code_version() -> str:
    """The code version as the footers print it; the runner's stamp is the one source."""
    from .runner import code_version as stamp

    return f"pmf-utils {stamp()}"


def publish_quarter(
    data: Dataset,
    quarter: pd.Period | None = None,
    *,
    project: Project | None = None,
    reports_dir: Path | None = None,
    site_dir: Path | None = None,
    engine: str = "auto",
    force: bool = False,
    marks: Marks = UNMARKED,
) -> Publication:
    """Publish one quarter's executed notebooks into the site, atomically.

    The project gives the folders and its Quarto set-up (``_quarto.yml``, ``_extensions/``, the
    package's when it has none); without one, ``site_dir`` (and ``reports_dir``) must be given.

    Raises ``PublishError`` when the input is wrong (nothing is built) and
    ``site.RenderError`` when a build step fails (nothing is changed).
    """
    quarter = quarter if quarter is not None else data.latest_quarter()
    engine = choose_engine(engine)
    if project is None:
        if site_dir is None or reports_dir is None:
            raise TypeError("publish_quarter needs a project, or both reports_dir and site_dir")
        project = Project(Path(site_dir).resolve().parent)
    reports_dir = Path(reports_dir or project.reports_dir)
    site_dir = Path(site_dir or project.site_dir)
    report = read_report(data, quarter, reports_dir / quarter_slug(quarter))
    site_dir.mkdir(parents=True, exist_ok=True)
    done: list[Publication] = []
    try:
        _publish(report, project, site_dir, engine, force, done, marks)
    except KeyboardInterrupt:
        where = (
            f"was published in full in {site_dir}"
            if done
            else f"was not published; {site_dir} was left as it was"
        )
        raise Interrupted(f"Interrupted: {quarter_label(quarter)} {where}.") from None
    return done[0]


def _publish(
    report: Report,
    project: Project,
    site_dir: Path,
    engine: str,
    force: bool,
    done: list[Publication],
    marks: Marks,
) -> None:
    """Build in a temporary folder, then replace the published quarter with signals held
    back, so an interruption leaves the site as it was or fully replaced (``done`` says)."""
    slug = report.slug
    with _lock(site_dir):
        published = site_dir / slug
        if published.exists() and not force:
            raise PublishError(
                f"{quarter_label(report.quarter)} is already published in {published}; use "
                "--force to publish it again (the earlier version is kept beside the new one)"
            )
        now = datetime.now(UTC).replace(microsecond=0)
        stamp = {**_stamp(report, now, marks.notices), **marks.record}
        with tempfile.TemporaryDirectory(prefix=f".{slug}-build-", dir=site_dir.parent) as tmp:
            build = Path(tmp)
            quarter_out, manifest = _build_quarter(
                report, project, build / "quarter", stamp, engine
            )
            superseded = None
            if published.exists():
                superseded = site_dir / f"{slug}{SUPERSEDED}{now:%Y%m%dT%H%M%SZ}"
            front_out = _build_front(
                _manifests(site_dir, published, superseded, manifest),
                project,
                build / "front",
                stamp,
                engine,
            )
            with signals_held():
                _commit(site_dir, published, superseded, quarter_out, front_out, build / "old")
                done.append(
                    Publication(
                        quarter=quarter_label(report.quarter),
                        engine=engine,
                        site_index=site_dir / "index.html",
                        quarter_index=published / "index.html",
                        booklets=tuple(published / b["href"] for b in manifest["booklets"]),
                        superseded=superseded,
                    )
                )


@contextlib.contextmanager
def _lock(site_dir: Path) -> Iterator[None]:
    """One publish at a time per site (a scheduled run and a person may overlap)."""
    with open(site_dir.parent / f".{site_dir.name}.lock", "w") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        yield


def _stamp(report: Report, now: datetime, notices: Sequence[str] = ()) -> dict[str, Any]:
    """The production stamp and the notices every page and booklet page carries."""
    plan = report.data.plan
    notice = " ".join(notices)
    if plan.illustrative:
        notice += (
            f" Illustrative data: the figures in this report were made up to show how it works. "
            f"They are not {plan.council}'s real performance figures."
        )
    return {
        "council": plan.council,
        "plan": plan.plan_title,
        "quarter": quarter_label(report.quarter),
        "period": describe_period(report.quarter),
        "produced": f"{now:%-d %B %Y at %H:%M} UTC",
        "published": now.isoformat(),
        "fingerprint": report.data.fingerprint,
        "version": code_version(),
        "notice": notice.strip(),
    }


# --- the quarter's project -----------------------------------------------------------------


def _build_quarter(
    report: Report, source: Project, project: Path, stamp: Mapping[str, Any], engine: str
) -> tuple[Path, dict[str, Any]]:
    """Write and render the quarter's project (a build folder, set up from the council's
    project ``source``); return its output folder and manifest."""
    shutil.copytree(source.extensions, project / "_extensions")
    figures = report.folder / "figures"
    if figures.is_dir():
        shutil.copytree(figures, project / "figures")
    prepared = {page: _prepare_page(report, page, project) for page in report.pages}
    sources = [f"{p.source.stem}.ipynb" for p in report.pages]
    navbar = _navbar([p.entry() for p in report.pages], "", "downloads.html", "../archive.html")
    footer = f"{_footer(stamp)}\n\n[Accessibility statement](../accessibility.html)"
    _write_config(
        source, project, stamp, ["index.qmd", *sources, "downloads.qmd"], navbar, footer
    )
    booklets = _write_booklets(report, project, stamp, {p: c for p, (c, _) in prepared.items()})
    out = project / "_site"
    _render_booklets(project, booklets, engine)
    manifest = {
        **stamp,
        "slug": report.slug,
        "executed": report.executed,
        "engine": engine,
        "illustrative": report.data.plan.illustrative,
        "pages": [page.entry() for page in report.pages],
        "booklets": [
            _file(out, out / path.relative_to(project).with_suffix(".pdf"), title)
            for path, title in booklets
        ],
        "data": [item for _, offered in prepared.values() for item in offered],
    }
    for name in ("index.qmd", "downloads.qmd"):
        _write_page(
            project / name,
            f"quarter-{name}.j2",
            report=manifest,
            prefix="",
            tree=_tree(manifest["pages"]),
            groups=_groups(manifest),
        )
    _render_site(project, engine)
    (out / MANIFEST).write_text(json.dumps(manifest, indent=2, ensure_ascii=False), "utf-8")
    return out, manifest


def _prepare_page(
    report: Report, page: ReportPage, project: Path
) -> tuple[list[nbformat.NotebookNode], list[dict[str, Any]]]:
    """Copy a page notebook into the build: its title in the front matter (and not again as
    its first heading), headings under the page title, where it sits in the plan, and a CSV
    link under each chart. Returns the page's cells after its front matter, and the CSV files
    it offers."""
    notebook = nbformat.read(page.source, as_version=4)
    head, cells = site.notebook_front_matter(notebook.cells)
    head.update(title=md.text(page.title), subtitle=md.text(quarter_label(report.quarter)))
    _drop_title_heading(cells, page.title)
    if 1 in heading_levels(cells):
        head["shift-heading-level-by"] = 1
    context = _context_line(report, page)
    if context:
        cells.insert(0, nbformat.v4.new_markdown_cell(context))
    header = yaml.safe_dump(head, allow_unicode=True, sort_keys=False)
    offered: list[dict[str, Any]] = []
    slots = list(markdown_slots(cells))
    linked = {m for h, k in slots for m in re.findall(r"figures/[^)\s]+\.csv", h[k])}

    def add_link(match: re.Match[str]) -> str:
        csv = project / f"{match['stem']}.csv"
        if not csv.is_file():
            return match[0]
        entry = _file(project, csv, match["caption"].strip() or csv.stem)
        if all(item["href"] != entry["href"] for item in offered):
            offered.append({**entry, "page": page.href})
        if entry["href"] in linked:
            return match[0]
        label = f"Download the data behind this chart (CSV, {_size(entry['bytes'])})"
        return f"{match['image']}\n\n[{label}]({entry['href']}){{.pmf-download}}"

    for holder, key in slots:
        holder[key] = _FIGURE.sub(add_link, holder[key])
    notebook.cells = [nbformat.v4.new_raw_cell(f"---\n{header}---"), *cells]
    nbformat.write(notebook, project / page.source.name)
    return cells, offered


def _drop_title_heading(cells: list[nbformat.NotebookNode], title: str) -> None:
    """Remove the page's first heading when it is the page title at level 1 (as read: escapes
    undone): the title is set once, from the notebook's metadata, by the page template and the
    booklet part."""
    title_line = re.compile(r"#[ \t]+(?P<words>.*?)[ \t]*(?:(?<!\\)\{[^}\n]*\})?[ \t]*(?:\n|$)")
    for holder, key in markdown_slots(cells):
        text = holder[key]
        first = site.HEADING.search(text)
        if first:
            match = title_line.match(text, first.start())
            if match and re.sub(r"\\(.)", r"\1", match["words"]) == title:
                holder[key] = text[: match.start()] + text[match.end() :]
            return


def _context_line(report: Report, page: ReportPage) -> str:
    """'Part of …' links up the plan: a KPI to its priority and ambition."""
    chain, current = [], page
    while current.kind in _PARENT:
        kind = _PARENT[current.kind]
        current = next(p for p in report.of(kind) if p.id == current.parent)
        chain.append(f"[{md.text(current.title)}]({current.href})")
    return f"::: {{.pmf-context}}\nPart of {' in '.join(chain)}\n:::" if chain else ""


def _write_booklets(
    report: Report,
    project: Path,
    stamp: Mapping[str, Any],
    cells: Mapping[ReportPage, list[nbformat.NotebookNode]],
) -> list[tuple[Path, str]]:
    """The booklet notebooks, made of the build's page copies: the whole plan, then one per
    priority."""
    label = quarter_label(report.quarter)

    def front(title: str, kicker: str, heading: str, depth: int, **where: str) -> dict[str, Any]:
        pmf = {k: stamp[k] for k in ("council", "plan", "produced", "fingerprint", "version")}
        pmf |= {"kicker": kicker, "heading": heading, "quarter": stamp["period"], **where}
        if stamp["notice"]:
            pmf["notice"] = stamp["notice"]
        # Metadata is pandoc markdown to both engines: data text in it is escaped.
        return {
            "title": md.text(f"{title} – {label} – {stamp['plan']}"),
            "lang": "en-GB",
            "toc-depth": depth,
            "format": booklet.FORMAT,
            "pmf": {key: md.text(value) for key, value in pmf.items()},
        }

    def part(page: ReportPage, level: int, title: str = "") -> booklet.Part:
        return booklet.Part(title or page.title, page.source.stem, level, tuple(cells[page]))

    dictionary = report.page("dictionary")
    whole = [part(report.page("overview"), 1), part(report.page("exceptions"), 1)]
    for ambition in report.of("ambition"):
        whole.append(part(ambition, 1))
        for priority in report.of("priority", ambition.id):
            whole.append(part(priority, 2))
            whole.extend(part(kpi, 3) for kpi in report.of("kpi", priority.id))
    whole.append(part(dictionary, 1, "Appendix: data dictionary"))
    written = [
        (
            booklet.write_booklet(
                project,
                f"whole-plan-{report.slug}",
                front("Whole plan", "Delivery report", stamp["plan"], 2),
                whole,
            ),
            "Whole plan: every ambition, priority and measure",
        )
    ]
    ambitions = {a.id: a for a in report.of("ambition")}
    for priority in report.of("priority"):
        kpis = report.of("kpi", priority.id)
        parts = [part(priority, 1), *(part(kpi, 1) for kpi in kpis)]
        parts.append(
            booklet.definitions_part(
                cells[dictionary], [k.id for k in kpis], "Appendix: definitions", 1
            )
        )
        meta = front(
            priority.title,
            "Priority",
            priority.title,
            1,
            ambition=ambitions[priority.parent].title,
            priority=priority.title,
        )
        path = booklet.write_booklet(project, f"priority-{priority.id}-{report.slug}", meta, parts)
        written.append((path, priority.title))
    return written


# --- the site's front pages ----------------------------------------------------------------


def _manifests(
    site_dir: Path, published: Path, superseded: Path | None, new: Mapping[str, Any]
) -> list[dict[str, Any]]:
    """Every quarter the site will hold after this publish, newest first."""
    found = []
    for path in sorted(site_dir.glob(f"*/{MANIFEST}")):
        entry = json.loads(path.read_text("utf-8"))
        folder = path.parent
        if folder == published and superseded is not None:
            folder = superseded
        found.append({**entry, "folder": folder.name})
    found.append({**new, "folder": published.name})
    for entry in found:
        entry["superseded"] = SUPERSEDED in entry["folder"]
        entry["status"] = "Replaced" if entry["superseded"] else "Current"
        when = datetime.fromisoformat(entry["published"])
        entry["published_text"] = f"{when:%-d %b %Y %H:%M} UTC"
    return sorted(
        found, key=lambda e: (e["slug"], not e["superseded"], e["published"]), reverse=True
    )


def _build_front(
    quarters: Sequence[Mapping[str, Any]],
    source: Project,
    project: Path,
    stamp: Mapping[str, Any],
    engine: str,
) -> Path:
    """Write and render the front pages' project; return its output folder."""
    latest = next(q for q in quarters if not q["superseded"])
    prefix = f"{latest['folder']}/"
    shutil.copytree(source.extensions, project / "_extensions")
    navbar = _navbar(latest["pages"], prefix, "downloads.html", "archive.html")
    footer = f"{_footer(stamp)}\n\n[Accessibility statement](accessibility.html)"
    names = ["index.qmd", "archive.qmd", "downloads.qmd", "accessibility.qmd"]
    _write_config(source, project, stamp, names, navbar, footer)
    values = {
        "latest": latest,
        "quarters": quarters,
        "prefix": prefix,
        "tree": _tree(latest["pages"]),
        "updated": stamp["produced"],
    }
    for name in names:
        template = "front-index.qmd.j2" if name == "index.qmd" else f"{name}.j2"
        _write_page(project / name, template, **values)
    _render_site(project, engine)
    return project / "_site"


def _commit(
    site_dir: Path,
    published: Path,
    superseded: Path | None,
    quarter_out: Path,
    front_out: Path,
    replaced: Path,
) -> None:
    """Move the finished build into the site: a handful of renames on one file system."""
    replaced.mkdir()
    if superseded is not None:
        published.rename(superseded)
    quarter_out.rename(published)
    for entry in sorted(front_out.iterdir()):
        target = site_dir / entry.name
        if target.exists():
            target.rename(replaced / entry.name)
        entry.rename(target)


# --- shared by both projects ---------------------------------------------------------------


def _navbar(pages: Sequence[Mapping[str, str]], prefix: str, downloads: str, archive: str) -> dict:
    """The navigation: overview, ambitions, priorities, exceptions, data dictionary,
    downloads, earlier quarters (``pages`` as a manifest lists them)."""

    def menu(kind: str) -> list[dict[str, str]]:
        return [
            {"text": md.text(p["title"]), "href": f"{prefix}{p['href']}"}
            for p in pages
            if p["kind"] == kind
        ]

    return {
        "left": [
            {"text": "Overview", "href": f"{prefix}overview.html"},
            {"text": "Ambitions", "menu": menu("ambition")},
            {"text": "Priorities", "menu": menu("priority")},
            {"text": "Exceptions", "href": f"{prefix}exceptions.html"},
            {"text": "Data dictionary", "href": f"{prefix}dictionary.html"},
            {"text": "Downloads", "href": downloads},
            {"text": "Earlier quarters", "href": archive},
        ]
    }


def _footer(stamp: Mapping[str, Any]) -> str:
    return (
        f"{md.text(stamp['council'])}, {md.text(stamp['plan'])}. "
        f"Produced {md.text(stamp['produced'])} from data fingerprint "
        f"`{stamp['fingerprint']}` by {md.text(stamp['version'])}."
    )


def _write_config(
    source: Project,
    project: Path,
    stamp: Mapping[str, Any],
    render: Sequence[str],
    navbar: Mapping[str, Any],
    footer: str,
) -> None:
    """The project's ``_quarto.yml``: the committed one with this build's data filled in."""
    config = copy.deepcopy(_base_config(source.quarto_config))
    config["project"]["render"] = list(render)
    website = config.setdefault("website", {})
    website.update(
        title=md.text(f"{stamp['council']}: {stamp['plan']}"),
        navbar=navbar,
        **{"page-footer": footer},
    )
    if stamp["notice"]:
        website["announcement"] = {
            "content": f"**{md.text(stamp['notice'])}**",
            "type": "warning",
            "dismissable": False,
            "position": "below-navbar",
        }
    config["pmf"] = {"council": stamp["council"], "plan": stamp["plan"]}
    fonts = config.setdefault("format", {}).setdefault(booklet.FORMAT, {})
    fonts["font-paths"] = [str(Path(matplotlib.get_data_path()) / "fonts" / "ttf")]
    text = yaml.safe_dump(config, allow_unicode=True, sort_keys=False)
    (project / "_quarto.yml").write_text(text, "utf-8")


@cache
def _base_config(path: Path) -> dict[str, Any]:
    return site.load_yaml(path.read_text("utf-8"))


def _render_booklets(project: Path, booklets: Sequence[tuple[Path, str]], engine: str) -> None:
    if engine == "quarto":
        for path, _ in booklets:
            _quarto(project, str(path.relative_to(project)), "--to", booklet.FORMAT)
        return
    booklet.render_booklets(project, [path for path, _ in booklets])


def _render_site(project: Path, engine: str) -> None:
    if engine == "quarto":
        _quarto(project, "--no-clean")
    else:
        site.render_website(project)


def _quarto(project: Path, *args: str) -> None:
    result = subprocess.run(
        ["quarto", "render", *args], cwd=project, capture_output=True, text=True
    )
    if result.returncode:
        raise RenderError(f"quarto render {' '.join(args)} failed:\n{result.stderr[-4000:]}")


@cache
def _markdown_templates() -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(site.TEMPLATES),
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        undefined=jinja2.StrictUndefined,
        # Every {{ value }} is data text unless a filter made it Markdown: escaped by default.
        finalize=md.text,
    )
    env.filters.update(size=_size, yaml=_yaml_string, url=_url)
    return env


def _yaml_string(value: object) -> md.Markdown:
    """A front matter value: the text escaped for markdown, quoted for YAML (JSON's quoting)."""
    return md.Markdown(json.dumps(md.text(value), ensure_ascii=False))


def _url(value: object) -> md.Markdown:
    """A link target the publisher made (a relative path), percent-encoded."""
    return md.Markdown(quote(str(value), safe="/#"))


def _write_page(path: Path, template: str, **values: Any) -> None:
    path.write_text(_markdown_templates().get_template(template).render(**values), "utf-8")


def _tree(pages: Sequence[Mapping[str, str]]) -> list[dict[str, Any]]:
    """Ambitions with their priorities with their KPIs, from a manifest's pages."""

    def under(kind: str, parent: str) -> list[dict[str, Any]]:
        return [
            {**p, "children": under(_CHILD.get(kind, ""), p["id"])}
            for p in pages
            if p["kind"] == kind and p["parent"] == parent
        ]

    return under("ambition", "")


def _groups(manifest: Mapping[str, Any]) -> list[dict[str, Any]]:
    """The CSV files of a quarter grouped by the page they belong to, in reading order."""
    groups = []
    for page in manifest["pages"]:
        files = [item for item in manifest["data"] if item["page"] == page["href"]]
        if files:
            groups.append({"title": page["title"], "href": page["href"], "files": files})
    return groups


def _file(root: Path, path: Path, title: str) -> dict[str, Any]:
    """A downloadable file as the manifest and the download pages list it."""
    return {"title": title, "href": path.relative_to(root).as_posix(), "bytes": path.stat().st_size}


def _size(count: int) -> str:
    """A file size as GOV.UK writes it: 850 KB, 1.2 MB."""
    if count < 1_000_000:
        return f"{max(1, round(count / 1000))} KB"
    return f"{count / 1_000_000:.1f} MB"


# --- the command line ----------------------------------------------------------------------


def render_command(args: argparse.Namespace) -> int:
    """``pmf render``: publish already executed notebooks and print what was written."""
    project = find_project(args.project)
    data = load(find_data_dir(args.data, args.project))
    engine = args.engine or project.settings["engine"]
    quarter = args.quarter or data.latest_quarter()
    gate = signoff.gate(
        data, quarter, required=project.settings["require_approval"], allow=args.allow_unapproved
    )
    if gate.refusal:
        print(gate.refusal, file=sys.stderr)
        return 2
    try:
        with project_lock(project.root):
            return publish_and_report(
                data, quarter, project=project, engine=engine, force=args.force, marks=gate.marks
            )
    except Busy as error:
        print(error, file=sys.stderr)
        return 1


def publish_and_report(
    data: Dataset,
    quarter: pd.Period | None,
    *,
    project: Project,
    engine: str = "auto",
    force: bool = False,
    marks: Marks = UNMARKED,
) -> int:
    """Publish and tell the person at the keyboard: the engine used, then the paths of the
    site and the booklets; or what went wrong. Returns the command's exit status (0 published,
    1 the build failed, 2 the input cannot be published as asked)."""
    try:
        publication = publish_quarter(
            data, quarter, project=project, engine=engine, force=force, marks=marks
        )
    except PublishError as error:
        print(error, file=sys.stderr)
        return 2
    except RenderError as error:
        print(f"{error}\nThe published site was not changed.", file=sys.stderr)
        return 1
    except OSError as error:
        if error.errno != errno.ENOSPC:
            raise
        print(
            f"The disk is full ({error.filename or project.site_dir}): the published site was not "
            "changed; free some space and run again.",
            file=sys.stderr,
        )
        return 1
    missing = publication.engine == "builtin" and shutil.which("quarto") is None
    why = " (the quarto command is not on PATH)" if missing else ""
    name = _ENGINE_NAMES[publication.engine]
    print(f"Published {publication.quarter} with the {name} engine{why}.")
    if publication.superseded:
        print(f"The earlier version is kept in {publication.superseded.resolve()}")
    print(f"Site: {publication.site_index.resolve()}")
    print(f"This quarter: {publication.quarter_index.resolve()}")
    print("Booklets:")
    for path in publication.booklets:
        print(f"  {path.resolve()}")
    return 0
