"""The one place data text becomes page text, and commentary made safe to publish.

Unit tests of the package's ``markdown`` and ``sanitise`` modules; the same text through the
real templates, both engines and a browser is in ``tests/test_untrusted_text.py``.
"""

from __future__ import annotations

import json
import subprocess

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pmf_utils import pandoc
from pmf_utils.pages import markdown as md
from pmf_utils.pages import sanitise


def _pandoc_inlines(markdown: str) -> list[dict]:
    out = subprocess.run(
        [pandoc.pandoc_path(), "-f", "markdown-smart", "-t", "json"],
        input=markdown,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    blocks = json.loads(out)["blocks"]
    return [inline for block in blocks for inline in block["c"]] if blocks else []


@settings(max_examples=40, deadline=None)
@given(st.text(alphabet=st.characters(codec="utf-8", exclude_categories=("Cs", "Cc")), max_size=40))
def test_escaped_text_reads_back_as_the_same_literal_text(value: str) -> None:
    """Whatever the data holds, pandoc reads the escaped text as plain words and spaces."""
    escaped = md.text(value)
    inlines = _pandoc_inlines(escaped)
    kinds = {inline["t"] for inline in inlines}
    assert kinds <= {"Str", "Space"}, (value, escaped, kinds)
    read = "".join(inline.get("c", " ") if inline["t"] == "Str" else " " for inline in inlines)
    assert read == (" ".join(value.split()) or "–")


def test_markdown_passes_through_and_tables_escape_their_cells() -> None:
    link = md.link("A | B <i>", "kpi-X1")
    table = md.table(pd.DataFrame({"KPI": [link], "Note": ["a | b"]}), "Caption <b>")
    assert "[A \\| B \\<i\\>](kpi-X1.ipynb)" in table
    assert "a \\| b" in table and table.endswith(": Caption \\<b\\>")


# --- commentary ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("written", "published", "absent"),
    [
        ("[a](javascript:alert(1))", "link removed", "javascript"),
        ("[a](JaVaScRiPt:alert(1))", "link removed", "alert"),
        ("[a](data:text/html,x)", "link removed", "data:"),
        ("[a](https://example.org)", "[a](https://example.org)", "removed"),
        ("[a](mailto:team@example.org)", "[a](mailto:team@example.org)", "removed"),
        ("[a](kpi-X1.ipynb)", "[a](kpi-X1.ipynb)", "removed"),
        ("<script>x</script>", "\\<script\\>", "<script>"),
        ("![chart](x.png)", "image not published: chart", "x.png"),
        ("`x`{=html}", "`x`\\{=html}", "`x`{"),
        ('[a](https://e.org){onclick="x()"}', "[a](https://e.org)", "onclick"),
        ('::: {.content-visible when-format="html"}\nonly web\n:::', "only web", ":::"),
        ("# Heading {.pmf-part}", "# Heading", "pmf-part"),
        ("\\alert{x} @ref", "\\\\alert", "\n"),
    ],
)
def test_commentary_keeps_markdown_and_drops_what_could_run(
    written: str, published: str, absent: str
) -> None:
    [result] = sanitise.commentary([written])
    assert published in result
    assert absent not in result
