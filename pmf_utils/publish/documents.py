"""Quarto's inputs read as Quarto reads them, for the built-in engine: a project's
``_quarto.yml`` and its extension's formats, each notebook's front matter and ``#|`` cell
options, and every notebook turned into pandoc markdown with its images written beside it."""

from __future__ import annotations

import base64
import json
import re
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import nbformat
import yaml
from nbformat import NotebookNode
from nbformat.corpus.words import generate_corpus_id
from nbformat.v4.rwbase import rejoin_lines, split_lines, strip_transient

from pmf_utils.cells import cell_options, figure_option

SOURCE_SUFFIXES = (".ipynb", ".qmd", ".md")


_MIME_ORDER = {
    "html": ("text/markdown", "text/html", "image/svg+xml", "image/png", "image/jpeg"),
    "typst": ("text/markdown", "image/svg+xml", "image/png", "image/jpeg"),
}


_IMAGE_SUFFIX = {"image/svg+xml": ".svg", "image/png": ".png", "image/jpeg": ".jpg"}


_EXECUTE_KEYS = ("echo", "output", "include", "warning", "error")


HEADING = re.compile(r"^(#{1,6})[ \t]", re.MULTILINE)


FENCE = re.compile(r"^(`{3,}|~{3,}).*?^\1", re.MULTILINE | re.DOTALL)


_YAML = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


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
        # `quarto` marks where Quarto's own filters run; the built-in engine runs quarto.lua
        # before the format's filters anyway.
        options[key] = [str(extension / i) for i in options.get(key, []) if i != "quarto"]
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


def read_notebook(path: Path) -> nbformat.NotebookNode:
    """A notebook the run wrote, read without nbformat's schema validation: publishing reads
    each of a quarter's notebooks more than once, and validating them all cost seconds. Its
    nodes are made as the JSON is parsed (what ``nbformat.reads`` does after, walking it)."""
    notebook = json.loads(path.read_text("utf-8"), object_hook=NotebookNode)
    return strip_transient(rejoin_lines(notebook))


def read_metadata(path: Path) -> dict[str, Any]:
    """A notebook's metadata alone: its cells are not made into nodes."""
    return json.loads(path.read_text("utf-8")).get("metadata", {})


def new_cell(cell_type: str, source: str) -> nbformat.NotebookNode:
    """A markdown or raw cell of the build's own making, without the schema validation
    ``nbformat.v4.new_*_cell`` runs on every call (hundreds a publish)."""
    return NotebookNode(
        id=generate_corpus_id(), cell_type=cell_type, source=source, metadata=NotebookNode()
    )


def new_notebook(cells: list[nbformat.NotebookNode], **metadata: Any) -> nbformat.NotebookNode:
    """A notebook of the build's own cells, as ``nbformat.v4.new_notebook`` makes it, without
    its validation."""
    return NotebookNode(
        nbformat=4, nbformat_minor=5, metadata=nbformat.from_dict(metadata), cells=cells
    )


def write_notebook(notebook: nbformat.NotebookNode, path: Path) -> None:
    """A build notebook, written as compact JSON (pretty-printing is Python's slow encoder):
    only the engines read these. Texts are split into lines as nbformat writes them: Quarto
    reads a text given whole as one line."""
    on_disk = split_lines(_split_copy(notebook))
    path.write_text(json.dumps(on_disk, ensure_ascii=False), "utf-8")


def _split_copy(notebook: nbformat.NotebookNode) -> nbformat.NotebookNode:
    """A copy of what ``split_lines`` changes (cells, their attachments and outputs, the
    outputs' data), sharing the rest: a deep copy of every notebook cost a third of a
    second a publish."""

    def output(item: Mapping[str, Any]) -> NotebookNode:
        data = {"data": NotebookNode(item["data"])} if "data" in item else {}
        return NotebookNode(item, **data)

    def cell(item: Mapping[str, Any]) -> NotebookNode:
        parts: dict[str, Any] = {}
        if "attachments" in item:
            parts["attachments"] = {k: NotebookNode(v) for k, v in item["attachments"].items()}
        if "outputs" in item:
            parts["outputs"] = [output(o) for o in item["outputs"]]
        return NotebookNode(item, **parts)

    return NotebookNode(notebook, cells=[cell(c) for c in notebook.cells])


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
    notebook = read_notebook(path)
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


def _raw_cell(cell: nbformat.NotebookNode) -> str:
    mimetype = cell.metadata.get("raw_mimetype") or cell.metadata.get("format") or ""
    if mimetype in ("text/html", "html"):
        return f"```{{=html}}\n{cell.source}\n```"
    return cell.source


def _code_block(text: str, language: str = "") -> str:
    fence = "`" * max([3, *(len(run) + 1 for run in re.findall(r"`+", text))])
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
                caption = figure_option(options.get("fig-cap"), figure)
                alt = figure_option(options.get("fig-alt"), figure)
                yield images(mime, data[mime], f"cell-{number}-output-{index}", caption, alt)
                figure += 1
            elif "text/plain" in data:
                yield _code_block(data["text/plain"])
