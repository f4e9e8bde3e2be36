"""Publish a quarter: the website and the PDF booklets, with Quarto or the built-in engine.

The executed notebooks in ``reports/<quarter-slug>/`` become ``_site/<quarter-slug>/`` (the
quarter's pages, figures, CSV files and booklets) and the site's front pages (the latest
quarter, the archive of every published quarter, downloads, accessibility statement).

A published quarter is a record, so:

* everything is built in a temporary folder beside ``_site/`` and moved in only when all of it
  succeeded; a failed or interrupted build leaves the published site as it was;
* publishing quarter Q never touches another quarter's folder;
* publishing a quarter again needs ``force`` and keeps the earlier version beside the new one,
  as ``_site/<slug>.superseded-<UTC timestamp>/``, listed in the archive; only ``pmf watch``
  replaces a version without keeping it, and only one it published itself.

Both engines render the same build folder: two Quarto website projects (the quarter's and the
front pages') written from the committed ``_quarto.yml`` and ``_extensions/pmf``."""

from __future__ import annotations

import contextlib
import fcntl
import json
import shutil
import tempfile
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pandas as pd

from pmf_utils.data.dataset import Dataset
from pmf_utils.data.periods import describe_period, quarter_label, quarter_slug
from pmf_utils.pandoc import prune_cache
from pmf_utils.project import Project
from pmf_utils.publish.build import (
    MANIFEST,
    SUPERSEDED,
    build_front,
    build_quarter,
    manifests,
)
from pmf_utils.publish.executed import PublishError, Report, read_report
from pmf_utils.publish.marks import UNMARKED, Marks
from pmf_utils.publish.reuse import Earlier, stamp_texts
from pmf_utils.run.fingerprint import publication_inputs, setup_files
from pmf_utils.run.runlock import signals_held
from pmf_utils.version import code_version as stamp

ENGINES = ("auto", "quarto", "builtin")


ENGINE_NAMES = {"quarto": "Quarto", "builtin": "built-in"}
CACHE = ".pandoc-cache"
"""In the reports folder: pandoc's conversions, by what they convert (``pandoc.convert``)."""
FRONT = "pmf-front.json"
"""The front pages the last build made, so the next can take away what it no longer makes."""


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


def code_version() -> str:
    """The code version as the footers print it (the run's stamp says the same)."""
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
    keep_earlier: bool = True,
) -> Publication:
    """Publish one quarter's executed notebooks into the site, atomically.


    The project gives the folders and its Quarto set-up (``_quarto.yml``, ``_extensions/``, the
    package's when it has none); without one, ``site_dir`` (and ``reports_dir``) must be given.


    ``keep_earlier`` False replaces a published version without keeping it (``pmf watch``'s
    versions after its first). Raises ``PublishError`` when the input is wrong (nothing is
    built) and ``pmf_utils.pandoc.RenderError`` when a build step fails (nothing is changed).
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
        cache = reports_dir / CACHE
        _publish(report, project, site_dir, engine, force, done, marks, cache, keep_earlier)
        prune_cache(cache)
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
    cache: Path,
    keep_earlier: bool,
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
        stamp["inputs"] = publication_inputs(
            {page.source.name: page.inputs for page in report.pages},
            engine,
            setup_files(project),
            marks.record,
        )
        with tempfile.TemporaryDirectory(prefix=f".{slug}-build-", dir=site_dir.parent) as tmp:
            build = Path(tmp)
            earlier = _earlier(published, stamp, cache)
            quarter_out, manifest = build_quarter(
                report, project, build / "quarter", stamp, engine, earlier
            )
            superseded = None
            if published.exists() and keep_earlier:
                superseded = site_dir / f"{slug}{SUPERSEDED}{now:%Y%m%dT%H%M%SZ}"
            front_out = build_front(
                manifests(site_dir, published, superseded, manifest),
                project,
                build / "front",
                stamp,
                engine,
                cache,
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


def _earlier(published: Path, stamp: Mapping[str, Any], cache: Path) -> Earlier:
    """The quarter as published, for the build to keep what did not change."""
    try:
        manifest = json.loads((published / MANIFEST).read_text("utf-8"))
    except (OSError, ValueError):
        return Earlier(new=stamp_texts(stamp), cache=cache)
    return Earlier(published, stamp_texts(manifest), stamp_texts(stamp), cache)


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
            f"They are not {plan.words.council}'s real performance figures."
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
        "words": asdict(plan.words),
    }


def _commit(
    site_dir: Path,
    published: Path,
    superseded: Path | None,
    quarter_out: Path,
    front_out: Path,
    replaced: Path,
) -> None:
    """Move the finished build into the site: a handful of renames on one file system.

    The front pages are what this build made: files the previous build listed and this one
    did not make (another engine's search page or assets) are moved out with the rest."""
    replaced.mkdir()
    record = site_dir / FRONT
    earlier = set(json.loads(record.read_text("utf-8"))) if record.is_file() else set()
    made = sorted(entry.name for entry in front_out.iterdir())
    (front_out / FRONT).write_text(json.dumps([*made, FRONT], indent=1), "utf-8")
    if superseded is not None:
        published.rename(superseded)
    elif published.exists():
        published.rename(replaced / published.name)
    quarter_out.rename(published)
    for name in sorted(earlier - set(made)):
        if (site_dir / name).exists():
            (site_dir / name).rename(replaced / name)
    for entry in sorted(front_out.iterdir()):
        target = site_dir / entry.name
        if target.exists():
            target.rename(replaced / entry.name)
        entry.rename(target)
