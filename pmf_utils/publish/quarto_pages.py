"""Finishing touches to the web pages Quarto writes, for what its options cannot say.

Quarto places a format's ``include-before-body`` inside ``<main>``, after the navigation, and
its navigation bar has no accessible name; the built-in engine's pages have a skip link as the
first thing in ``<body>`` to a focusable ``<main>``, and a navigation landmark named "Main".
These are put into place here, after ``quarto render``, so a keyboard or screen-reader user
meets the same page from either engine. Each change is a fixed, known piece of Quarto's
output; a page without it is left as it is (the engine-comparison tests notice).
"""

from __future__ import annotations

import re
from pathlib import Path

SKIP_LINK = re.compile(r'<a class="skip-link" href="#[^"]*">[^<]*</a>\n?')
BODY = re.compile(r"<body\b[^>]*>\n?")
NAVBAR = re.compile(r'<nav class="navbar\b(?![^>]*aria-label)')
MAIN = re.compile(r"<main\b(?![^>]*tabindex)")


def finish_page(html: str) -> str:
    """The page with its skip link first in ``<body>`` and its navigation bar named."""
    link = SKIP_LINK.search(html)
    body = BODY.search(html)
    if link and body and link.start() > body.end():
        html = html[: link.start()] + html[link.end() :]
        html = f"{html[: body.end()]}{link[0].rstrip()}\n{html[body.end() :]}"
    html = MAIN.sub('<main tabindex="-1"', html, count=1)  # the skip link moves focus there
    return NAVBAR.sub('<nav aria-label="Main" class="navbar', html, count=1)


def finish_site(folder: Path) -> None:
    """Finish every page Quarto wrote into ``folder``."""
    for path in folder.rglob("*.html"):
        text = path.read_text("utf-8")
        finished = finish_page(text)
        if finished != text:
            path.write_text(finished, "utf-8")
