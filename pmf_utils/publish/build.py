"""The two Quarto website projects a publish renders in its build folder: the quarter's pages
and booklets (page notebooks copied with their titles, context and CSV links; booklet
notebooks assembled from them) and the site's front pages (latest quarter, archive,
downloads, accessibility statement)."""

from __future__ import annotations

import json
import re
import shutil
from collections.abc import Mapping, Sequence
from dataclasses import replace
from datetime import datetime
from functools import partial
from pathlib import Path
from typing import Any

import nbformat
import yaml

from pmf_utils.data.periods import quarter_label
from pmf_utils.data.words import in_sentence
from pmf_utils.pages import markdown as md
from pmf_utils.project import Project
from pmf_utils.publish import booklet
from pmf_utils.publish.documents import (
    HEADING,
    heading_levels,
    markdown_slots,
    new_cell,
    notebook_front_matter,
    read_notebook,
    write_notebook,
)
from pmf_utils.publish.executed import PARENT, Report, ReportPage
from pmf_utils.publish.projects import (
    copy_extensions,
    file_entry,
    footer_text,
    groups,
    navigation,
    render_booklets,
    render_site,
    size_text,
    tree,
    write_config,
    write_page,
)
from pmf_utils.publish.reuse import OUTPUTS, Earlier

MANIFEST = "pmf-quarter.json"
"""Each published quarter's record of what it holds, read back by the archive."""
SUPERSEDED = ".superseded-"
_FIGURE = re.compile(
    r"^(?P<image>!\[(?P<caption>[^\]\n]*)\]"  # ![caption]
    r"\((?P<stem>figures/[^)\s]+)\.(?:svg|png)\)"  # (figures/name.svg)
    r"(?:\{[^}\n]*\})?)[ \t]*$",  # {fig-alt="..."}, alone on its line
    re.MULTILINE,
)


def build_quarter(
    report: Report,
    source: Project,
    project: Path,
    stamp: Mapping[str, Any],
    engine: str,
    earlier: Earlier | None = None,
) -> tuple[Path, dict[str, Any]]:
    """Write and render the quarter's project (a build folder, set up from the council's
    project ``source``), keeping what did not change since it was published (``earlier``);
    return its output folder and manifest."""
    earlier = earlier or Earlier()
    copy_extensions(source, project)
    figures = report.folder / "figures"
    if figures.is_dir():
        shutil.copytree(figures, project / "figures", copy_function=partial(earlier.copy, project))
    prepared = {page: _prepare_page(report, page, project) for page in report.pages}
    sources = [f"{p.source.stem}.ipynb" for p in report.pages]
    entries = [p.entry() for p in report.pages]
    navbar = navigation(entries, "", "downloads.html", "../archive.html", stamp["words"])
    footer = f"{footer_text(stamp)}\n\n[Accessibility statement](../accessibility.html)"
    pages = ["index.qmd", *sources, "downloads.qmd"]
    write_config(source, project, stamp, pages, navbar, footer)
    booklets = _write_booklets(report, project, stamp, {p: c for p, (c, _) in prepared.items()})
    out = project / "_site"
    # The booklets are in `project.render` while they render, or Quarto treats them as outside
    # the project and looks for `_extensions/pmf` beside them (quarto-dev/quarto-cli#13436);
    # then out again, so that the site render makes web pages only.
    in_project = [path.relative_to(project).as_posix() for path, _ in booklets]
    write_config(source, project, stamp, [*pages, *in_project], navbar, footer)
    render_booklets(project, booklets, engine, earlier)
    write_config(source, project, stamp, pages, navbar, footer)
    manifest = {
        **stamp,
        "slug": report.slug,
        "executed": report.executed,
        "engine": engine,
        "illustrative": report.data.plan.illustrative,
        "pages": [page.entry() for page in report.pages],
        "booklets": [
            file_entry(out, out / path.relative_to(project).with_suffix(".pdf"), title)
            for path, title in booklets
        ],
        "data": [item for _, offered in prepared.values() for item in offered],
    }
    for name in ("index.qmd", "downloads.qmd"):
        write_page(
            project / name,
            f"quarter-{name}.j2",
            report=manifest,
            prefix="",
            tree=tree(manifest["pages"]),
            groups=groups(manifest),
        )
    render_site(project, engine, earlier)
    (out / MANIFEST).write_text(json.dumps(manifest, indent=2, ensure_ascii=False), "utf-8")
    (out / OUTPUTS).write_text(json.dumps(earlier.made, indent=1, sort_keys=True), "utf-8")
    return out, manifest


def _prepare_page(
    report: Report, page: ReportPage, project: Path
) -> tuple[list[nbformat.NotebookNode], list[dict[str, Any]]]:
    """Copy a page notebook into the build: its title in the front matter (and not again as
    its first heading), headings under the page title, where it sits in the plan, and a CSV
    link under each chart. Returns the page's cells after its front matter, and the CSV files
    it offers."""
    notebook = read_notebook(page.source)
    head, cells = notebook_front_matter(notebook.cells)
    head.update(title=md.text(page.title), subtitle=md.text(quarter_label(report.quarter)))
    _drop_title_heading(cells, page.title)
    if 1 in heading_levels(cells):
        head["shift-heading-level-by"] = 1
    context = _context_line(report, page)
    if context:
        cells.insert(0, new_cell("markdown", context))
    header = yaml.safe_dump(head, allow_unicode=True, sort_keys=False)
    offered: list[dict[str, Any]] = []
    slots = list(markdown_slots(cells))
    linked = {m for h, k in slots for m in re.findall(r"figures/[^)\s]+\.csv", h[k])}

    def add_link(match: re.Match[str]) -> str:
        csv = project / f"{match['stem']}.csv"
        if not csv.is_file():
            return match[0]
        entry = file_entry(project, csv, match["caption"].strip() or csv.stem)
        if all(item["href"] != entry["href"] for item in offered):
            offered.append({**entry, "page": page.href})
        if entry["href"] in linked:
            return match[0]
        label = f"Download the data behind this chart (CSV, {size_text(entry['bytes'])})"
        return f"{match['image']}\n\n[{label}]({entry['href']}){{.pmf-download}}"

    for holder, key in slots:
        holder[key] = _FIGURE.sub(add_link, holder[key])
    notebook.cells = [new_cell("raw", f"---\n{header}---"), *cells]
    write_notebook(notebook, project / page.source.name)
    return cells, offered


def _drop_title_heading(cells: list[nbformat.NotebookNode], title: str) -> None:
    """Remove the page's first heading when it is the page title at level 1 (as read: escapes
    undone): the title is set once, from the notebook's metadata, by the page template and the
    booklet part."""
    title_line = re.compile(r"#[ \t]+(?P<words>.*?)[ \t]*(?:(?<!\\)\{[^}\n]*\})?[ \t]*(?:\n|$)")
    for holder, key in markdown_slots(cells):
        text = holder[key]
        first = HEADING.search(text)
        if first:
            match = title_line.match(text, first.start())
            if match and re.sub(r"\\(.)", r"\1", match["words"]) == title:
                holder[key] = text[: match.start()] + text[match.end() :]
            return


def _context_line(report: Report, page: ReportPage) -> str:
    """'Part of …' links up the plan: a KPI to its priority and ambition."""
    chain, current = [], page
    while current.kind in PARENT:
        kind = PARENT[current.kind]
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
    words = report.data.plan.words

    def front(title: str, kicker: str, heading: str, depth: int, **where: str) -> dict[str, Any]:
        pmf = {k: stamp[k] for k in ("council", "plan", "produced", "fingerprint", "version")}
        pmf |= {"kicker": kicker, "heading": heading, "quarter": stamp["period"], **where}
        pmf |= {"ambition-label": words.ambition, "priority-label": words.priority}
        if stamp["notice"]:
            pmf["notice"] = stamp["notice"]
        # Metadata is pandoc markdown to both engines: data text in it is escaped.
        return {
            "title": md.text(f"{title} – {label} – {stamp['plan']}"),
            "lang": "en-GB",
            "toc-depth": depth,
            "format": booklet.FORMAT,
            # Every booklet opens on its dashboard (the whole plan's is its headline figures)
            # under a title band: no cover or contents page; the PDF's bookmarks list the parts.
            "pmf": {**{key: md.text(value) for key, value in pmf.items()}, "compact": True},
        }

    def part(page: ReportPage, level: int, title: str = "") -> booklet.Part:
        return booklet.Part(title or page.title, page.source.stem, level, tuple(cells[page]))

    # The whole plan, for Cabinet and Scrutiny: headline figures and every KPI's icons, the
    # exceptions with their commentary, then each priority's page without its KPIs' detail
    # (full histories are in the priority booklets and on the site).
    whole = [booklet.without_detail(part(report.page("overview"), 1))]
    whole.append(part(report.page("exceptions"), 1))
    for ambition in report.of("ambition"):
        whole.append(part(ambition, 1))
        whole.extend(
            booklet.without_detail(part(priority, 2))
            for priority in report.of("priority", ambition.id)
        )
    written = [
        (
            booklet.write_booklet(
                project,
                f"whole-plan-{report.slug}",
                front("Whole plan", "Delivery report", stamp["plan"], 2),
                whole,
            ),
            "Whole plan: every KPI at a glance, the exceptions and each "
            f"{in_sentence(words.priority)}",
        )
    ]
    dictionary = report.page("dictionary")
    ambitions = {a.id: a for a in report.of("ambition")}
    for priority in report.of("priority"):
        kpis = report.of("kpi", priority.id)
        pages = [replace(part(kpi, 1), fit_page=True) for kpi in kpis]
        parts = [part(priority, 1), *pages]
        parts.append(
            booklet.definitions_part(
                cells[dictionary], [k.id for k in kpis], "Appendix: definitions", 1
            )
        )
        meta = front(
            priority.title,
            words.priority,
            priority.title,
            1,
            ambition=ambitions[priority.parent].title,
            priority=priority.title,
        )
        path = booklet.write_booklet(project, f"priority-{priority.id}-{report.slug}", meta, parts)
        written.append((path, priority.title))
    return written


def manifests(
    site_dir: Path, published: Path, superseded: Path | None, new: Mapping[str, Any]
) -> list[dict[str, Any]]:
    """Every quarter the site will hold after this publish, newest first."""
    found = []
    for path in sorted(site_dir.glob(f"*/{MANIFEST}")):
        entry = json.loads(path.read_text("utf-8"))
        folder = path.parent
        if folder == published:
            if superseded is None:
                continue  # replaced, not kept
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


def build_front(
    quarters: Sequence[Mapping[str, Any]],
    source: Project,
    project: Path,
    stamp: Mapping[str, Any],
    engine: str,
    cache: Path | None = None,
) -> Path:
    """Write and render the front pages' project; return its output folder. Pandoc's
    conversions are kept in ``cache`` (the menu's words are the quarter's)."""
    latest = next(q for q in quarters if not q["superseded"])
    prefix = f"{latest['folder']}/"
    copy_extensions(source, project)
    navbar = navigation(latest["pages"], prefix, "downloads.html", "archive.html", stamp["words"])
    footer = f"{footer_text(stamp)}\n\n[Accessibility statement](accessibility.html)"
    names = ["index.qmd", "archive.qmd", "downloads.qmd", "accessibility.qmd"]
    write_config(source, project, stamp, names, navbar, footer)
    values = {
        "latest": latest,
        "quarters": quarters,
        "prefix": prefix,
        "tree": tree(latest["pages"]),
        "updated": stamp["produced"],
        "words": stamp["words"],
    }
    for name in names:
        template = "front-index.qmd.j2" if name == "index.qmd" else f"{name}.j2"
        write_page(project / name, template, **values)
    render_site(project, engine, Earlier(cache=cache))
    return project / "_site"
