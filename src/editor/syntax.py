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
