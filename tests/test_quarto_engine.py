"""Quarto and the built-in engine publish the same report: the shipped quarter compared page by
page and booklet by booklet, and what only Quarto gets wrong on its own.

Both engines' sites come from the session's ``published_sites`` (Quarto publishes the shipped
quarter once, in minutes, for every test that reads it). Without ``quarto`` on PATH these tests
skip, saying why; ``make test`` builds Quarto from the kit in ../shared/quarto when it is there.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from pypdf import PdfReader

from pmf_utils.data.periods import quarter_slug
from tests.test_publish import Published, PublishedSites, squash

LANDMARK_TAGS = {"header": "banner", "main": "main", "footer": "contentinfo"}


class Outline(HTMLParser):
    """What a reader meets on a page, engine aside: its title, headings, tables, images and
    landmarks, in document order."""

    def __init__(self, text: str) -> None:
        super().__init__()
        self.found: dict[str, list[str]] = {
            k: [] for k in ("title", "h1", "h2", "caption", "th", "alt", "landmarks")
        }
        self.open: list[tuple[str, list[str]]] = []
        self.in_main = 0
        self.feed(text)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attr = {k: v or "" for k, v in attrs}
        if tag == "img":
            self.found["alt"].append(attr.get("alt", ""))
        if tag in LANDMARK_TAGS and not (self.in_main and tag != "main"):
            self.found["landmarks"].append(LANDMARK_TAGS[tag])
        if tag == "nav" and attr.get("aria-label"):
            self.found["landmarks"].append(f"navigation {attr['aria-label']}")
        self.in_main += tag == "main"
        # The page contents' own title ("On this page") is the engines' furniture.
        if tag in self.found and attr.get("id") != "toc-title":
            self.open.append((tag, []))

    def handle_endtag(self, tag: str) -> None:
        self.in_main -= tag == "main"
        if self.open and self.open[-1][0] == tag:
            name, text = self.open.pop()
            self.found[name].append(squash("".join(text)))

    def handle_data(self, data: str) -> None:
        for _, text in self.open:
            text.append(data)


def outline(path: Path) -> dict[str, list[str]]:
    return Outline(path.read_text("utf-8")).found


@pytest.fixture(scope="module")
def engines(published_sites: PublishedSites) -> tuple[Published, Published]:
    """The shipped quarter published by the built-in engine and by Quarto (asked for first:
    without Quarto the tests skip before the built-in engine publishes anything)."""
    quarto = published_sites("shipped", "quarto")
    return published_sites("shipped", "builtin"), quarto


def _pages(published: Published) -> set[str]:
    """The site's pages and booklets, but the built-in engine's search page (Quarto searches
    from the navigation bar)."""
    root = published.site
    return {
        p.relative_to(root).as_posix()
        for p in [*root.rglob("*.html"), *root.rglob("*.pdf")]
        if p.name != "search.html"
    }


def test_both_engines_publish_the_same_pages_and_booklets(
    engines: tuple[Published, Published],
) -> None:
    builtin, quarto = engines
    assert _pages(builtin) == _pages(quarto)
    assert [p.name for p in builtin.publication.booklets] == [
        p.name for p in quarto.publication.booklets
    ]


def test_every_page_says_the_same_with_either_engine(
    engines: tuple[Published, Published],
) -> None:
    """Titles, h1 and h2 headings, table captions and header cells, image alt texts and
    landmarks, page by page."""
    builtin, quarto = engines
    differences = []
    for page in sorted(p for p in _pages(builtin) if p.endswith(".html")):
        ours, theirs = outline(builtin.site / page), outline(quarto.site / page)
        differences += [
            f"{page} {part}: built-in {ours[part]} / Quarto {theirs[part]}"
            for part in ours
            if ours[part] != theirs[part]
        ]
    assert not differences, "\n".join(differences[:40])


def _captions(path: Path) -> list[str]:
    text = " ".join(page.extract_text() for page in PdfReader(path).pages)
    return re.findall(r"Table\s\d+: [^\n]+", text)


def test_booklet_tables_keep_their_captions(engines: tuple[Published, Published]) -> None:
    """quarto-dev/quarto-cli#11733: Quarto drops a table caption from Typst output unless the
    table has a `tbl-` id; pmf-booklet.lua writes such tables itself."""
    builtin, quarto = engines
    for ours, theirs in zip(builtin.publication.booklets, quarto.publication.booklets, strict=True):
        expected = _captions(ours)
        assert expected and _captions(theirs) == expected, theirs.name


def test_quarto_site_is_web_pages_only(engines: tuple[Published, Published]) -> None:
    """Each page is rendered to HTML only: no PDF of each page, no "Other formats" links."""
    _, quarto = engines
    quarter = quarto.site / quarter_slug(quarto.case.later)
    assert not [p for p in quarto.site.rglob("*.pdf") if p.parent.name != "booklets"]
    assert len(list((quarter / "booklets").glob("*.pdf"))) == len(quarto.publication.booklets)
    assert not [
        p for p in quarto.site.rglob("*.html") if "quarto-alternate-formats" in p.read_text("utf-8")
    ]
