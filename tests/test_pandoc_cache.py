"""pandoc's conversions are cached by what they convert, not by the build folder they were
written in, so publishing again converts only what changed."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import pytest

from pmf_utils import pandoc
from pmf_utils.pandoc import Conversion, convert


def test_a_conversion_made_before_is_read_from_the_cache(tmp_path: Path, monkeypatch) -> None:
    cache = tmp_path / "cache"
    filters = [tmp_path / build / "filter.lua" for build in ("one", "two")]
    for path in filters:
        path.parent.mkdir()
        path.write_text("-- does nothing\n", "utf-8")

    def page(build: int, markdown: str = "Some *text*.") -> Conversion:
        return Conversion(
            filters[build].parent / "page.md", markdown, "html5", (str(filters[build]),)
        )

    made = convert([page(0)], cache)
    assert "<em>text</em>" in made[0]
    converted: list[str] = []

    def counting(conversions: Sequence[Conversion]) -> list[str]:
        converted.extend(c.markdown for c in conversions)
        return [f"made: {c.markdown}" for c in conversions]

    monkeypatch.setattr(pandoc, "_convert", counting)
    # The same document in another build folder, its filter the same by content: not converted.
    assert convert([page(1)], cache) == made
    assert converted == []
    assert convert([page(1, "Other text.")], cache) == ["made: Other text."]
    filters[1].write_text("-- changed\n", "utf-8")
    assert convert([page(1)], cache) == ["made: Some *text*."]
    assert converted == ["Other text.", "Some *text*."]


@pytest.mark.parametrize("days, kept", [(30, 1), (-1, 0)])
def test_pruning_forgets_conversions_not_used_lately(tmp_path: Path, days: int, kept: int) -> None:
    cache = tmp_path / "cache"
    convert([Conversion(tmp_path / "page.md", "Text.", "html5")], cache)
    pandoc.prune_cache(cache, days=days)
    assert len(list(cache.iterdir())) == kept
