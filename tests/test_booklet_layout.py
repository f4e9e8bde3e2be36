"""The booklet template's rules for long tables and the compact title band, compiled with Typst."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import typst
from pypdf import PdfReader

from tests.conftest import REPO

TEMPLATE = REPO / "_extensions" / "pmf" / "typst-template.typ"


def _compile(tmp_path: Path, body: str, **options: str) -> list[str]:
    shutil.copy(TEMPLATE, tmp_path / TEMPLATE.name)
    args = "".join(f"{key}: {value}, " for key, value in options.items())
    source = tmp_path / "doc.typ"
    source.write_text(
        f'#import "{TEMPLATE.name}": *\n'
        f"#show: doc => pmf-booklet(title: [Booklet], council: [Anytown Council], "
        f"plan: [Plan], kicker: [Priority], quarter: [2025/26 Q2], {args}doc)\n{body}\n",
        "utf-8",
    )
    pdf = tmp_path / "doc.pdf"
    typst.compile(source, output=pdf, root=tmp_path)
    return [" ".join(page.extract_text().split()) for page in PdfReader(pdf).pages]


def test_a_long_table_repeats_its_header_and_never_splits_a_row(tmp_path: Path) -> None:
    rows = ", ".join(f"[Row{n}], [{' '.join(['word'] * 60)} end{n}]" for n in range(40))
    body = (
        "#figure(table(columns: (auto, 1fr), table.header([Measure], [Judgement]), "
        f"{rows}), caption: [A long table], kind: table)"
    )
    pages = _compile(tmp_path, body, compact="true")
    assert len(pages) > 2
    for text in pages[1:]:
        assert "Measure Judgement Row" in text  # the header, then a whole row
        started = [int(n) for n in re.findall(r"Row(\d+)", text)]
        ended = [int(n) for n in re.findall(r"end(\d+)", text)]
        assert started == ended  # every row that starts on the page ends on it


def test_a_compact_booklet_has_its_title_band_above_its_first_part(tmp_path: Path) -> None:
    pages = _compile(tmp_path, "= Homes for All\n\nThe dashboard.", compact="true")
    assert len(pages) == 1  # no cover page, no contents page
    assert pages[0].index("Anytown Council") < pages[0].index("Homes for All")
    cover = _compile(tmp_path, "= Homes for All\n\nThe dashboard.")
    assert len(cover) == 3 and "Contents" in cover[1]  # the default: cover, contents, parts
