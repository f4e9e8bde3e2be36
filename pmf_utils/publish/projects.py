"""What both build projects share: the ``_quarto.yml`` filled in from the data and the run,
the navigation and footer, the markdown pages written from Jinja templates (every value
escaped by default), and rendering with Quarto or the built-in engine."""

from __future__ import annotations

import copy
import json
import shutil
import subprocess
from collections.abc import Mapping, Sequence
from functools import cache
from pathlib import Path
from typing import Any
from urllib.parse import quote

import jinja2
import matplotlib
import yaml

from pmf_utils.data.words import in_sentence
from pmf_utils.pages import markdown as md
from pmf_utils.pandoc import TEMPLATES, RenderError
from pmf_utils.project import Project
from pmf_utils.publish import booklet, quarto_pages, site
from pmf_utils.publish.documents import load_yaml
from pmf_utils.publish.executed import CHILD
from pmf_utils.publish.reuse import Earlier, keep


def navigation(
    pages: Sequence[Mapping[str, str]],
    prefix: str,
    downloads: str,
    archive: str,
    words: Mapping[str, str],
) -> dict:
    """The navigation: overview, ambitions, priorities (as the plan's ``words`` call them),
    exceptions, data dictionary, downloads, earlier quarters (``pages`` as a manifest lists
    them)."""

    def menu(kind: str) -> list[dict[str, str]]:
        return [
            {"text": md.text(p["title"]), "href": f"{prefix}{p['href']}"}
            for p in pages
            if p["kind"] == kind
        ]

    return {
        "left": [
            {"text": "Overview", "href": f"{prefix}overview.html"},
            {"text": md.text(words["ambitions"]), "menu": menu("ambition")},
            {"text": md.text(words["priorities"]), "menu": menu("priority")},
            {"text": "Exceptions", "href": f"{prefix}exceptions.html"},
            {"text": "Data dictionary", "href": f"{prefix}dictionary.html"},
            {"text": "Downloads", "href": downloads},
            {"text": "Earlier quarters", "href": archive},
        ]
    }


def footer_text(stamp: Mapping[str, Any]) -> str:
    return (
        f"{md.text(stamp['council'])}, {md.text(stamp['plan'])}. "
        f"Produced {md.text(stamp['produced'])} from data fingerprint "
        f"`{stamp['fingerprint']}` by {md.text(stamp['version'])}."
    )


def write_config(
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
    return load_yaml(path.read_text("utf-8"))


def render_booklets(
    project: Path, booklets: Sequence[tuple[Path, str]], engine: str, earlier: Earlier | None = None
) -> None:
    """Render the booklets whose inputs changed since they were published (``earlier``), keep
    the others."""
    earlier = earlier or Earlier()
    todo = []
    made_by = earlier.made_by(project, engine)
    for path, _ in booklets:
        name = path.relative_to(project).with_suffix(".pdf").as_posix()
        found = earlier.booklet(name, earlier.booklet_inputs(made_by, path))
        if found is None:
            todo.append(path)
            continue
        target = project / "_site" / name
        target.parent.mkdir(parents=True, exist_ok=True)
        keep(found, target)
    if engine == "quarto":
        for path in todo:
            quarto(project, str(path.relative_to(project)), "--to", booklet.FORMAT)
    elif todo:
        booklet.render_booklets(project, todo)


def copy_extensions(source: Project, project: Path) -> None:
    """The project's Quarto extensions, with the site's stylesheet beside the HTML format's
    theme: one page design for both engines (the built-in engine links the same file)."""
    # Linked, not copied (the build only reads them; ``keep`` never writes through a link).
    shutil.copytree(source.extensions, project / "_extensions", copy_function=keep)
    keep(site.STATIC / "site.css", project / "_extensions" / "pmf" / "site.css")


def render_site(project: Path, engine: str, earlier: Earlier | None = None) -> None:
    """Render a project's web pages, keeping the published pages that only their stamp would
    change (``earlier``)."""
    if engine == "quarto":
        # Web pages only: every format in the project would give each page a PDF as well.
        quarto(project, "--to", "pmf-html", "--no-clean")
        quarto_pages.finish_site(project / "_site", earlier)
    else:
        site.render_website(project, earlier)


def quarto(project: Path, *args: str) -> None:
    result = subprocess.run(
        ["quarto", "render", *args], cwd=project, capture_output=True, text=True
    )
    if result.returncode:
        raise RenderError(f"quarto render {' '.join(args)} failed:\n{result.stderr[-4000:]}")


@cache
def _markdown_templates() -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(TEMPLATES),
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        undefined=jinja2.StrictUndefined,
        # Every {{ value }} is data text unless a filter made it Markdown: escaped by default.
        finalize=md.text,
    )
    env.filters.update(size=size_text, yaml=_yaml_string, url=_url, sentence=in_sentence)
    return env


def _yaml_string(value: object) -> md.Markdown:
    """A front matter value: the text escaped for markdown, quoted for YAML (JSON's quoting)."""
    return md.Markdown(json.dumps(md.text(value), ensure_ascii=False))


def _url(value: object) -> md.Markdown:
    """A link target the publisher made (a relative path), percent-encoded."""
    return md.Markdown(quote(str(value), safe="/#"))


def write_page(path: Path, template: str, **values: Any) -> None:
    path.write_text(_markdown_templates().get_template(template).render(**values), "utf-8")


def tree(pages: Sequence[Mapping[str, str]]) -> list[dict[str, Any]]:
    """Ambitions with their priorities with their KPIs, from a manifest's pages."""

    def under(kind: str, parent: str) -> list[dict[str, Any]]:
        return [
            {**p, "children": under(CHILD.get(kind, ""), p["id"])}
            for p in pages
            if p["kind"] == kind and p["parent"] == parent
        ]

    return under("ambition", "")


def groups(manifest: Mapping[str, Any]) -> list[dict[str, Any]]:
    """The CSV files of a quarter grouped by the page they belong to, in reading order."""
    groups = []
    for page in manifest["pages"]:
        files = [item for item in manifest["data"] if item["page"] == page["href"]]
        if files:
            groups.append({"title": page["title"], "href": page["href"], "files": files})
    return groups


def file_entry(root: Path, path: Path, title: str) -> dict[str, Any]:
    """A downloadable file as the manifest and the download pages list it."""
    return {"title": title, "href": path.relative_to(root).as_posix(), "bytes": path.stat().st_size}


def size_text(count: int) -> str:
    """A file size as GOV.UK writes it: 850 KB, 1.2 MB."""
    if count < 1_000_000:
        return f"{max(1, round(count / 1000))} KB"
    return f"{count / 1_000_000:.1f} MB"
