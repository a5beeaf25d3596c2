"""Spelling as findings: the body and the metadata fields a reader sees."""

from __future__ import annotations

from editor.checks.base import Family, Finding, Severity
from editor.model import Article
from editor.spelling import SpellChecker

# The front-matter fields whose words appear on the page.
CHECKED_FIELDS = ("title", "dek", "description", "image_alt", "image_caption", "related_heading")
CARD_FIELDS = ("title", "image_alt", "teaser")


def check(article: Article, checker: SpellChecker, *, with_suggestions: bool = True) -> list[Finding]:
    findings: list[Finding] = []

    def suggestions(word: str) -> tuple[str, ...]:
        return tuple(checker.suggest(word)) if with_suggestions else ()

    for misspelling in checker.check_body(article.body):
        findings.append(Finding("spelling", Family.SPELLING, Severity.WARNING,
                                f"Unknown word “{misspelling.word}”", line=misspelling.line,
                                column=misspelling.column,
                                suggestions=suggestions(misspelling.word)))
    fields = [(name, getattr(article, name)) for name in CHECKED_FIELDS
              if name != "related_heading" or article.related]
    fields += [(f"related[{index}].{name}", getattr(card, name))
               for index, card in enumerate(article.related) for name in CARD_FIELDS]
    for name, text in fields:
        for start, end in checker.check_text(text):
            word = text[start:end]
            findings.append(Finding("spelling", Family.SPELLING, Severity.WARNING,
                                    f"Unknown word “{word}” in {name}", field=name,
                                    suggestions=suggestions(word)))
    return findings
