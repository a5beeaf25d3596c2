"""What a check finds and how its fix changes the article."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from enum import Enum
from typing import Any, TypedDict

from editor.model import Article


class Severity(Enum):
    """Blockers stop an export unless the user says so; warnings and notes never do."""

    BLOCKER = "blocker"
    WARNING = "warning"
    NOTE = "note"

    @property
    def rank(self) -> int:
        return list(Severity).index(self)


class Family(Enum):
    COMPLETENESS = "completeness"
    STRUCTURE = "structure"
    SEO = "seo"
    READABILITY = "readability"
    LEFTOVERS = "leftovers"
    LINKS = "links"
    SPELLING = "spelling"

    @property
    def label(self) -> str:
        return "SEO" if self is Family.SEO else self.value.capitalize()


@dataclass(frozen=True)
class TextEdit:
    """Replace body characters ``[start, end)`` with ``text``."""

    start: int
    end: int
    text: str


@dataclass(frozen=True)
class Change:
    """What a fix does: body edits (applied from the end) and metadata fields to set."""

    body_edits: tuple[TextEdit, ...] = ()
    fields: Mapping[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Fix:
    """A one-click fix: ``make`` is a pure function from the article to the change."""

    label: str
    make: Callable[[Article], Change]


@dataclass(frozen=True)
class Finding:
    """One thing a desk editor would flag.

    ``line``/``column`` (1-based) are in the body's own lines; ``field`` names the metadata
    field instead (``title``, ``related[0].url``) when the finding is about the front matter.
    """

    id: str
    family: Family
    severity: Severity
    message: str
    line: int | None = None
    column: int | None = None
    field: str | None = None
    fix: Fix | None = None
    suggestions: tuple[str, ...] = ()

    def sort_key(self) -> tuple[int, int, int, str]:
        return (self.severity.rank, self.line or 0, self.column or 0, self.id)

    def to_json(self, line_offset: int = 0) -> dict[str, Any]:
        """The finding as the command line's JSON prints it (``line`` in the file's lines)."""
        return {
            "id": self.id,
            "severity": self.severity.value,
            "message": self.message,
            "line": self.line + line_offset if self.line is not None else None,
            "column": self.column,
            "field": self.field,
            "fix": self.fix.label if self.fix else None,
            "suggestions": list(self.suggestions),
        }


def blockers(findings: list[Finding]) -> list[Finding]:
    return [finding for finding in findings if finding.severity is Severity.BLOCKER]


def apply_change(article: Article, change: Change) -> Article:
    """A copy of ``article`` with ``change`` made (the window applies it as one undo step)."""
    body = article.body
    for edit in sorted(change.body_edits, key=lambda edit: edit.start, reverse=True):
        body = body[: edit.start] + edit.text + body[edit.end:]
    changed = dataclasses.replace(article.copy(), **dict(change.fields))
    changed.body = body
    return changed


class Place(TypedDict, total=False):
    """Where a finding points, as :class:`Finding`'s keyword arguments."""

    line: int
    column: int
    field: str


def place(body_line: tuple[int, int, str], index: int) -> Place:
    """``line``/``column`` keyword arguments for character ``index`` of a body line."""
    number, _, _ = body_line
    return {"line": number, "column": index + 1}
