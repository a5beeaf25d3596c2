"""Spelling as findings: the body and the metadata fields a reader sees."""

from __future__ import annotations

from collections.abc import Iterator

from editor.checks.base import Family, Finding, Severity
from editor.model import Article
from editor.spelling import SpellChecker

# The front-matter fields whose words appear on the page.
CHECKED_FIELDS = ("title", "dek", "description", "image_alt", "image_caption", "related_heading")
CARD_FIELDS = ("title", "image_alt", "teaser")


def check(article: Article, checker: SpellChecker, *, with_suggestions: bool = True) -> list[Finding]:
    return [finding for found in check_by_line(article, checker, with_suggestions=with_suggestions)
            for finding in found]


def check_by_line(article: Article, checker: SpellChecker, *,
                  with_suggestions: bool = True) -> Iterator[list[Finding]]:
    """:func:`check`'s findings a body line at a time, then the fields': the window works
    them out between its other work (editor.ui.spelling.SpellingFindings)."""

    def suggestions(word: str) -> tuple[str, ...]:
        return tuple(checker.suggest(word)) if with_suggestions else ()

    for misspellings in checker.check_body_by_line(article.body):
        yield [Finding("spelling", Family.SPELLING, Severity.WARNING,
                       f"Unknown word “{misspelling.word}”", line=misspelling.line,
                       column=misspelling.column, suggestions=suggestions(misspelling.word))
               for misspelling in misspellings] if misspellings else []
    fields = [(name, getattr(article, name)) for name in CHECKED_FIELDS
              if name != "related_heading" or article.related]
    fields += [(f"related[{index}].{name}", getattr(card, name))
               for index, card in enumerate(article.related) for name in CARD_FIELDS]
    for name, text in fields:
        yield [Finding("spelling", Family.SPELLING, Severity.WARNING,
                       f"Unknown word “{text[start:end]}” in {name}", field=name,
                       suggestions=suggestions(text[start:end]))
               for start, end in checker.check_text(text)]
