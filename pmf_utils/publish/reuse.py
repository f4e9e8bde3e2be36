"""Publishing a quarter again remakes only what changed.

Every page and booklet says when it was produced and from which data; otherwise a page made
again from the same notebook is the same page. So a build compares what it makes with the
quarter as published, both with their production stamps blanked out:

* a web page whose text is the same keeps its published file, byte for byte (and its stamp:
  when and from which data that page was made);
* a booklet whose source (its notebook, the figures it shows, the format, the engine, the
  code) is the same is not rendered again: its published PDF is kept;
* pandoc's conversions are kept in a cache by what they convert, so a page that is remade but
  whose markdown did not change costs no pandoc work.
"""

from __future__ import annotations

import json
import os
import re
import shutil
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pmf_utils.pages import markdown as md
from pmf_utils.run.fingerprint import code_inputs, digest, tree_inputs

OUTPUTS = "pmf-outputs.json"
"""In a published quarter: each booklet's fingerprint, for the next build to compare."""
_VOLATILE = ("produced", "published", "fingerprint")
_FIGURE = re.compile(r"figures/[^)\s\"'\\]+")


def stamp_texts(stamp: Mapping[str, Any]) -> tuple[str, ...]:
    """The texts that differ between two builds of the same content, longest first."""
    texts = {str(stamp[key]) for key in _VOLATILE if stamp.get(key)}
    texts |= {str(md.text(text)) for text in texts}
    # As a notebook's JSON holds them: a booklet's front matter is in a raw cell.
    texts |= {json.dumps(text, ensure_ascii=False)[1:-1] for text in texts}
    return tuple(sorted(texts, key=len, reverse=True))


def _blank(text: str, stamps: tuple[str, ...]) -> str:
    for stamp in stamps:
        text = text.replace(stamp, "\0")
    return text


def _blank_source(text: str, stamps: tuple[str, ...]) -> str:
    """A source with its stamp blanked, its white space collapsed first: YAML folds a long
    line (a footer) wherever the stamp's words fall."""
    return _blank(" ".join(text.split()), stamps)


_RUN_DETAILS = ("papermill", "execution", "execution_count")
"""What executing a notebook again changes even when its content is the same."""


def _content(notebook: Path) -> str:
    """A notebook's cells as they are published: no execution timings or counts."""
    cells = json.loads(notebook.read_text("utf-8"))["cells"]

    def plain(item: Mapping[str, Any]) -> dict[str, Any]:
        return {k: v for k, v in item.items() if k not in _RUN_DETAILS}

    kept = [
        {
            **plain(cell),
            "metadata": plain(cell.get("metadata", {})),
            "outputs": [plain(output) for output in cell.get("outputs", [])],
        }
        for cell in cells
    ]
    return json.dumps(kept, ensure_ascii=False, sort_keys=True)


@dataclass(frozen=True)
class Earlier:
    """The quarter as published before this build (``folder`` None: never published) and the
    stamps of both builds; ``cache`` holds pandoc's conversions."""

    folder: Path | None = None
    old: tuple[str, ...] = ()
    new: tuple[str, ...] = ()
    cache: Path | None = None
    made: dict[str, Any] = field(default_factory=lambda: {"pages": {}, "booklets": {}})
    """What this build made: each page's stamp texts (a kept page keeps its earlier stamp)
    and each booklet's inputs, written to the quarter's ``OUTPUTS``."""

    def _record(self) -> dict[str, Any]:
        try:
            return json.loads((self.folder / OUTPUTS).read_text("utf-8")) if self.folder else {}
        except (OSError, ValueError):
            return {}

    def write_page(self, target: Path, name: str, text: str) -> None:
        """Write a page, or copy the published one when only its stamp would differ."""
        stamps = self.new
        if self.folder is not None and (self.folder / name).is_file():
            published = (self.folder / name).read_text("utf-8")
            old = tuple(self._record().get("pages", {}).get(name, self.old))
            if _blank(published, old) == _blank(text, self.new):
                keep(self.folder / name, target)
                stamps = old
        if stamps is self.new:
            target.write_text(text, "utf-8")
        self.made["pages"][name] = list(stamps)

    def copy(self, project: Path, source: str | os.PathLike, target: str | os.PathLike) -> None:
        """Copy one of the run's files into the build ``project`` (``shutil.copytree``'s
        ``copy_function``, given the project first): the published file, linked, when its
        bytes are the same, so that what did not change is neither written again nor stored
        twice."""
        name = Path(target).relative_to(project).as_posix()
        published = self.folder / name if self.folder is not None else None
        if published is not None and _same_bytes(published, Path(source)):
            keep(published, target)
        else:
            shutil.copy2(source, target)

    def made_by(self, project: Path, engine: str) -> tuple[str, ...]:
        """What every booklet of a build is made with: the code, the engine, the project's
        extensions and its ``_quarto.yml`` with the stamp blanked (read once a build)."""
        config = _blank_source((project / "_quarto.yml").read_text("utf-8"), self.new)
        return (code_inputs(), engine, tree_inputs(project / "_extensions"), config)

    def booklet_inputs(self, made_by: tuple[str, ...], source: Path) -> str:
        """What a booklet is made from: what all are made with (``made_by``), its source with
        the stamp blanked and the figures it shows."""
        text = _content(source)
        folder = source.parent
        figures = sorted({m for m in _FIGURE.findall(text) if (folder / m).is_file()})
        shown = [part for m in figures for part in (m, (folder / m).read_bytes())]
        return digest(*made_by, _blank_source(text, self.new), *shown)

    def booklet(self, name: str, inputs: str) -> Path | None:
        """The published booklet made from the same inputs, if there is one."""
        self.made["booklets"][name] = inputs
        if self.folder is None or self._record().get("booklets", {}).get(name) != inputs:
            return None
        found = self.folder / name
        return found if found.is_file() else None


def _same_bytes(published: Path, source: Path) -> bool:
    try:
        if published.stat().st_size != source.stat().st_size:
            return False
        return published.read_bytes() == source.read_bytes()
    except OSError:
        return False


def keep(published: str | os.PathLike, target: str | os.PathLike) -> None:
    """The published file in the new build: the same file (a hard link) where the file
    system allows, so a superseded copy costs no space for what did not change. A file
    already at ``target`` (a page Quarto wrote) is replaced whole, never written through.
    Also ``shutil.copytree``'s ``copy_function`` for the build's own files (given as text)."""
    target = Path(target)
    temporary = target.with_name(f".{target.name}.kept")
    temporary.unlink(missing_ok=True)
    try:
        os.link(published, temporary)
    except OSError:
        shutil.copy2(published, temporary)
    os.replace(temporary, target)
