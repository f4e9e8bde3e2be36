"""pandoc, as the package runs it: the binary from the pypandoc-binary wheel, and Lua
scripts fed many documents as JSON in one process (its start-up would otherwise dominate)."""

from __future__ import annotations

import json
import os
import subprocess
import time
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import asdict, dataclass
from functools import cache
from importlib.resources import files
from pathlib import Path
from typing import Any

import pypandoc

from pmf_utils.run.fingerprint import code_inputs, digest

PACKAGE = Path(str(files("pmf_utils")))


TEMPLATES = PACKAGE / "templates"


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


def convert(conversions: Sequence[Conversion], cache: Path | None = None) -> list[str]:
    """Convert documents with one pandoc process per CPU rather than one per document, whose
    start-up would dominate a quarter's build. Fails naming every document that failed.

    With a ``cache`` folder, a conversion made before (the same markdown, options, filters and
    template) is read from it rather than made again."""
    read: dict[Path, list[bytes]] = {}
    keys = [_cache_key(c, read) for c in conversions] if cache else []
    kept = {i: _hit(path) for i, path in _cached(cache, keys)}
    todo = [i for i in range(len(conversions)) if i not in kept]
    made = dict(zip(todo, _convert([conversions[i] for i in todo]), strict=True))
    if cache:
        cache.mkdir(parents=True, exist_ok=True)
        for i, text in made.items():
            (cache / keys[i]).write_text(text, "utf-8")
    return [kept[i] if i in kept else made[i] for i in range(len(conversions))]


def _cache_key(conversion: Conversion, read: dict[Path, list[bytes]]) -> str:
    """What a conversion's output depends on: everything but the (temporary) folders of its
    source, filters and template; the files' contents instead (``read`` holds them)."""
    paths = [Path(p) for p in (*conversion.filters, conversion.template) if p]
    fields = {**asdict(conversion), "source": conversion.source.name}
    fields.update(filters=[p.name for p in paths], template=None)
    for path in paths:
        if path not in read:
            read[path] = _contents(path)
    return digest(code_inputs(), fields, *(part for p in paths for part in read[p]))


def _contents(path: Path) -> list[bytes]:
    """A filter's contents, or a template's with the partials pandoc finds beside it (the
    package's own are code: ``code_inputs`` has them)."""
    if path.is_relative_to(PACKAGE):
        return []
    if path.suffix == ".lua":
        return [path.read_bytes()]
    return [p.name.encode() + p.read_bytes() for p in sorted(path.parent.iterdir()) if p.is_file()]


def _hit(path: Path) -> str:
    path.touch()  # used: kept by ``prune_cache``
    return path.read_text("utf-8")


def prune_cache(cache: Path, days: int = 30) -> None:
    """Forget conversions not used for ``days``."""
    if cache.is_dir():
        oldest = time.time() - days * 86400
        for path in cache.iterdir():
            if path.stat().st_mtime < oldest:
                path.unlink()


def _cached(cache: Path | None, keys: Sequence[str]) -> list[tuple[int, Path]]:
    return [(i, cache / key) for i, key in enumerate(keys) if cache and (cache / key).is_file()]


def _convert(conversions: Sequence[Conversion]) -> list[str]:
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
