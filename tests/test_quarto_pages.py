"""The finishing touches to Quarto's pages, on the shape of page Quarto 1.10 writes."""

from __future__ import annotations

from pmf_utils.publish.quarto_pages import finish_page

PAGE = """<!DOCTYPE html>
<html lang="en-GB"><head><title>T</title></head>
<body class="nav-fixed quarto-light">
<div id="quarto-search-results"></div>
<header id="quarto-header" class="headroom fixed-top">
<nav class="navbar navbar-expand-lg " data-bs-theme="dark"><a href="index.html">Home</a></nav>
</header>
<main class="content" id="quarto-document-content">
<a class="skip-link" href="#quarto-document-content">Skip to main content</a>
<header id="title-block-header"><h1 class="title">T</h1></header>
</main>
</body></html>
"""


def test_skip_link_comes_first_and_leads_to_a_focusable_main() -> None:
    page = finish_page(PAGE)
    body = page[page.index("<body") :]
    assert body.split("\n")[1] == (
        '<a class="skip-link" href="#quarto-document-content">Skip to main content</a>'
    )
    assert page.count("skip-link") == 1
    assert '<main tabindex="-1" class="content" id="quarto-document-content">' in page


def test_navigation_bar_is_named_once() -> None:
    page = finish_page(PAGE)
    assert '<nav aria-label="Main" class="navbar navbar-expand-lg "' in page
    assert finish_page(page) == page


def test_a_page_without_those_parts_is_left_alone() -> None:
    plain = "<html><body><p>No navigation here.</p></body></html>"
    assert finish_page(plain) == plain
