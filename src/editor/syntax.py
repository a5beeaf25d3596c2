"""Markdown's line syntax, as Python-Markdown reads it, for code that looks at lines.

Block splitting, the outline, the placeholder search and the editor's highlighter all need
to know a fence, a list item or a setext underline when they see one, without rendering.
"""

from __future__ import annotations

import re

FENCE_RE = re.compile(r"^[ ]{0,3}(`{3,}|~{3,})")
SETEXT_UNDERLINE_RE = re.compile(r"^[ ]{0,3}(=+|-+)[ \t]*$")
LIST_ITEM_RE = re.compile(r"^[ ]{0,3}(?:[*+-]|\d+[.)])[ \t]")
CODE_SPAN_RE = re.compile(r"(`+)(.+?)\1")


def lines_outside_fences(body: str) -> list[tuple[int, int, str]]:
    """``(line number, offset, text)`` of each body line that is not fenced code (1-based lines)."""
    found: list[tuple[int, int, str]] = []
    fence: str | None = None
    offset = 0
    for number, line in enumerate(body.split("\n"), start=1):
        match = FENCE_RE.match(line)
        if fence is None and match:
            fence = match.group(1)
        elif fence is not None:
            if match and match.group(1)[0] == fence[0] and len(match.group(1)) >= len(fence):
                fence = None
        else:
            found.append((number, offset, line))
        offset += len(line) + 1
    return found
