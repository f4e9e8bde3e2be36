"""The build's notebooks are made, read and written without nbformat's schema validation (it
ran hundreds of times a publish), and come out as nbformat would make them."""

from __future__ import annotations

import json
from pathlib import Path
from unittest import mock

import nbformat

from pmf_utils.project import Project
from pmf_utils.publish import booklet, projects
from pmf_utils.publish.documents import new_cell, new_notebook, read_notebook, write_notebook
from tests.conftest import no_validation


def _executed() -> nbformat.NotebookNode:
    """A notebook as the run leaves one: multi-line texts, a stream, an image and a table."""
    output = nbformat.v4.new_output(
        "display_data",
        data={"text/markdown": "| a | b |\n|---|---|\n| 1 | 2 |\n", "image/png": "iVBORw0K"},
        metadata={"pmf": {"detail": True}},
    )
    stream = nbformat.v4.new_output("stream", text="line one\nline two\n")
    return nbformat.v4.new_notebook(
        cells=[
            nbformat.v4.new_raw_cell("---\ntitle: A page\n---"),
            nbformat.v4.new_markdown_cell("# Heading\n\nSome *text*.\n"),
            nbformat.v4.new_code_cell("#| echo: false\nprint(1)\n", outputs=[output, stream]),
        ],
        metadata={"pmf": {"slug": "2025-26-q2"}},
    )


def test_notebooks_are_read_as_nbformat_reads_them(tmp_path: Path) -> None:
    path = tmp_path / "page.ipynb"
    nbformat.write(_executed(), path)
    with no_validation():
        read = read_notebook(path)
    assert read == nbformat.reads(path.read_text("utf-8"), as_version=4)
    assert isinstance(read.cells[2].outputs[0].data, nbformat.NotebookNode)


def test_build_notebooks_are_written_as_nbformat_splits_them_and_left_unchanged(
    tmp_path: Path,
) -> None:
    notebook = _executed()
    before = json.dumps(notebook)
    with no_validation():
        write_notebook(notebook, tmp_path / "page.ipynb")
    assert json.dumps(notebook) == before
    written = json.loads((tmp_path / "page.ipynb").read_text("utf-8"))
    with mock.patch.object(nbformat, "validate"):
        expected = json.loads(nbformat.writes(notebook))
    assert written == expected
    assert written["cells"][1]["source"] == ["# Heading\n", "\n", "Some *text*.\n"]


def test_cells_and_notebooks_of_our_own_are_valid_without_being_validated() -> None:
    with no_validation():
        cells = [new_cell("raw", "---\ntitle: x\n---"), new_cell("markdown", "Text")]
        notebook = new_notebook(cells, kernelspec={"name": "python3", "language": "python"})
    assert notebook.metadata.kernelspec.language == "python"
    assert cells[0].id != cells[1].id


def test_our_nodes_pass_the_schema() -> None:
    notebook = new_notebook([new_cell("raw", "---\n---"), new_cell("markdown", "Text")])
    nbformat.validate(notebook)


def test_a_booklet_is_written_without_validation_and_leaves_its_pages_alone(
    tmp_path: Path,
) -> None:
    nbformat.write(_executed(), tmp_path / "page.ipynb")
    page = read_notebook(tmp_path / "page.ipynb")
    before = json.dumps(page.cells)
    part = booklet.Part("A page", "page", 1, tuple(page.cells[1:]))
    with no_validation():
        path = booklet.write_booklet(tmp_path, "book", {"title": "Book"}, [part])
    assert json.dumps(page.cells) == before
    cells = json.loads(path.read_text("utf-8"))["cells"]
    assert [c["id"] for c in cells] == [f"cell-{n}" for n in range(len(cells))]


def test_extensions_are_linked_into_the_build_not_copied(tmp_path: Path) -> None:
    source = Project(tmp_path / "council")
    extension = source.root / "_extensions" / "pmf"
    extension.mkdir(parents=True)
    (extension / "_extension.yml").write_text("title: pmf\n", "utf-8")
    build = tmp_path / "build"
    build.mkdir()
    projects.copy_extensions(source, build)
    linked = build / "_extensions" / "pmf" / "_extension.yml"
    assert linked.stat().st_ino == (extension / "_extension.yml").stat().st_ino
    css = build / "_extensions" / "pmf" / "site.css"
    assert css.read_bytes() == (projects.site.STATIC / "site.css").read_bytes()
