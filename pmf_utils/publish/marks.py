"""What a build adds to a quarter's usual stamp: notices on its pages, fields in its manifest.

The publisher builds the published record and a preview alike; what differs is said here, so
a preview (``preview``) and a quarter published without sign-off (``signoff``) say so on every
page and booklet page, and the published quarter's manifest records who approved what.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class Marks:
    """Notices every page and booklet page carries, and fields for the quarter's manifest."""

    notices: tuple[str, ...] = ()
    record: Mapping[str, Any] = field(default_factory=dict)


UNMARKED = Marks()
"""The published record with nothing to add."""
