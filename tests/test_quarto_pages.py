"""The finishing touches to Quarto's pages, on the shape of page Quarto 1.10 writes."""

from __future__ import annotations

from pathlib import Path

from pmf_utils.publish import quarto_pages
from pmf_utils.publish.quarto_pages import QUARTO_CSP, finish_page, without_inline_script
from pmf_utils.publish.reuse import Earlier
from pmf_utils.publish.site import ASSETS, STATIC

PAGE = """<!DOCTYPE html>
<html lang="en-GB"><head><title>T</title></head>
<body class="nav-fixed quarto-light">
<div id="quarto-search-results"></div>
<header id="quarto-header" class="headroom fixed-top">
<nav class="navbar navbar-expand-lg " data-bs-theme="dark"><a href="index.html">Home</a>
<button class="navbar-toggler" type="button" data-bs-toggle="collapse"
  data-bs-target="#navbarCollapse" aria-controls="navbarCollapse" role="menu" aria-expanded="false"
  aria-label="Toggle navigation"
  onclick="if (window.quartoToggleHeadroom) { window.quartoToggleHeadroom(); }">
</button></nav>
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


def test_the_menu_button_loses_the_role_aria_forbids_a_button() -> None:
    """axe-core: a <button> may not have role="menu" (Quarto 1.10's navtoggle.ejs gives it)."""
    page = finish_page(PAGE)
    assert '<button class="navbar-toggler" type="button"' in page
    assert 'role="menu"' not in page and 'aria-label="Toggle navigation"' in page
    assert finish_page(page) == page


def test_a_page_without_those_parts_is_left_alone() -> None:
    plain = "<html><body><p>No navigation here.</p></body></html>"
    assert finish_page(plain) == plain


def test_quarto_pages_run_no_inline_script(tmp_path: Path) -> None:
    """The shared inline script becomes one file of the site, handlers go from tags (never
    from text), JSON data blocks stay, and the policy is declared after the charset."""
    page_dir = tmp_path / "2025-26-q2"
    page_dir.mkdir()
    html = (
        '<html><head><meta charset="utf-8">\n<script id="quarto-search-options" '
        'type="application/json">{"a": 1}</script></head><body>'
        '<button onclick="toggle()" class="x">Menu</button>'
        '<p>say onclick="x" here</p>'
        '<td data-label="Anytown <script>alert(6)</script> Council">1</td>'
        '<script id="after" type="application/javascript">\nrun();\n</script></body></html>'
    )
    once = without_inline_script(html, page_dir / "kpi.html", tmp_path)
    again = without_inline_script(html, tmp_path / "index.html", tmp_path)
    (script,) = (tmp_path / "site_libs" / "pmf").glob("inline-*.js")
    assert script.read_text("utf-8") == "\nrun();\n"
    assert f'<script src="../site_libs/pmf/{script.name}" id="after"' in once
    assert f'<script src="site_libs/pmf/{script.name}" id="after"' in again
    assert 'onclick="toggle()"' not in once and 'say onclick="x" here' in once
    assert '{"a": 1}</script>' in once
    assert 'data-label="Anytown <script>alert(6)</script> Council"' in once
    assert "Content-Security-Policy" in once and "'unsafe-inline'" in QUARTO_CSP
    assert "script-src 'self';" in QUARTO_CSP


def test_the_title_shows_the_site_title_as_written() -> None:
    """Quarto leaves markdown's escapes in <title>; they are undone, entities kept."""
    page = r"<head><title>Exceptions – A\\\&amp;B Council\: Plan 2025\-29</title></head>"
    assert r"<title>Exceptions – A\&amp;B Council: Plan 2025-29</title>" in finish_page(page)


def test_quarto_sites_get_the_site_s_own_scripts(tmp_path: Path) -> None:
    """The summary table's filter is linked by the format's filter; Quarto does not know the
    file, so the finished site gets it, as the built-in engine's does."""
    (tmp_path / "overview.html").write_text("<html><body><main></main></body></html>", "utf-8")
    quarto_pages.finish_site(tmp_path)
    script = tmp_path / ASSETS / "table-filter.js"
    assert script.read_text("utf-8") == (STATIC / "table-filter.js").read_text("utf-8")


def test_a_page_only_its_stamp_changes_keeps_the_published_file(tmp_path: Path) -> None:
    """Quarto writes every page again; a finished page whose text differs from the published
    one only by its stamp is replaced by the published file itself (its stamp recorded), and
    the published file is never written through; a page that changed is the new one."""
    published, site = tmp_path / "published", tmp_path / "site"
    published.mkdir()
    site.mkdir()

    def stamped(time: str) -> str:
        return PAGE.replace("<main", f"<p>Produced at {time}</p>\n<main")

    earlier_page = without_inline_script(
        finish_page(stamped("09:00")), published / "a.html", published
    )
    for name in ("a.html", "b.html"):
        (published / name).write_text(earlier_page, "utf-8")
    (site / "a.html").write_text(stamped("10:00"), "utf-8")
    (site / "b.html").write_text(stamped("10:00").replace(">T<", ">U<"), "utf-8")
    earlier = Earlier(published, old=("09:00",), new=("10:00",))
    quarto_pages.finish_site(site, earlier)
    assert (site / "a.html").samefile(published / "a.html")
    assert (published / "a.html").read_text("utf-8") == earlier_page
    assert "10:00" in (site / "b.html").read_text("utf-8")
    assert earlier.made["pages"] == {"a.html": ["09:00"], "b.html": ["10:00"]}
    assert sorted(p.name for p in site.iterdir()) == ["a.html", "b.html", "site_libs"]
