"""Placeholders: found with line, column and context, and drawn as marked elements."""

from __future__ import annotations

from editor.placeholders import PlaceholderKind, find_placeholders
from editor.render import render_markdown

BODY = """Intro paragraph with a link to come [INTERNAL_LINK].

The budget annex [EXTERNAL_LINK]: it is long. Turnout was TK percent.

[IMAGE: chart of turnout by district]

Quote: [QUOTE_NEEDED] and `[CODE_TOKEN]` in code.

```
[NOT_A_PLACEHOLDER] TK
```

[TOC] is Markdown's, TKO and TK-1 are words, [A] is too short, [link](/x) and [Ref][r].

[r]: https://example.com
"""


def test_every_kind_is_found_in_document_order_with_line_and_column() -> None:
    found = find_placeholders(BODY)
    assert [(p.kind, p.token, p.line, p.column) for p in found] == [
        (PlaceholderKind.INTERNAL_LINK, "[INTERNAL_LINK]", 1, 37),
        (PlaceholderKind.EXTERNAL_LINK, "[EXTERNAL_LINK]", 3, 18),
        (PlaceholderKind.TK, "TK", 3, 59),
        (PlaceholderKind.IMAGE, "[IMAGE: chart of turnout by district]", 5, 1),
        (PlaceholderKind.TOKEN, "[QUOTE_NEEDED]", 7, 8),
    ]
    for placeholder in found:
        assert BODY[placeholder.start:placeholder.end] == placeholder.token


def test_context_is_the_sentence_before_or_the_one_it_opens() -> None:
    found = {p.token: p for p in find_placeholders(
        "It went badly. Costs rose [INTERNAL_LINK]\n\n"
        "Nobody knew. [EXTERNAL_LINK]\n\n"
        "[IMAGE: a map] Shows the route. More.\n")}
    assert found["[INTERNAL_LINK]"].context == "Costs rose"
    assert found["[EXTERNAL_LINK]"].context == "Nobody knew."
    assert found["[IMAGE: a map]"].context == "Shows the route."
    assert found["[IMAGE: a map]"].description == "a map"


def test_rendered_placeholders_keep_their_token_text_inside_a_marked_element() -> None:
    html = render_markdown(BODY)
    assert ('<span class="placeholder placeholder-internal-link" '
            'title="Unresolved: Internal link">[INTERNAL_LINK]</span>') in html
    assert 'placeholder-external-link" title="Unresolved: External link">[EXTERNAL_LINK]</span>:' in html
    assert ">TK</span> percent" in html
    assert 'placeholder-image" title="Unresolved: Image">[IMAGE: chart of turnout by district]<' in html
    assert 'placeholder-token" title="Unresolved: Placeholder">[QUOTE_NEEDED]<' in html
    assert html.count('class="placeholder') == 5
    assert "<code>[CODE_TOKEN]</code>" in html
    assert '<a href="https://example.com">Ref</a>' in html
