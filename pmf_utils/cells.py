"""Quarto's cell options (``#| key: value`` lines at the top of a code cell), read as Quarto
reads them: by the run, which checks an analyst's figures have alt text, and by the built-in
engine, which honours them as Quarto does."""

from __future__ import annotations

import json
from typing import Any

import yaml

_YAML = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class CellOptionsError(ValueError):
    """A code cell's ``#|`` options are not YAML ``key: value`` lines."""


def cell_options(source: str) -> tuple[dict[str, Any], str]:
    """A code cell's ``#|`` options and the code after them."""
    lines = source.splitlines()
    count = next((i for i, line in enumerate(lines) if not line.startswith("#|")), len(lines))
    text = "\n".join(line[2:] for line in lines[:count])
    try:
        options = (yaml.load(text, Loader=_YAML) or {}) if text.strip() else {}
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        where = f" (option line {mark.line + 1}, column {mark.column + 1})" if mark else ""
        problem = getattr(error, "problem", None) or str(error)
        raise CellOptionsError(
            f"its #| options are not YAML{where}: {problem}; put text that holds a colon in "
            'quotes, e.g. #| fig-alt: "Reports by ward: North 12, South 7"'
        ) from None
    if not isinstance(options, dict):
        raise CellOptionsError("its #| options are not 'key: value' lines")
    return options, "\n".join(lines[count:])


def with_options(options: dict[str, Any], code: str) -> str:
    """A code cell's source with these options (each value written as JSON, which YAML reads)."""
    lines = [f"#| {key}: {json.dumps(value, ensure_ascii=False)}" for key, value in options.items()]
    return "\n".join([*lines, code])


def figure_option(value: Any, index: int) -> str:
    """A figure option (``fig-alt``, ``fig-cap``) given once, or as a list with one entry per
    figure of the cell: the one for figure ``index``."""
    if isinstance(value, list):
        value = value[index] if index < len(value) else None
    return "" if value is None else str(value).strip()
