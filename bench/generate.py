"""Generated articles for the benchmarks: realistic structure at any length.

Headings every few paragraphs, lists, placeholders, a block quote, and a fenced code block about
every 2,000 words; deterministic for a given size so runs compare.
"""

from __future__ import annotations

import argparse
import random
from pathlib import Path

WORDS = (
    "council budget harbour bridge residents district minister election vote report committee "
    "police court hospital school transport housing energy water climate market price inflation "
    "growth workers union strike contract tender mayor governor senator analyst official "
    "spokesperson statement interview survey data figure percent million billion year month week "
    "morning evening night city region country border coast river port airport station road "
    "said told added explained warned argued claimed denied confirmed announced promised "
    "the a of to in and for on with at by from after before during while because although"
).split()


def _sentence(rng: random.Random, length: int) -> str:
    words = [rng.choice(WORDS) for _ in range(length)]
    return " ".join(words).capitalize() + "."


def _paragraph(rng: random.Random, words: int) -> str:
    sentences = []
    while words > 0:
        length = min(words, rng.randint(8, 24))
        sentences.append(_sentence(rng, length))
        words -= length
    return " ".join(sentences)


def generate_article(words: int, seed: int = 7) -> str:
    """A Markdown article with front matter and about ``words`` words of body."""
    rng = random.Random(seed * 1_000_003 + words)
    parts = [
        "---",
        f"title: Generated article of {words} words",
        "dek: A benchmark article with the structure of a long report.",
        "author: Bench Writer",
        "date: 2025-10-01",
        "tags: [bench]",
        "related:",
        "  - title: A related story",
        "    url: https://example.com/related",
        "    image_alt: A picture",
        "    teaser: Its teaser…",
        "---",
        "",
    ]
    written = 0
    section = 0
    next_code = 2000
    while written < words:
        section += 1
        parts.append(f"## Section {section}: {_sentence(rng, 5)[:-1]}")
        parts.append("")
        for index in range(rng.randint(3, 6)):
            paragraph = _paragraph(rng, rng.randint(40, 110))
            if index == 1 and section % 2:
                paragraph += " [INTERNAL_LINK]"
            if index == 2 and section % 5 == 0:
                paragraph += " TK"
            parts.extend([paragraph, ""])
            written += len(paragraph.split())
        if section % 3 == 0:
            parts.extend([f"- {_sentence(rng, 8)}" for _ in range(3)] + [""])
            written += 27
        if section % 4 == 0:
            parts.extend([f"> {_sentence(rng, 20)}", ""])
            written += 20
        if written >= next_code:
            next_code += 2000
            parts.extend(["```python", "def total(values):", "    return sum(values)", "```", ""])
    return "\n".join(parts)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("words", type=int)
    parser.add_argument("-o", "--output", type=Path, required=True)
    args = parser.parse_args()
    args.output.write_text(generate_article(args.words), "utf-8")


if __name__ == "__main__":
    main()
