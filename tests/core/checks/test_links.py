"""Links: what their text says, duplicates, http beside https, cards without URLs."""

from __future__ import annotations

from checks_helpers import clean_article, found, ids

from editor.checks import Family, apply_change
from editor.model import RelatedCard


def test_good_links_have_no_findings() -> None:
    assert ids(clean_article(), Family.LINKS) == []


def test_vague_empty_and_bare_url_texts() -> None:
    body = ("See [click here](https://a.example/1), [](https://a.example/2) and "
            "[https://a.example/3](https://a.example/3).\n")
    assert ids(clean_article(body=body), Family.LINKS) == [
        "links.vague-text", "links.empty-text", "links.bare-url"]


def test_same_url_twice() -> None:
    body = "[One](https://a.example/x) and [two](https://a.example/x).\n"
    [finding] = found(clean_article(body=body), Family.LINKS, "links.duplicate-url")
    assert finding.column == 32


def test_http_where_https_exists_with_one_fix_for_all() -> None:
    body = ("[Safe](https://a.example/1), [old](http://a.example/2), [older](http://a.example/3), "
            "[other](http://b.example/4).\n")
    article = clean_article(body=body)
    findings = found(article, Family.LINKS, "links.insecure")
    assert len(findings) == 2
    fixed = apply_change(article, findings[0].fix.make(article))
    assert "http://a." not in fixed.body and "http://b.example/4" in fixed.body


def test_cards_without_urls() -> None:
    article = clean_article(related=[RelatedCard(title="Ok", url="https://x.example"),
                                     RelatedCard(title="Missing")])
    [finding] = found(article, Family.LINKS, "links.card-url")
    assert finding.field == "related[1].url"
