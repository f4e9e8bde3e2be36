"""``pmf lab``: JupyterLab on the project's notebooks, or how to install it."""

from __future__ import annotations

import json
import os
import re
import subprocess
import time
import urllib.error
import urllib.request
from importlib.metadata import EntryPoint

import pytest

from pmf_utils.cli import lab, main
from pmf_utils.project import Project

from .conftest import REPO


def test_without_jupyterlab_it_says_how_to_install_it(monkeypatch, capsys) -> None:
    monkeypatch.setattr(lab, "entry_points", lambda **selection: ())
    assert main(["lab", "--project", str(REPO)]) == 2
    assert "pip install 'pmf-utils[lab]'" in capsys.readouterr().err


def test_the_command_runs_jupyterlabs_entry_point_on_the_project(tmp_path) -> None:
    entry = EntryPoint("jupyter-lab", "somewhere.app:main", "console_scripts")
    (tmp_path / "notebooks").mkdir()
    argv = lab.lab_argv(entry, Project(tmp_path), "--port", "8890")
    assert "from somewhere.app import main" in argv[2]
    assert argv[3:] == [
        f"--ServerApp.root_dir={tmp_path}",
        "--LabApp.default_url=/lab/tree/notebooks",
        "--port",
        "8890",
    ]


@pytest.mark.slow
def test_jupyterlab_serves_the_projects_notebooks() -> None:
    """The real server, started as ``pmf lab`` starts it, lists the template notebooks."""
    entry = lab.lab_entry_point()
    if entry is None:
        pytest.skip("JupyterLab is not installed (pip install '.[lab]')")
    options = ["--no-browser", "--ServerApp.port=0"]
    if os.geteuid() == 0:  # CI containers run as root, which Jupyter refuses unless told
        options.append("--allow-root")
    server = subprocess.Popen(
        lab.lab_argv(entry, Project.load(REPO), *options),
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        log = []
        for line in server.stderr:
            log.append(line)
            found = re.search(r"(http://127\.0\.0\.1:\d+)/lab/tree/notebooks\?token=(\w+)", line)
            if found:
                break
        else:
            pytest.fail("JupyterLab did not start:\n" + "".join(log[-20:]))
        url = f"{found[1]}/api/contents/notebooks?token={found[2]}"
        listing = _once_listening(server, url)
        names = {item["name"] for item in listing["content"]}
        assert {"overview.ipynb", "priority.ipynb", "kpis.ipynb"} <= names
    finally:
        server.terminate()
        server.wait()


def _once_listening(server: subprocess.Popen, url: str) -> dict:
    """The JSON at ``url`` once the server listens: it binds its port after saying where."""
    local = urllib.request.build_opener(urllib.request.ProxyHandler({}))  # never a proxy
    for _attempt in range(300):
        try:
            with local.open(url) as response:
                return json.load(response)
        except urllib.error.URLError:
            if server.poll() is not None:
                break
            time.sleep(0.1)
    pytest.fail(f"JupyterLab never answered at {url}")
