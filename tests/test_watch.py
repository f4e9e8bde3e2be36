"""``pmf watch`` on the mini council, as an analyst uses it: it publishes, then publishes again
after each saved change, says what is wrong with bad data and leaves the site as it was, waits
for another pmf command, keeps the version from before the watch and replaces its own, and stops
cleanly."""

from __future__ import annotations

import queue
import shutil
import signal
import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from pmf_utils.cli import main
from pmf_utils.project import resource
from pmf_utils.run.runlock import project_lock

from .conftest import MINI
from .test_incremental_publish import files

PMF = Path(sys.executable).with_name("pmf")
READY = "Watching "


class Watch:
    """A ``pmf watch`` process and the lines it has printed so far."""

    def __init__(self, root: Path) -> None:
        command = [str(PMF), "watch", "--project", str(root), "--engine", "builtin"]
        self.process = subprocess.Popen(
            command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True
        )
        self.lines: queue.Queue[str] = queue.Queue()
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        for line in self.process.stdout or ():
            self.lines.put(line.rstrip("\n"))

    def until(self, start: str, timeout: float = 300) -> list[str]:
        """The lines up to the next one that starts with ``start``."""
        said = []
        while not said or not said[-1].startswith(start):
            said.append(self.lines.get(timeout=timeout))
        return said

    def next_round(self) -> list[str]:
        """The lines up to the next time the watch says it is watching again."""
        return self.until(READY)


@pytest.fixture
def watching(tmp_path: Path) -> Iterator[tuple[Path, Watch]]:
    root = tmp_path / "council"
    shutil.copytree(MINI, root / "data")
    shutil.copytree(resource("notebooks"), root / "notebooks")
    (root / "pmf.toml").write_text("[project]\nrequire_approval = false\n", "utf-8")
    run = [str(PMF), "run", "--project", str(root), "--engine", "builtin"]
    subprocess.run(run, check=True, capture_output=True)  # published before the watch
    watch = Watch(root)
    yield root, watch
    if watch.process.poll() is None:
        watch.process.kill()


@pytest.mark.parametrize("command", ["watch", "run", "preview"])
def test_no_kernel_asked_for_is_refused_at_once(command, capsys) -> None:
    with pytest.raises(SystemExit) as exit:
        main([command, "--jobs", "0"])
    assert exit.value.code == 2
    assert "argument --jobs: must be 1 or more" in capsys.readouterr().err


@pytest.mark.slow
def test_watch_publishes_each_change_and_keeps_what_it_should(watching) -> None:
    root, watch = watching
    first = watch.next_round()
    assert first[0].startswith("Nothing changed since 2025/26 Q1 was published"), first
    site, page = root / "_site", root / "_site" / "2025-26-q1" / "kpi-ST01.html"
    note = root / "data" / "narrative" / "2025-26-q1" / "kpi-ST01.md"
    note.parent.mkdir(parents=True, exist_ok=True)

    note.write_text("Fewer <b>fly-tips</b> this quarter.\n", "utf-8")
    said = watch.next_round()
    assert any(line.startswith("The earlier version is kept in") for line in said), said
    assert "Fewer &lt;b&gt;fly-tips&lt;/b&gt; this quarter." in page.read_text("utf-8")
    kept = sorted(p.name for p in site.glob("2025-26-q1.superseded-*"))
    assert len(kept) == 1  # the version from before the watch

    published = files(site)
    observations = root / "data" / "observations.csv"
    good = observations.read_text("utf-8")
    observations.write_text(good + "ST01,2025/26 Q1,not a number\n", "utf-8")
    said = watch.next_round()
    assert any("observations.csv" in line and "not a number" in line for line in said), said
    assert files(site) == published  # bad data: nothing published, nothing lost

    observations.write_text(good, "utf-8")
    said = watch.next_round()
    assert any(line.startswith("Nothing changed since 2025/26 Q1") for line in said), said

    with project_lock(root):  # another pmf command holds the project: the watch waits
        note.write_text("Fly-tipping reports fell again.\n", "utf-8")
        watch.until("another pmf run is under way")
    said = watch.next_round()
    assert any(line.startswith("Published 2025/26 Q1") for line in said), said
    assert "Fly-tipping reports fell again." in page.read_text("utf-8")
    assert sorted(p.name for p in site.glob("2025-26-q1.superseded-*")) == kept
    archive = (site / "archive.html").read_text("utf-8")
    assert archive.count("2025-26-q1.superseded-") == archive.count(kept[0])

    watch.process.send_signal(signal.SIGTERM)
    assert watch.process.wait(timeout=60) == 0
    assert watch.lines.get(timeout=5) == "Stopped watching."
