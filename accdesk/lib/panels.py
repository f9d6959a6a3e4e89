from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class Panel:
    """A dashboard panel: the partial template that draws it, and its context."""

    template: str
    context: dict[str, Any] = field(default_factory=dict)
