"""The body renderer: Python-Markdown's extensions, block by block, sanitised."""

from __future__ import annotations

import time

from hypothesis import given, settings
from hypothesis import strategies as st

from editor.render import (
    BodyRenderer,
    RawHtml,
    heading_offset,
    render_markdown,
    resplit_blocks,
    split_blocks,
)


def test_extensions_tables_footnotes_code_ids_and_attributes() -> None:
    html = render_markdown(
        "## Costs {: .wide }\n\n| a | b |\n|---|--:|\n| 1 | 2 |\n\nA claim.[^1]\n\n"
        "```python\nx = 1\n```\n\n[^1]: The source.\n"
    )
    assert '<h2 class="wide" id="costs">Costs</h2>' in html
    assert "<table>" in html and '<td style="text-align: right;">2</td>' in html
    assert 'class="footnote-ref"' in html and 'class="footnote"' in html
    assert '<div class="codehilite"><pre>' in html and '<span class="n">x</span>' in html


def test_blocks_follow_blank_lines_but_keep_loose_lists_and_fences_whole() -> None:
    body = "# Title\n\nPara one\nstill one\n\n- a\n\n- b\n\n    more b\n\n```\ncode\n\nmore\n```\nAfter"
    blocks = split_blocks(body)
    assert [(b.start, b.end) for b in blocks] == [(0, 1), (2, 4), (5, 10), (11, 17)]
    assert blocks[3].text.endswith("After")


def test_incremental_render_equals_a_whole_render() -> None:
    body = "\n\n".join(f"## Part {i}\n\nParagraph {i} with *emphasis*." for i in range(30))
    renderer = BodyRenderer()
    renderer.render(body)
    edited = body.replace("Paragraph 17", "Paragraph seventeen")
    assert renderer.render(edited).html == BodyRenderer().render(edited).html


def test_heading_ids_stay_unique_across_blocks() -> None:
    html = render_markdown("## Reaction\n\ntext\n\n## Reaction\n\ntext\n\n## Reaction\n")
    assert [part.split('"')[0] for part in html.split('id="')[1:]] == [
        "reaction", "reaction_1", "reaction_2"]


def test_headings_are_shifted_so_the_first_sits_under_the_page_h1() -> None:
    assert heading_offset("# One\n\n## Two") == 1
    assert heading_offset("text\n\n### Deep first\n\n## Later") == -1
    assert heading_offset("```\n# not a heading\n```\n\n## Real") == 0
    assert heading_offset("Setext\n======\n") == 1
    html = render_markdown("# One\n\n## Two\n\n###### Six")
    assert "<h2 id=\"one\">" in html and "<h3 id=\"two\">" in html and "<h6" in html
    assert "<h1" not in render_markdown("### Deep first\n\n# Big later")


def test_raw_html_is_sanitised_by_default_and_kept_on_request() -> None:
    body = ('<script>alert(1)</script>\n\n<p onclick="x()">Hi <img src="a.png" onerror="y()"></p>'
            '\n\n[bad](javascript:alert(1)) <iframe src="https://e.com"></iframe>')
    safe = render_markdown(body)
    for hostile in ("<script", "alert(1)", "onclick", "onerror", "javascript:", "<iframe"):
        assert hostile not in safe
    assert '<img alt="" src="a.png">' in safe
    kept = render_markdown(body, RawHtml.KEEP)
    assert "<script>alert(1)</script>" in kept and "onerror" in kept and "<iframe" in kept


def test_urls_in_attributes_are_percent_encoded() -> None:
    html = render_markdown('[post]({{ "/a/b/" | url }}) and ![x](my image.png)\n\n'
                           '<a href="/with space?q=a b">raw</a>')
    assert 'href="%7B%7B%20%22/a/b/%22%20%7C%20url%20%7D%7D"' in html
    assert 'href="/with%20space?q=a%20b"' in html


def test_block_lines_and_text_agree_with_the_body_everywhere() -> None:
    body = ("\n\n  \nLead\n\n\n## Head\n```\na\n\n\n  \nb\n```\n~~~~\n```\nstill code\n\n~~~~\n"
            "\n1. one\n\n2. two\n\n    cont\n\n   \n> quote\n\n")
    lines = body.split("\n")
    blocks = split_blocks(body)
    for block in blocks:
        assert block.text == "\n".join(lines[block.start:block.end])
    assert [block.text.split("\n")[0] for block in blocks] == [
        "Lead", "## Head", "1. one", "> quote"]
    # Blank lines inside either fence stay in the block; the loose list stays one block.
    assert blocks[1].text.endswith("b\n```\n~~~~\n```\nstill code\n\n~~~~")
    assert blocks[2].text == "1. one\n\n2. two\n\n    cont"


def test_a_render_past_its_deadline_stops_and_the_next_call_continues() -> None:
    body = "\n\n".join(f"Paragraph {i} with a [link][r]." for i in range(200)) + "\n\n[r]: /a\n"
    renderer = BodyRenderer()
    assert renderer.render_until(body, deadline=0.0) is None  # one block, then it gives up
    finished = None
    calls = 1
    while finished is None:
        calls += 1
        finished = renderer.render_until(body, deadline=time.perf_counter() + 0.002)
    assert 2 < calls <= 201
    assert finished.html == BodyRenderer().render(body).html


_LINES = st.sampled_from([
    "", "", "", "Para text.", "More text", "## Heading", "- item", "1. item", "    indented",
    "> quote", "```", "~~~", "code = 1", "   ", "[r]: /x", "Setext", "===",
])


@settings(max_examples=300, deadline=None)
@given(
    old=st.lists(_LINES, max_size=30).map("\n".join),
    cut=st.tuples(st.integers(0, 400), st.integers(0, 40)),
    inserted=st.lists(_LINES, max_size=4).map("\n".join)
    | st.sampled_from(["x", "\n", "\n\n", "- ", "`", "```\n"]),
)
def test_resplitting_around_an_edit_equals_splitting_everything(
    old: str, cut: tuple[int, int], inserted: str
) -> None:
    start = min(cut[0], len(old))
    end = min(len(old), start + cut[1])
    new = old[:start] + inserted + old[end:]
    blocks = split_blocks(old)
    assert resplit_blocks(old, [block.offset for block in blocks], [block.start for block in blocks],
                          [block.text for block in blocks], new) == split_blocks(new)


def test_typing_through_a_long_body_keeps_blocks_equal_to_a_full_split() -> None:
    body = "\n\n".join(f"## Part {i}\n\nText {i}.\n\n- a\n\n- b" for i in range(40))
    renderer = BodyRenderer()
    renderer.render(body)
    for position in range(5, len(body), 97):
        body = body[:position] + ("\n\n" if position % 3 else "x") + body[position:]
        assert [b.html for b in renderer.render(body).blocks] == [
            b.html for b in BodyRenderer().render(body).blocks]


def test_a_stopped_render_resumes_where_it_stopped() -> None:
    body = "\n\n".join(f"Paragraph {n} with *words*." for n in range(300))

    class CountingCache(dict):
        lookups = 0

        def get(self, key, default=None):  # type: ignore[no-untyped-def]
            CountingCache.lookups += 1
            return super().get(key, default)

    renderer = BodyRenderer()
    renderer._cache = CountingCache()  # the edge we watch: how often a block is looked up
    calls = 0
    finished = None
    while finished is None:  # a deadline already past: one new block per call
        calls += 1
        finished = renderer.render_until(body, deadline=0.0)
    assert calls == 300
    assert CountingCache.lookups < 2 * 300  # not once per earlier block on every call
    assert finished.html == BodyRenderer().render(body).html


ANNOTATED = """# Intro

[TOC]

A claim.[^source] Another[^b] and again[^source], and [^undefined] stays as written.

## Second

### Sub

Text.

[^b]: Note B with *emphasis*.
    Continued line.

[^source]: The source.
"""


def test_footnotes_are_numbered_by_first_reference_and_listed_after_the_body() -> None:
    blocks = BodyRenderer().render(ANNOTATED).blocks
    html = "\n".join(block.html for block in blocks)
    assert ('<sup id="fnref:source"><a class="footnote-ref" href="#fn:source">1</a></sup>'
            in html)
    assert '<sup id="fnref:b"><a class="footnote-ref" href="#fn:b">2</a></sup>' in html
    assert '<sup id="fnref2:source"><a class="footnote-ref" href="#fn:source">1</a></sup>' in html
    assert "[^undefined] stays as written" in html
    notes = blocks[-1].html
    assert notes.startswith('<div class="footnote">\n<hr>\n<ol>\n<li id="fn:source">')
    assert notes.index('id="fn:source"') < notes.index('id="fn:b"')
    assert ("Note B with <em>emphasis</em>.\nContinued line.&nbsp;<a class=\"footnote-backref\" "
            'href="#fnref:b" title="Jump back to footnote 2 in the text">↩</a></p>') in notes
    assert "[^b]:" not in html  # definitions show only in the list


def test_toc_lists_the_body_headings_nested() -> None:
    html = render_markdown(ANNOTATED)
    toc = html[html.index('<div class="toc">'):html.index("</div>") + 6]
    assert toc == ('<div class="toc">\n<ul>\n<li><a href="#intro">Intro</a>\n<ul>\n'
                   '<li><a href="#second">Second</a>\n<ul>\n<li><a href="#sub">Sub</a>\n'
                   "</li>\n</ul>\n</li>\n</ul>\n</li>\n</ul>\n</div>")


def test_typing_in_an_annotated_article_renders_one_block(monkeypatch) -> None:
    body = ANNOTATED + "\n\n".join(f"Paragraph {n} cites[^b]." for n in range(100))
    renderer = BodyRenderer()
    renderer.render(body)
    rendered: list[str] = []
    original = renderer._render_block

    def counting(key, references, notes):  # type: ignore[no-untyped-def]
        rendered.append(key[0])
        return original(key, references, notes)

    monkeypatch.setattr(renderer, "_render_block", counting)
    edited = body.replace("Paragraph 50 cites", "Paragraph fifty cites")
    assert renderer.render(edited).html == BodyRenderer().render(edited).html
    assert rendered == ["Paragraph fifty cites[^b]."]


_TEXT = st.sampled_from([
    "x", " ", "\n", "\n\n", "## ", "# Title", "Title\n===", "- ", "1. ", "    ", "> ", "```\n",
    "[TOC]", "[^n]", "\n\n[^n]: A note.", "[r]", "\n\n[r]: /x", "<h2 id=\"part-1\">Raw</h2>",
    "Part 1", "`code`", "*", "TK", "[INTERNAL_LINK]", "---",
])
_START = "\n\n".join([
    "Lead paragraph.", "## Part 1", "Text one.", "## Part 2", "- item\n- item",
    "Text two with a link [r].", "> quote", "## Part 1", "Closing words.",
])


@settings(max_examples=200, deadline=None)
@given(edits=st.lists(st.tuples(st.floats(0, 1), st.integers(0, 12), _TEXT), min_size=1,
                      max_size=12))
def test_the_preview_after_random_edits_equals_a_full_render(
    edits: list[tuple[float, int, str]]
) -> None:
    body = _START
    renderer = BodyRenderer()
    previous = renderer.render(body)
    for where, removed, text in edits:
        start = int(where * len(body))
        body = body[:start] + text + body[start + removed:]
        rendered = renderer.render(body)
        assert rendered.blocks == BodyRenderer().render(body).blocks
        assert rendered.has_code == BodyRenderer().render(body).has_code
        change = rendered.change
        if change is not None:  # what the preview patches turns the last blocks into these
            assert change.before is previous.htmls
            patched = (previous.htmls[:change.start]
                       + rendered.htmls[change.start:change.start + change.inserted]
                       + previous.htmls[change.start + change.removed:])
            assert patched == rendered.htmls
        previous = rendered


def test_an_edit_in_one_block_renders_that_block_and_walks_no_other(monkeypatch) -> None:
    body = "\n\n".join(f"## Part {n}\n\nParagraph {n} with *words*." for n in range(2000))
    renderer = BodyRenderer()
    before = renderer.render(body)
    looked_up: list[str] = []
    original = renderer._cache.get

    class WatchedCache(dict):  # the edge we watch: which blocks the render looks at
        def get(self, key, default=None):  # type: ignore[no-untyped-def]
            looked_up.append(key[0])
            return original(key, default)

    renderer._cache = WatchedCache(renderer._cache)
    edited = body.replace("Paragraph 1500 with", "Paragraph 1500 now with")
    after = renderer.render(edited)
    assert looked_up == ["Paragraph 1500 now with *words*."]
    index = before.texts.index("Paragraph 1500 with *words*.")
    assert after.change is not None
    assert (after.change.start, after.change.removed, after.change.inserted) == (index, 1, 1)
    assert after.htmls[index] == "<p>Paragraph 1500 now with <em>words</em>.</p>"
    assert after.blocks == BodyRenderer().render(edited).blocks


def test_a_heading_edit_stays_local_unless_an_id_must_be_made_unique() -> None:
    body = "\n\n".join(f"## Part {n}\n\nText {n}." for n in range(50))
    renderer = BodyRenderer()
    renderer.render(body)
    renamed = body.replace("## Part 7\n", "## Part seven\n")
    assert renderer.render(renamed).change is not None
    assert renderer.render(renamed).blocks == BodyRenderer().render(renamed).blocks
    clash = renamed.replace("## Part seven\n", "## Part 30\n")  # "part-30" is taken later on
    rendered = renderer.render(clash)
    assert rendered.blocks == BodyRenderer().render(clash).blocks
    assert 'id="part-30_1"' in rendered.html


def test_an_edit_that_moves_every_heading_to_another_level_re_renders_them() -> None:
    body = "Para\n\n===\n\n## Head\n\ntext"  # the first heading's level reads the line before
    renderer = BodyRenderer()
    renderer.render(body)
    edited = "- " + body
    assert renderer.render(edited).blocks == BodyRenderer().render(edited).blocks
