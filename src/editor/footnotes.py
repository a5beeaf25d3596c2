"""Footnotes that render block by block, so typing in an annotated article stays fast.

Python-Markdown's footnotes extension needs the whole document in one conversion. Here the
numbers come from the whole body (in the order the notes are first referred to), each
paragraph renders its ``[^id]`` references on its own, definitions render as nothing where
they stand, and the notes are listed once, after the last block, in the markup the extension
writes (``div.footnote``, ``fn:`` and ``fnref:`` ids, a back link per note).
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass
from xml.etree.ElementTree import Element, SubElement

from markdown import Extension, Markdown
from markdown.inlinepatterns import InlineProcessor

DEFINITION_RE = re.compile(r"^[ ]{0,3}\[\^([^\]\s]+)\]:[ \t]?(.*)$", re.MULTILINE)
REFERENCE_PATTERN = r"\[\^([^\]\s]+)\](?!:)"
_REFERENCE_RE = re.compile(REFERENCE_PATTERN)
_REFERENCE_ID_RE = re.compile(r'id="fnref:([^"]+)"')


@dataclass(frozen=True)
class Footnotes:
    """The body's notes: their numbers, and the Markdown of each definition, in number order."""

    numbers: dict[str, int]
    definitions: tuple[tuple[str, str], ...]

    @property
    def key(self) -> int:
        """Changes whenever a reference's number would."""
        return hash(tuple(self.numbers.items()))


def is_definition_block(text: str) -> bool:
    return DEFINITION_RE.match(text) is not None


def collect_footnotes(body: str) -> Footnotes | None:
    """Number the body's defined notes by first reference; None when it defines none."""
    definitions = dict(_definitions(body))
    if not definitions:
        return None
    numbers: dict[str, int] = {}
    for match in _REFERENCE_RE.finditer(body):
        name = match.group(1)
        if name in definitions and name not in numbers:
            numbers[name] = len(numbers) + 1
    for name in definitions:  # defined but never referred to: listed last
        numbers.setdefault(name, len(numbers) + 1)
    ordered = tuple(sorted(definitions.items(), key=lambda item: numbers[item[0]]))
    return Footnotes(numbers, ordered)


def _definitions(body: str) -> list[tuple[str, str]]:
    """Each ``[^id]: text`` with its indented continuation lines, dedented."""
    found: list[tuple[str, str]] = []
    matches = list(DEFINITION_RE.finditer(body))
    for index, match in enumerate(matches):
        end = matches[index + 1].start() if index + 1 < len(matches) else len(body)
        lines = [match.group(2)]
        for line in body[match.end():end].split("\n")[1:]:
            if line.strip() and not line.startswith(("    ", "\t")):
                break  # the definition ends where unindented text starts
            lines.append(line[4:] if line.startswith("    ") else line.lstrip("\t"))
        found.append((match.group(1), "\n".join(lines).strip()))
    return found


def unique_reference_ids(block_html: str, seen: dict[str, int]) -> str:
    """A note referred to again gets ``fnref2:id``, ``fnref3:id``… as the extension does."""

    def replace(match: re.Match[str]) -> str:
        name = match.group(1)
        seen[name] = seen.get(name, 0) + 1
        count = seen[name]
        return match.group(0) if count == 1 else f'id="fnref{count}:{name}"'

    return _REFERENCE_ID_RE.sub(replace, block_html)


def footnote_list(notes: Footnotes, rendered: dict[str, str]) -> str:
    """The list of notes; ``rendered`` maps each id to its definition's HTML."""
    items = []
    for name, _ in notes.definitions:
        number = notes.numbers[name]
        quoted = html.escape(name, quote=True)
        back = (f'&#160;<a class="footnote-backref" href="#fnref:{quoted}" '
                f'title="Jump back to footnote {number} in the text">&#8617;</a>')
        content = rendered.get(name, "")
        if content.endswith("</p>"):
            content = content[: -len("</p>")] + back + "</p>"
        else:
            content = f"{content}\n<p>{back}</p>" if content else f"<p>{back}</p>"
        items.append(f'<li id="fn:{quoted}">\n{content}\n</li>')
    return '<div class="footnote">\n<hr>\n<ol>\n' + "\n".join(items) + "\n</ol>\n</div>"


class _ReferenceInline(InlineProcessor):
    def handleMatch(self, m: re.Match[str], data: str):  # type: ignore[no-untyped-def]
        numbers: dict[str, int] = getattr(self.md, "footnote_numbers", {})
        name = m.group(1)
        if name not in numbers:
            return None, None, None  # an undefined note stays as written
        sup = Element("sup", {"id": f"fnref:{name}"})
        link = SubElement(sup, "a", {"class": "footnote-ref", "href": f"#fn:{name}"})
        link.text = str(numbers[name])
        return sup, m.start(0), m.end(0)


class FootnoteReferenceExtension(Extension):
    """``[^id]`` as a numbered link, with numbers from ``md.footnote_numbers``."""

    def extendMarkdown(self, md: Markdown) -> None:
        md.footnote_numbers = {}  # type: ignore[attr-defined]
        # Above references (170) and placeholders (175), so ``[^1]`` is neither.
        md.inlinePatterns.register(_ReferenceInline(REFERENCE_PATTERN, md), "footnote_ref", 176)
