"""Finishing touches to the web pages Quarto writes, for what its options cannot say.

Quarto places a format's ``include-before-body`` inside ``<main>``, after the navigation, and
its navigation bar has no accessible name; the built-in engine's pages have a skip link as the
first thing in ``<body>`` to a focusable ``<main>``, and a navigation landmark named "Main".
These are put into place here, after ``quarto render``, so a keyboard or screen-reader user
meets the same page from either engine. Each change is a fixed, known piece of Quarto's
output; a page without it is left as it is (the engine-comparison tests notice).

Quarto's pages also get the site's Content-Security-Policy, as the built-in engine's do: its
one inline script moves into a file of the site, so no inline script can run.
"""

from __future__ import annotations

import hashlib
import html as html_lib
import os
import re
import shutil
from html.parser import HTMLParser
from pathlib import Path

from pmf_utils.publish.reuse import Earlier
from pmf_utils.publish.site import ASSETS, CSP, STATIC

SKIP_LINK = re.compile(r'<a class="skip-link" href="#[^"]*">[^<]*</a>\n?')
BODY = re.compile(r"<body\b[^>]*>\n?")
NAVBAR = re.compile(r'<nav class="navbar\b(?![^>]*aria-label)')
MAIN = re.compile(r"<main\b(?![^>]*tabindex)")
TOGGLER_ROLE = re.compile(r'(<button class="navbar-toggler"[^>]*?)\s+role="menu"')
TITLE = re.compile(r"(<title>)(.*?)(</title>)", re.DOTALL)
ESCAPED = re.compile(r"\\([!-/:-@\[-`{-~])")
HANDLER = re.compile(r'\son[a-z]+="[^"]*"')
CHARSET = re.compile(r'<meta charset="utf-8">\n?')
QUARTO_CSP = CSP.replace("style-src 'self'", "style-src 'self' 'unsafe-inline'").replace(
    "font-src 'self'", "font-src 'self' data:"
)
"""The built-in engine's policy, but for Quarto's own inline styles (its theme sets some) and
the icon font its heading anchors carry as data; no inline script: Quarto's one inline
script is moved into a file of the site."""


def finish_page(html: str) -> str:
    """The page with its skip link first in ``<body>``, its navigation bar named, its menu
    button without a role ARIA forbids a button, and its
    ``<title>`` as the built-in engine writes it: Quarto puts the site's title there without
    reading it as markdown, so the escapes ``markdown.text`` added are undone (text only)."""
    html = TITLE.sub(lambda m: m[1] + ESCAPED.sub(r"\1", m[2]) + m[3], html, count=1)
    link = SKIP_LINK.search(html)
    body = BODY.search(html)
    if link and body and link.start() > body.end():
        html = html[: link.start()] + html[link.end() :]
        html = f"{html[: body.end()]}{link[0].rstrip()}\n{html[body.end() :]}"
    html = MAIN.sub('<main tabindex="-1"', html, count=1)  # the skip link moves focus there
    # The menu button is a button: ARIA does not allow it the role "menu" Quarto gives it.
    html = TOGGLER_ROLE.sub(r"\1", html, count=1)
    return NAVBAR.sub('<nav aria-label="Main" class="navbar', html, count=1)


class _Tags(HTMLParser):
    """The page's real start tags (never text that looks like one in an attribute's value),
    each as (offset, text, name, attributes)."""

    def __init__(self, html: str) -> None:
        super().__init__(convert_charrefs=False)
        self.lines = [0, *(m.end() for m in re.finditer("\n", html))]
        self.tags: list[tuple[int, str, str, dict[str, str | None]]] = []
        self.feed(html)
        self.close()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        line, column = self.getpos()
        text = self.get_starttag_text() or ""
        self.tags.append((self.lines[line - 1] + column, text, tag, dict(attrs)))


def without_inline_script(html: str, page: Path, folder: Path) -> str:
    """The page under the site's Content-Security-Policy: each inline script moved into a file
    of the site (``site_libs/pmf/inline-<hash>.js``, one file for the script every page
    shares) and linked in its place, inline event handlers (Quarto's navbar toggler, whose
    Bootstrap attributes do the same) removed from tags, and the policy declared. Tags are
    found by an HTML parser, so data text in an attribute's value is never touched."""
    for offset, text, name, attrs in reversed(_Tags(html).tags):
        handlers = [key for key in attrs if key.startswith("on")]
        if name == "script" and "src" not in attrs and attrs.get("type") != "application/json":
            body_end = html.index("</script>", offset + len(text))
            code = html[offset + len(text) : body_end]
            target = folder / ASSETS / f"inline-{hashlib.sha256(code.encode()).hexdigest()[:12]}.js"
            if not target.exists():
                target.parent.mkdir(parents=True, exist_ok=True)
                target.write_text(code, "utf-8")
            href = Path(os.path.relpath(target, page.parent)).as_posix()
            tag = f'<script src="{href}"{text[len("<script") :]}'
            html = html[:offset] + tag + html[body_end:]
        elif handlers:
            cleaned = HANDLER.sub("", text)
            html = html[:offset] + cleaned + html[offset + len(text) :]
    policy = f'<meta http-equiv="Content-Security-Policy" content="{html_lib.escape(QUARTO_CSP)}">'
    return CHARSET.sub(lambda m: f"{m[0].rstrip()}\n{policy}\n", html, count=1)


def finish_site(folder: Path, earlier: Earlier | None = None) -> None:
    """Finish every page Quarto wrote into ``folder``, and add the site's own scripts that
    pages link (the summary table's filter), as the built-in engine copies them. A finished
    page that differs from the one published (``earlier``) only by its stamp keeps it."""
    earlier = earlier or Earlier()
    (folder / ASSETS).mkdir(parents=True, exist_ok=True)
    for script in STATIC.glob("*.js"):
        shutil.copy2(script, folder / ASSETS / script.name)
    for path in sorted(folder.rglob("*.html")):
        finished = without_inline_script(finish_page(path.read_text("utf-8")), path, folder)
        earlier.write_page(path, path.relative_to(folder).as_posix(), finished)
