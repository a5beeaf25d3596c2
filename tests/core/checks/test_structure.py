"""Structure: the Headings panel's marks, the first heading, long sections."""

from __future__ import annotations

from checks_helpers import clean_article, found, ids

from editor.checks import Family


def test_a_well_built_outline_has_no_findings() -> None:
    assert ids(clean_article(), Family.STRUCTURE) == []


def test_skipped_levels_empty_sections_and_duplicates() -> None:
    body = "Lead.\n\n## One\n\nText.\n\n#### Deep\n\nText.\n\n## Empty\n\n## One\n\nText.\n"
    found_ids = [(f.id, f.line) for f in found(clean_article(body=body), Family.STRUCTURE,
                                                "structure.skipped-level")]
    assert found_ids == [("structure.skipped-level", 7)]
    assert [f.line for f in found(clean_article(body=body), Family.STRUCTURE,
                                  "structure.empty-section")] == [11]
    assert [f.line for f in found(clean_article(body=body), Family.STRUCTURE,
                                  "structure.duplicate-heading")] == [3, 13]


def test_first_heading_must_be_a_section_heading() -> None:
    [finding] = found(clean_article(body="Lead.\n\n# Title again\n\nText.\n"), Family.STRUCTURE,
                      "structure.first-heading")
    assert finding.line == 3


def test_long_sections_without_subheadings() -> None:
    long_text = " ".join(["word"] * 650)
    body = f"## Short\n\nText.\n\n## Long\n\n{long_text}\n\n## Split\n\n{long_text}\n\n### Sub\n\nx\n"
    findings = found(clean_article(body=body), Family.STRUCTURE, "structure.long-section")
    assert [f.line for f in findings] == [5]
