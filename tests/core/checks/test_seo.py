"""SEO tied to the focus keyword, lengths and the slug."""

from __future__ import annotations

from checks_helpers import CLEAN_BODY, clean_article, found, ids

from editor.checks import Family, apply_change
from editor.model import proposed_slug


def test_a_well_keyworded_article_has_no_seo_findings() -> None:
    assert ids(clean_article(), Family.SEO) == []


def test_keyword_missing_from_each_place() -> None:
    article = clean_article(
        title="Council approves the crossing", slug="crossing-approved",
        description="x" * 130,
        body="The council voted on Tuesday.\n\n## Why it matters\n\nThe harbour bridge is long.\n")
    assert set(ids(article, Family.SEO)) >= {
        "seo.keyword-headline", "seo.keyword-lead", "seo.keyword-description",
        "seo.keyword-slug", "seo.keyword-subheading"}


def test_headline_and_description_lengths_with_the_trim_fix() -> None:
    long_description = "The harbour bridge " + "and more words " * 15
    article = clean_article(title="The harbour bridge " + "x" * 60, description=long_description)
    assert found(article, Family.SEO, "seo.headline-length")[0].field == "title"
    [finding] = found(article, Family.SEO, "seo.description-length")
    fixed = apply_change(article, finding.fix.make(article))
    assert len(fixed.description) <= 160 and fixed.description.endswith("…")
    assert found(fixed, Family.SEO, "seo.description-length") == []
    short = clean_article(description="The harbour bridge is approved.")
    assert found(short, Family.SEO, "seo.description-length")[0].fix is None


def test_slug_fix_makes_it_from_the_headline() -> None:
    article = clean_article(slug="Harbour_Bridge Approved")
    [finding] = found(article, Family.SEO, "seo.slug")
    fixed = apply_change(article, finding.fix.make(article))
    assert fixed.slug == "council-approves-the-harbour-bridge-after-ten-years"
    assert found(fixed, Family.SEO, "seo.slug") == []


def test_slug_fix_gives_the_slug_the_form_proposes() -> None:
    article = clean_article(title="Don't miss: the harbour bridge", slug="")
    [finding] = found(article, Family.SEO, "seo.slug")
    fixed = apply_change(article, finding.fix.make(article))
    assert fixed.slug == proposed_slug(article.title) == "don-t-miss-the-harbour-bridge"


def test_keyword_density() -> None:
    filler = "The council met and talked about money for a long time. " * 30
    stuffed = clean_article(body=CLEAN_BODY + filler + "The harbour bridge. " * 10)
    [finding] = found(stuffed, Family.SEO, "seo.keyword-density")
    assert finding.message.startswith("The focus keyword makes 6.")
    assert found(clean_article(body=CLEAN_BODY + filler), Family.SEO, "seo.keyword-density") == []
    sparse = clean_article(body=CLEAN_BODY + filler * 3)
    assert found(sparse, Family.SEO, "seo.keyword-density")
    no_keyword = clean_article(keyword="")
    assert ids(no_keyword, Family.SEO) == ["seo.no-keyword"]
