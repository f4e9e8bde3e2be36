"""Runs that meet each other or are interrupted leave the published site whole.

A quarter of the small fixture council is executed and published once; each test copies that
project and runs ``pmf render --force`` in a separate Python process, in which one step of
publishing is made to receive Ctrl-C or SIGTERM (or to find the disk full). The command must
end with one line and no traceback, leave no temporary build folder, and leave the site either
byte-identical or fully replaced.
"""

from __future__ import annotations

import hashlib
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from pmf_utils.data.dataset import load
from pmf_utils.data.periods import parse_quarter
from pmf_utils.publish import quarter as publish
from pmf_utils.run import runner
from tests.conftest import MINI

pytestmark = pytest.mark.slow

QUARTER = parse_quarter("2025/26 Q1")

# Runs `pmf render` in a project folder with one publishing step replaced by `step`.
SCRIPT = textwrap.dedent(
    """
    import errno, os, signal, sys
    from pathlib import Path
    from pmf_utils.publish import build, quarter as publish
    from pmf_utils import cli

    root, moment = Path(sys.argv[1]), sys.argv[2]
    module, name, action = {
        # The booklets' step, which runs even when every booklet is kept from before.
        "booklets": (build, "render_booklets", signal.SIGINT),
        "front pages": (publish, "build_front", signal.SIGTERM),
        "final renames": (publish, "_commit", signal.SIGINT),
        "disk full": (build, "render_booklets", None),
    }[moment]
    original = getattr(module, name)

    def step(*args, **kwargs):
        if action is None:
            raise OSError(errno.ENOSPC, "No space left on device", str(root / "_site"))
        os.kill(os.getpid(), action)
        return original(*args, **kwargs)

    setattr(module, name, step)
    quarter = ["--quarter", "2025/26 Q1", "--engine", "builtin", "--force"]
    sys.exit(cli.main(["render", "--project", str(root), *quarter]))
    """
)


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The fixture council's quarter, executed and published once."""
    root = tmp_path_factory.mktemp("interrupted")
    shutil.copytree(MINI, root / "data")
    # The fixture council's commentary is not signed off: it is published as it is.
    (root / "pmf.toml").write_text("[project]\nrequire_approval = false\n", "utf-8")
    data = load(root / "data")
    assert runner.run_quarter(data, QUARTER, reports_dir=root / "reports", workers=1).ok
    publish.publish_quarter(
        data, QUARTER, reports_dir=root / "reports", site_dir=root / "_site", engine="builtin"
    )
    return root


def fingerprint(folder: Path) -> dict[str, str]:
    return {
        p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def render(root: Path, moment: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-c", SCRIPT, str(root), moment],
        capture_output=True,
        text=True,
        timeout=300,
    )


@pytest.mark.parametrize(
    ("moment", "status", "message", "replaced"),
    [
        ("booklets", 130, "Interrupted: 2025/26 Q1 was not published;", False),
        ("front pages", 130, "Interrupted: 2025/26 Q1 was not published;", False),
        ("final renames", 130, "Interrupted: 2025/26 Q1 was published in full in", True),
        ("disk full", 1, "The disk is full", False),
    ],
)
def test_publishing_ends_whole_with_one_line(
    project: Path, tmp_path: Path, moment: str, status: int, message: str, replaced: bool
) -> None:
    root = Path(shutil.copytree(project, tmp_path / "project"))
    before = fingerprint(root / "_site")
    result = render(root, moment)
    assert result.returncode == status, result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith(message), result.stderr
    assert "Traceback" not in result.stdout + result.stderr
    assert not list(root.glob(".*-build-*")), "a temporary build folder was left"
    after = fingerprint(root / "_site")
    if replaced:
        assert after != before
        assert any(".superseded-" in name for name in after), "the earlier version is kept"
    else:
        assert after == before


def test_a_second_run_refuses_while_one_runs(project: Path, tmp_path: Path) -> None:
    root = Path(shutil.copytree(project, tmp_path / "project"))
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import sys, time\n"
            "from pathlib import Path\n"
            "from pmf_utils.run.runlock import project_lock\n"
            "with project_lock(Path(sys.argv[1])):\n"
            "    print('held', flush=True)\n"
            "    time.sleep(60)\n",
            str(root),
        ],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "held"
        before = fingerprint(root / "_site")
        result = render(root, "booklets")
        assert result.returncode == 1
        assert result.stderr.strip() == (
            f"another pmf run is under way in {root} (pid {holder.pid}, started "
            + result.stderr.split("started ", 1)[1].split(")")[0]
            + "); wait for it to finish, then run again"
        )
        assert fingerprint(root / "_site") == before
    finally:
        holder.kill()
        holder.wait()
