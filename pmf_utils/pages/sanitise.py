"""Analysts' commentary made safe to publish: markdown kept, anything that could run removed.

Commentary is written by many hands and pasted from Word and e-mail. Analysts keep markdown
(emphasis, lists, links, tables), but raw HTML, raw Typst or LaTeX, ``javascript:`` links and
attributes that hide text from one format must never reach a page. Pandoc reads the text with
those extensions switched off and writes it back as markdown (``templates/commentary.lua``), so
both publishing engines get text in which such input is literal: shown, never run, and the same
in the website and the booklets.
"""

from __future__ import annotations

from collections.abc import Sequence

from pmf_utils.pandoc import pandoc_lua

_PUBLISHED: dict[str, str] = {}
"""Texts already made safe in this process (a warm kernel reads a quarter's files once)."""


def commentary(texts: Sequence[str]) -> list[str]:
    """The texts as they may be published, made safe in one pandoc process."""
    todo = sorted({t for t in texts if t not in _PUBLISHED})
    if todo:
        _PUBLISHED.update(zip(todo, pandoc_lua("commentary.lua", todo), strict=True))
    return [_PUBLISHED[t].strip() for t in texts]
