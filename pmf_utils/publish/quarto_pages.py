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
from pathlib import Path

from pmf_utils.publish.site import ASSETS, CSP

SKIP_LINK = re.compile(r'<a class="skip-link" href="#[^"]*">[^<]*</a>\n?')
BODY = re.compile(r"<body\b[^>]*>\n?")
NAVBAR = re.compile(r'<nav class="navbar\b(?![^>]*aria-label)')
MAIN = re.compile(r"<main\b(?![^>]*tabindex)")
INLINE_SCRIPT = re.compile(
    r'<script(?![^>]*\bsrc=)(?![^>]*type="application/json")([^>]*)>(.*?)</script>', re.DOTALL
)
HANDLER = re.compile(r'\son[a-z]+="[^"]*"')
TAG = re.compile(r"<[a-zA-Z][^>]*>")
CHARSET = re.compile(r'<meta charset="utf-8">\n?')
QUARTO_CSP = CSP.replace("style-src 'self'", "style-src 'self' 'unsafe-inline'").replace(
    "font-src 'self'", "font-src 'self' data:"
)
"""The built-in engine's policy, but for Quarto's own inline styles (its theme sets some) and
the icon font its heading anchors carry as data; no inline script: Quarto's one inline
script is moved into a file of the site."""


def finish_page(html: str) -> str:
    """The page with its skip link first in ``<body>`` and its navigation bar named."""
    link = SKIP_LINK.search(html)
    body = BODY.search(html)
    if link and body and link.start() > body.end():
        html = html[: link.start()] + html[link.end() :]
        html = f"{html[: body.end()]}{link[0].rstrip()}\n{html[body.end() :]}"
    html = MAIN.sub('<main tabindex="-1"', html, count=1)  # the skip link moves focus there
    return NAVBAR.sub('<nav aria-label="Main" class="navbar', html, count=1)


def without_inline_script(html: str, page: Path, folder: Path) -> str:
    """The page under the site's Content-Security-Policy: each inline script moved into a file
    of the site (``site_libs/pmf/inline-<hash>.js``, one file for the script every page
    shares) and linked in its place, inline event handlers (Quarto's navbar toggler, whose
    Bootstrap attributes do the same) removed, and the policy declared."""

    def external(match: re.Match[str]) -> str:
        code = match[2]
        name = f"inline-{hashlib.sha256(code.encode()).hexdigest()[:12]}.js"
        target = folder / ASSETS / name
        if not target.exists():
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(code, "utf-8")
        href = Path(os.path.relpath(target, page.parent)).as_posix()
        return f'<script src="{href}"{match[1]}></script>'

    html = INLINE_SCRIPT.sub(external, html)
    # Within tags only: text that reads like a handler is the page's words, escaped already.
    html = TAG.sub(lambda tag: HANDLER.sub("", tag[0]), html)
    policy = f'<meta http-equiv="Content-Security-Policy" content="{html_lib.escape(QUARTO_CSP)}">'
    return CHARSET.sub(lambda m: f"{m[0].rstrip()}\n{policy}\n", html, count=1)


def finish_site(folder: Path) -> None:
    """Finish every page Quarto wrote into ``folder``."""
    for path in folder.rglob("*.html"):
        text = path.read_text("utf-8")
        finished = without_inline_script(finish_page(text), path, folder)
        if finished != text:
            path.write_text(finished, "utf-8")
