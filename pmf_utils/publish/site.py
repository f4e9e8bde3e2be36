"""The built-in engine: a Quarto website project rendered where Quarto cannot be installed.

It reads what Quarto reads (``_quarto.yml``, the ``_extensions/pmf`` formats and their Lua
filters, each notebook's front matter and ``#|`` cell options), turns every executed notebook
into pandoc markdown the way Quarto does, converts it with pandoc and lays the page out with a
Jinja2 template: council header band, navigation, search, footer. Only what this report's
projects use is implemented; anything else in ``_quarto.yml`` is ignored.
"""

from __future__ import annotations

import base64
import html
import json
import os
import re
import shutil
import subprocess
from collections.abc import Iterable, Iterator, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import asdict, dataclass
from functools import cache
from importlib.resources import files
from pathlib import Path
from typing import Any

import jinja2
import nbformat
import pypandoc
import yaml

PACKAGE = Path(str(files("pmf_utils")))
TEMPLATES = PACKAGE / "templates"
STATIC = PACKAGE / "static"
ASSETS = "site_libs/pmf"
CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "font-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'"
)
"""Every page's Content-Security-Policy: only the site's own scripts, styles and images, so
even text that escaped escaping could not run (defence in depth; no page has inline script)."""
SOURCE_SUFFIXES = (".ipynb", ".qmd", ".md")

_MIME_ORDER = {
    "html": ("text/markdown", "text/html", "image/svg+xml", "image/png", "image/jpeg"),
    "typst": ("text/markdown", "image/svg+xml", "image/png", "image/jpeg"),
}
_IMAGE_SUFFIX = {"image/svg+xml": ".svg", "image/png": ".png", "image/jpeg": ".jpg"}
_EXECUTE_KEYS = ("echo", "output", "include", "warning", "error")
HEADING = re.compile(r"^(#{1,6})[ \t]", re.MULTILINE)
FENCE = re.compile(r"^(`{3,}|~{3,}).*?^\1", re.MULTILINE | re.DOTALL)
_LOCAL_REF = re.compile(r'\s(?:src|href)="([^"#?:]+)[^"]*"')
_YAML = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class RenderError(RuntimeError):
    """pandoc, Typst or a project file failed; the message says which document and why."""


@cache
def pandoc_path() -> str:
    """The pandoc 3 binary shipped in the pypandoc-binary wheel."""
    return pypandoc.get_pandoc_path()


@dataclass(frozen=True)
class Conversion:
    """One document for pandoc: markdown in, ``to`` out, through Lua filters and a template
    (whose partials pandoc finds beside it), with a table of contents when ``toc_depth``."""

    source: Path
    markdown: str
    to: str
    filters: tuple[str, ...] = ()
    template: str | None = None
    toc_depth: int = 0
    shift: int = 0


def convert(conversions: Sequence[Conversion]) -> list[str]:
    """Convert documents with one pandoc process per CPU rather than one per document, whose
    start-up would dominate a quarter's build. Fails naming every document that failed."""
    if not conversions:
        return []
    workers = min(os.cpu_count() or 1, len(conversions))
    # Longest first, each to the least loaded process: a whole-plan booklet is 10x a page.
    chunks: list[list[int]] = [[] for _ in range(workers)]
    loads = [0] * workers
    for index in sorted(range(len(conversions)), key=lambda i: -len(conversions[i].markdown)):
        least = loads.index(min(loads))
        chunks[least].append(index)
        loads[least] += len(conversions[index].markdown)
    with ThreadPoolExecutor(workers) as pool:
        results = pool.map(lambda chunk: _convert_chunk([conversions[i] for i in chunk]), chunks)
        done = {
            i: r
            for chunk, rs in zip(chunks, results, strict=True)
            for i, r in zip(chunk, rs, strict=True)
        }
    errors = [result["error"] for result in done.values() if "error" in result]
    if errors:
        raise RenderError("pandoc failed:\n" + "\n".join(errors))
    return [done[i]["output"] for i in range(len(conversions))]


def _convert_chunk(chunk: Sequence[Conversion]) -> list[dict[str, str]]:
    # quarto.lua does what Quarto does natively, before the format's own filters.
    quarto = str(TEMPLATES / "quarto.lua")
    jobs = [{**asdict(c), "source": str(c.source), "filters": [quarto, *c.filters]} for c in chunk]
    return pandoc_lua("convert.lua", jobs)


def pandoc_lua(script: str, payload: Any) -> Any:
    """Run one of the package's pandoc Lua scripts with JSON in and out: one process for many
    documents, whose start-up would otherwise dominate."""
    result = subprocess.run(
        [pandoc_path(), "lua", str(TEMPLATES / script)],
        input=json.dumps(payload),
        capture_output=True,
        text=True,
    )
    if result.returncode:
        raise RenderError(f"pandoc failed ({script}):\n{result.stderr.strip()}")
    return json.loads(result.stdout)


def deep_merge(*layers: Mapping[str, Any]) -> dict[str, Any]:
    """Merge option layers, later ones winning, the way Quarto merges metadata."""
    merged: dict[str, Any] = {}
    for layer in layers:
        for key, value in layer.items():
            if isinstance(value, Mapping) and isinstance(merged.get(key), Mapping):
                merged[key] = deep_merge(merged[key], value)
            else:
                merged[key] = value
    return merged


def load_yaml(text: str) -> Any:
    """Parse YAML with libyaml when it is there (a quarter's build reads many headers)."""
    return yaml.load(text, Loader=_YAML)


def front_matter(text: str) -> tuple[dict[str, Any], str]:
    """Split a ``---`` YAML header from the text after it."""
    match = re.match(r"\s*---[ \t]*\n(.*?)\n---[ \t]*(?:\n|$)", text, re.DOTALL)
    if not match:
        return {}, text
    return load_yaml(match[1]) or {}, text[match.end() :]


def notebook_front_matter(
    cells: Sequence[nbformat.NotebookNode],
) -> tuple[dict[str, Any], list[nbformat.NotebookNode]]:
    """A notebook's front matter (its first cell, when raw and ``---``), and the other cells."""
    if cells and cells[0].cell_type == "raw" and cells[0].source.lstrip().startswith("---"):
        return front_matter(cells[0].source)[0], list(cells[1:])
    return {}, list(cells)


@dataclass(frozen=True)
class Format:
    """A document's options for one output format, merged as Quarto merges them."""

    options: dict[str, Any]
    root: Path

    def paths(self, key: str) -> list[Path]:
        """Files an option lists (``filters``, ``template-partials``), as absolute paths."""
        return [self.root / item for item in self.options.get(key, [])]


@dataclass(frozen=True)
class Project:
    """A Quarto project folder, read as Quarto reads it (only the keys this report uses)."""

    root: Path
    config: dict[str, Any]

    @classmethod
    def load(cls, root: Path) -> Project:
        return cls(root, load_yaml((root / "_quarto.yml").read_text("utf-8")) or {})

    @property
    def output_dir(self) -> Path:
        return self.root / self.config.get("project", {}).get("output-dir", "_site")

    @property
    def website(self) -> dict[str, Any]:
        return self.config.get("website", {})

    @property
    def metadata(self) -> dict[str, Any]:
        """Project-wide document metadata: every top-level key that is not configuration."""
        return {k: v for k, v in self.config.items() if k not in ("project", "website", "format")}

    def documents(self) -> list[Path]:
        """The files ``project.render`` lists (globs allowed), in order, else every source."""
        patterns = self.config.get("project", {}).get("render") or [
            f"*{s}" for s in SOURCE_SUFFIXES
        ]
        found: dict[Path, None] = {}
        for pattern in patterns:
            for path in sorted(self.root.glob(pattern)):
                if path.suffix in SOURCE_SUFFIXES and not path.name.startswith(("_", ".")):
                    found[path] = None
        return list(found)

    def format(self, name: str, document: Mapping[str, Any]) -> Format:
        """A format's options: extension, then project, then the document's own, merged."""
        contributed = {}
        if "-" in name:
            prefix, base = name.rsplit("-", 1)
            contributed = _contributed(self.root / "_extensions" / prefix, base)
        doc_format = document.get("format", {})
        doc_options = doc_format.get(name, {}) if isinstance(doc_format, Mapping) else {}
        options = deep_merge(
            contributed,
            self.metadata,
            self.config.get("format", {}).get(name) or {},
            {k: v for k, v in document.items() if k != "format"},
            doc_options or {},
        )
        return Format(options, self.root)

    def html_format(self, document: Mapping[str, Any]) -> Format:
        """The project's HTML format (e.g. ``pmf-html``), as the website renders pages."""
        names = [n for n in self.config.get("format", {}) if n == "html" or n.endswith("-html")]
        return self.format(names[0] if names else "html", document)


@cache
def _contributed(extension: Path, base: str) -> dict[str, Any]:
    """A format an extension contributes, its file options made absolute paths."""
    spec = load_yaml((extension / "_extension.yml").read_text("utf-8"))
    options = dict(spec["contributes"]["formats"][base])
    for key in ("filters", "template-partials", "css"):
        options[key] = [str(extension / item) for item in options.get(key, [])]
    return options


@dataclass(frozen=True)
class Document:
    """A source file as pandoc markdown, with its front matter."""

    path: Path
    meta: dict[str, Any]
    markdown: str


def markdown_slots(cells: Iterable[nbformat.NotebookNode]) -> Iterator[tuple[dict, str]]:
    """Where a notebook's visible markdown is held (markdown cells, markdown outputs), in
    reading order, as (holder, key) so callers can read or rewrite it in place."""
    for cell in cells:
        if cell.cell_type == "markdown":
            yield cell, "source"
        for output in cell.get("outputs", []):
            if "text/markdown" in output.get("data", {}):
                yield output["data"], "text/markdown"


def heading_levels(cells: Iterable[nbformat.NotebookNode]) -> list[int]:
    """Levels of the ATX headings outside code blocks, to fit a page under another heading."""
    return [
        len(match[1])
        for holder, key in markdown_slots(cells)
        for match in HEADING.finditer(FENCE.sub("", holder[key]))
    ]


def read_document(
    path: Path, target: str, assets: Path, defaults: Mapping[str, Any] | None = None
) -> Document:
    """Read a notebook or markdown file as pandoc markdown for ``target`` (html or typst).

    Image outputs are written to ``assets/<stem>_files/figure-<target>/``, referenced relative
    to the document as Quarto does. ``defaults`` holds project-wide ``execute`` options.
    """
    if path.suffix != ".ipynb":
        meta, body = front_matter(path.read_text("utf-8"))
        return Document(path, meta, body)
    notebook = nbformat.read(path, as_version=4)
    meta, cells = notebook_front_matter(notebook.cells)
    options = deep_merge(
        defaults or {},
        meta.get("execute", {}),
        {k: meta[k] for k in _EXECUTE_KEYS if k in meta},
    )
    language = notebook.metadata.get("kernelspec", {}).get("language", "python")
    writer = _ImageWriter(path, target, assets)
    blocks: list[str] = []
    for number, cell in enumerate(cells, start=1):
        if cell.cell_type == "markdown":
            blocks.append(cell.source)
        elif cell.cell_type == "raw":
            blocks.append(_raw_cell(cell))
        else:
            blocks.extend(_code_cell(cell, number, options, language, writer))
    return Document(path, meta, "\n\n".join(b.strip("\n") for b in blocks if b.strip()))


def cell_options(source: str) -> tuple[dict[str, Any], str]:
    """Quarto's ``#| key: value`` lines at the top of a code cell, and the code after them."""
    lines = source.splitlines()
    count = next((i for i, line in enumerate(lines) if not line.startswith("#|")), len(lines))
    text = "\n".join(line[2:] for line in lines[:count])
    return (load_yaml(text) or {}) if text.strip() else {}, "\n".join(lines[count:])


def _raw_cell(cell: nbformat.NotebookNode) -> str:
    mimetype = cell.metadata.get("raw_mimetype") or cell.metadata.get("format") or ""
    if mimetype in ("text/html", "html"):
        return f"```{{=html}}\n{cell.source}\n```"
    return cell.source


def _code_block(text: str, language: str = "") -> str:
    fence = "`" * max(3, *(len(run) + 1 for run in re.findall(r"`+", text)))
    return f"{fence}{language}\n{text.rstrip()}\n{fence}"


class _ImageWriter:
    """Writes a notebook's image outputs to files, as Quarto does, and links them."""

    def __init__(self, path: Path, target: str, assets: Path) -> None:
        self.folder = f"{path.stem}_files/figure-{target}"
        self.assets = assets / self.folder
        self.target = target

    def __call__(self, mime: str, data: str, name: str, caption: str, alt: str) -> str:
        self.assets.mkdir(parents=True, exist_ok=True)
        file = f"{name}{_IMAGE_SUFFIX[mime]}"
        payload = data.encode("utf-8") if mime == "image/svg+xml" else base64.b64decode(data)
        (self.assets / file).write_bytes(payload)
        attribute = f' fig-alt="{_attribute(alt)}"' if alt else ""
        return f"![{caption}]({self.folder}/{file}){{{attribute.strip()}}}"


def _attribute(text: str) -> str:
    return text.replace("\\", "\\\\").replace('"', '\\"')


def _option_item(value: Any, index: int) -> str:
    """A figure option given once or as a list with one entry per figure of the cell."""
    if isinstance(value, list):
        return str(value[index]) if index < len(value) else ""
    return "" if value is None else str(value)


def _code_cell(
    cell: nbformat.NotebookNode,
    number: int,
    defaults: Mapping[str, Any],
    language: str,
    images: _ImageWriter,
) -> Iterable[str]:
    """A code cell's visible parts, honouring echo, output, include and warning."""
    own, code = cell_options(cell.source)
    options = {**defaults, **own}
    if options.get("include") is False:
        return
    if options.get("echo", True) is not False and code.strip():
        yield _code_block(code, language)
    if options.get("output", True) is False:
        return
    figure = 0
    for index, output in enumerate(cell.get("outputs", []), start=1):
        kind = output.output_type
        if kind == "stream":
            if output.name == "stdout" or options.get("warning", True) is not False:
                yield _code_block(output.text)
        elif kind == "error":
            yield _code_block(f"{output.ename}: {output.evalue}")
        else:
            data = output.get("data", {})
            mime = next((m for m in _MIME_ORDER[images.target] if m in data), None)
            if mime == "text/markdown":
                yield data[mime]
            elif mime == "text/html":
                yield f"```{{=html}}\n{data[mime]}\n```"
            elif mime:
                caption = _option_item(options.get("fig-cap"), figure)
                alt = _option_item(options.get("fig-alt"), figure)
                yield images(mime, data[mime], f"cell-{number}-output-{index}", caption, alt)
                figure += 1
            elif "text/plain" in data:
                yield _code_block(data["text/plain"])


# --- the website ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Page:
    """A rendered page, before it is laid out."""

    source: Path
    href: str
    title: str
    subtitle: str
    toc: str
    body: str


@cache
def _jinja() -> jinja2.Environment:
    return jinja2.Environment(
        loader=jinja2.FileSystemLoader(TEMPLATES),
        autoescape=jinja2.select_autoescape(("html", "j2")),
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        undefined=jinja2.StrictUndefined,
    )


def output_name(source: str) -> str:
    """The page a source file becomes (``kpi-x.ipynb`` → ``kpi-x.html``)."""
    stem, dot, suffix = source.rpartition(".")
    return f"{stem}.html" if dot and f".{suffix}" in SOURCE_SUFFIXES else source


def render_website(root: Path) -> Path:
    """Render a Quarto website project's pages into its output folder; return that folder."""
    project = Project.load(root)
    out = project.output_dir
    out.mkdir(parents=True, exist_ok=True)
    execute = project.config.get("execute", {})
    documents = [read_document(p, "html", out, execute) for p in project.documents()]
    formats = [project.html_format(d.meta) for d in documents]
    site = project.website
    snippets = {"footer": _footer_text(site.get("page-footer")), "notice": _notice_text(site)}
    conversions = [_page_conversion(d, f) for d, f in zip(documents, formats, strict=True)]
    conversions += [Conversion(root / "_quarto.yml", text, "html5") for text in snippets.values()]
    # Titles, menu words and the site's title are pandoc markdown, as Quarto reads them.
    words = {
        str(text)
        for fmt in formats
        for text in (fmt.options.get("title", ""), fmt.options.get("subtitle", ""))
    }
    words |= {str(site.get("title", "")), *_navigation_words(site.get("navbar", {}))}
    words_list = sorted(words)
    conversions += [Conversion(root / "_quarto.yml", text, "html5") for text in words_list]
    outputs = convert(conversions)
    inline = {
        text: _unwrap(html_text)
        for text, html_text in zip(words_list, outputs[-len(words_list) :], strict=True)
    }
    pages = [
        _page(project, document, fmt.options, output, inline)
        for document, fmt, output in zip(documents, formats, outputs[: len(documents)], strict=True)
    ]
    first = len(documents)
    shared = outputs[first : first + len(snippets)]
    layout = _layout(project, dict(zip(snippets, shared, strict=True)))
    layout["site_title"] = inline[str(site.get("title", ""))]
    # The format's own stylesheets (as Quarto links them), after the engine's site.css.
    # site.css is the engine's own, linked first already (Quarto needs it named here).
    styles = [p for p in project.html_format({}).paths("css") if p.name != "site.css"]
    layout["styles"] = [path.name for path in styles]
    if layout["search"]:
        pages.append(_search_page(project, pages))
    template = _jinja().get_template("page.html.j2")
    for page in pages:
        nav = _navigation(site, page.href, inline)
        html_text = template.render(page=page, nav=nav, **layout)
        (out / page.href).write_text(html_text, "utf-8")
    _copy_resources(project, pages)
    for path in styles:
        shutil.copy2(path, out / ASSETS / path.name)
    return out


def _footer_text(footer: Any) -> str:
    if isinstance(footer, Mapping):
        return "\n\n".join(str(footer[k]) for k in ("left", "center", "right") if footer.get(k))
    return str(footer or "")


def _notice_text(site: Mapping[str, Any]) -> str:
    announcement = site.get("announcement") or {}
    return str(announcement.get("content", "")) if isinstance(announcement, Mapping) else ""


def _page_conversion(document: Document, fmt: Format) -> Conversion:
    options = fmt.options
    return Conversion(
        source=document.path,
        markdown=document.markdown,
        to="html5",
        filters=tuple(str(path) for path in fmt.paths("filters")),
        template=str(TEMPLATES / "fragment.html"),
        toc_depth=int(options.get("toc-depth", 3)) if options.get("toc") else 0,
        shift=int(options.get("shift-heading-level-by", 0)),
    )


def _unwrap(fragment: str) -> str:
    """A one-paragraph HTML fragment without its ``<p>``: inline HTML for a title or menu."""
    fragment = fragment.strip()
    if fragment.startswith("<p>") and fragment.endswith("</p>"):
        return fragment[3:-4]
    return fragment


def _navigation_words(navbar: Mapping[str, Any]) -> Iterator[str]:
    for entry in [*navbar.get("left", []), *navbar.get("right", [])]:
        yield str(entry.get("text", ""))
        yield from _navigation_words({"left": entry.get("menu", [])})


def _page(
    project: Project,
    document: Document,
    options: Mapping[str, Any],
    output: str,
    inline: Mapping[str, str],
) -> Page:
    """A converted page; its title and subtitle as HTML, converted from markdown."""
    toc, _, body = output.partition("<!-- pmf:body -->")
    return Page(
        source=document.path,
        href=output_name(document.path.relative_to(project.root).as_posix()),
        title=inline[str(options.get("title", ""))] or html.escape(document.path.stem),
        subtitle=inline[str(options.get("subtitle", ""))],
        toc=toc.strip() if toc.count("<li") > 1 else "",
        body=body.strip(),
    )


def _layout(project: Project, snippets: Mapping[str, str]) -> dict[str, Any]:
    """What every page of the project shares: header band, notice, footer, search."""
    site = project.website
    pmf = project.metadata.get("pmf", {})
    return {
        "lang": project.metadata.get("lang", "en-GB"),
        "site_title": site.get("title", ""),
        "council": pmf.get("council") or site.get("title", ""),
        "plan": pmf.get("plan", ""),
        "search": site.get("search", True) is not False,
        "assets": ASSETS,
        "csp": CSP,
        **snippets,
    }


def _navigation(
    site: Mapping[str, Any], current: str, inline: Mapping[str, str]
) -> list[dict[str, Any]]:
    """The navbar's items (their words as HTML) with page hrefs resolved and the current page
    marked."""

    def item(entry: Mapping[str, Any]) -> dict[str, Any]:
        children = [item(child) for child in entry.get("menu", [])]
        href = output_name(str(entry.get("href", "")))
        return {
            "text": inline[str(entry.get("text", ""))] or html.escape(href),
            "href": href,
            "current": href == current,
            "children": children,
        }

    navbar = site.get("navbar", {})
    return [item(e) for e in [*navbar.get("left", []), *navbar.get("right", [])]]


def _search_page(project: Project, pages: Sequence[Page]) -> Page:
    """Site search without a server or network: a script holding every page's text."""
    entries = [
        {"href": p.href, "title": _searchable(p.title), "text": _searchable(p.body)[:20000]}
        for p in pages
    ]
    index = json.dumps(entries, ensure_ascii=False, separators=(",", ":"))
    assets = project.output_dir / ASSETS
    assets.mkdir(parents=True, exist_ok=True)
    (assets / "search-index.js").write_text(f"window.pmfSearchIndex = {index};\n", "utf-8")
    body = _jinja().get_template("search.html.j2").render()
    return Page(project.root / "search.html", "search.html", "Search", "", "", body)


def _searchable(fragment: str) -> str:
    """A page's words for the index; curly apostrophes straightened, as the script does to
    what is typed, so "children's" finds "children’s"."""
    text = " ".join(html.unescape(re.sub(r"<[^>]+>", " ", fragment)).split())
    return text.translate(_APOSTROPHES)


_APOSTROPHES = str.maketrans({"\u2019": "'", "\u2018": "'"})


def _copy_resources(project: Project, pages: Sequence[Page]) -> None:
    """Copy the static assets, the files pages link to, and ``project.resources``."""
    out = project.output_dir
    shutil.copytree(STATIC, out / ASSETS, dirs_exist_ok=True)
    wanted: set[Path] = set()
    for page in pages:
        folder = page.source.parent
        for ref in _LOCAL_REF.findall(page.body):
            wanted.add((folder / ref).resolve())
    for pattern in project.config.get("project", {}).get("resources", []):
        wanted.update(p.resolve() for p in project.root.glob(pattern))
    root = project.root.resolve()
    for path in sorted(wanted):
        if path.is_file() and path.is_relative_to(root) and not path.is_relative_to(out.resolve()):
            target = out / path.relative_to(root)
            if path.suffix not in SOURCE_SUFFIXES and not target.exists():
                target.parent.mkdir(parents=True, exist_ok=True)
                shutil.copy2(path, target)
