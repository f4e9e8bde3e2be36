"""Analysts' commentary made safe to publish: markdown kept, anything that could run removed.

Commentary is written by many hands and pasted from Word and e-mail. Analysts keep markdown
(emphasis, lists, links, tables), but raw HTML, raw Typst or LaTeX, ``javascript:`` links and
attributes that hide text from one format must never reach a page. Pandoc reads the text with
those extensions switched off and writes it back as markdown (``templates/commentary.lua``), so
both publishing engines get text in which such input is literal: shown, never run, and the same
in the website and the booklets.
"""

from __future__ import annotations

import re
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


def opening(texts: Sequence[str], longest: int = 220) -> list[str]:
    """The first sentence or two of each published text's first paragraph, as plain words
    (not escaped: the caller does), for a dashboard card: sentences are added while the whole
    stays within ``longest`` characters; a first sentence longer than that is cut at a word."""
    firsts = pandoc_lua("excerpt.lua", list(texts)) if texts else []
    return [_sentences(" ".join(first.split()), longest) for first in firsts]


_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[\"'‘“(]?[A-Z0-9£])")


def _sentences(paragraph: str, longest: int) -> str:
    sentences = _SENTENCE_END.split(paragraph) if paragraph else []
    kept = sentences[:1]
    for sentence in sentences[1:2]:
        if len(" ".join([*kept, sentence])) <= longest:
            kept.append(sentence)
    text = " ".join(kept)
    if len(text) > longest:
        text = text[: longest - 1].rsplit(" ", 1)[0].rstrip(",;:") + "…"
    return text
