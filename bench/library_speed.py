"""The story library at scale: adding generated stories from files, search as you type,
suggestions for a long article, and the file's size against the text it indexes.

    python bench/library_speed.py [--stories N]     # 100,000 by default; --smoke: 1,000

Stories are Markdown files with front matter (title, date, tags, description) and a body of
150–450 words drawn from a 20,000-word vocabulary with the skewed frequencies of real text,
so that common words are in most stories and rare ones in few, as in an archive.
"""

from __future__ import annotations

import argparse
import os
import random
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from measure import ROOT, Result, median, p95

sys.path.insert(0, str(ROOT / "src"))
from editor.fileformat import parse_markdown
from editor.library.sources import index_paths
from editor.library.sqlite import SqliteLibrary
from editor.library.suggest import Suggester

VOCABULARY_SIZE = 20_000
_SYLLABLES = ("ba be bi bo bu ca ce ci co cu da de di do du fa fe fi fo ga ge go ha he hi ho "
              "la le li lo lu ma me mi mo mu na ne ni no nu pa pe pi po ra re ri ro ru sa se "
              "si so su ta te ti to tu va ve vi vo za ze zi zo tra pre sto gra ble").split()


class Vocabulary:
    """Pseudo-words with Zipf-like frequencies: rank r is drawn with weight 1 / r."""

    def __init__(self, size: int = VOCABULARY_SIZE, seed: int = 3) -> None:
        rng = random.Random(seed)
        words: set[str] = set()
        while len(words) < size:
            words.add("".join(rng.choice(_SYLLABLES) for _ in range(rng.randint(2, 4))))
        self.words = sorted(words)
        rng.shuffle(self.words)
        weights = [1 / rank for rank in range(1, size + 1)]
        total = 0.0
        self.cumulative = []
        for weight in weights:
            total += weight
            self.cumulative.append(total)

    def sample(self, rng: random.Random, count: int) -> list[str]:
        return rng.choices(self.words, cum_weights=self.cumulative, k=count)


def _sentences(vocabulary: Vocabulary, rng: random.Random, words: int) -> str:
    out = []
    while words > 0:
        length = min(words, rng.randint(8, 22))
        out.append(" ".join(vocabulary.sample(rng, length)).capitalize() + ".")
        words -= length
    return " ".join(out)


def write_stories(folder: Path, count: int, vocabulary: Vocabulary) -> int:
    """``count`` story files in year/month folders; returns the bytes of text they hold."""
    rng = random.Random(17)
    text_bytes = 0
    for index in range(count):
        year, month = 2000 + index * 25 // count, 1 + index % 12
        day = 1 + index % 28
        title = " ".join(vocabulary.sample(rng, rng.randint(5, 10))).capitalize()
        tags = ", ".join(vocabulary.sample(rng, 2))
        description = _sentences(vocabulary, rng, 20)
        body = "\n\n".join(_sentences(vocabulary, rng, rng.randint(40, 110))
                           for _ in range(rng.randint(2, 5)))
        text = (f"---\ntitle: {title}\ndate: {year}-{month:02}-{day:02}\ntags: [{tags}]\n"
                f"description: {description}\nurl: https://example.com/{index}\n---\n{body}\n")
        sub = folder / str(year) / f"{month:02}"
        sub.mkdir(parents=True, exist_ok=True)
        (sub / f"story-{index}.md").write_text(text, "utf-8")
        text_bytes += len(text.encode("utf-8"))
    return text_bytes


def long_article(vocabulary: Vocabulary, seed: int, words: int = 5000,
                 placeholders: int = 10) -> str:
    rng = random.Random(seed)
    paragraphs = []
    written = 0
    while written < words:
        paragraphs.append(_sentences(vocabulary, rng, rng.randint(60, 120)))
        written += len(paragraphs[-1].split())
    for index in range(placeholders):
        at = index * len(paragraphs) // placeholders
        paragraphs[at] = paragraphs[at].rstrip(".") + " [INTERNAL_LINK]."
    title = " ".join(vocabulary.sample(rng, 7)).capitalize()
    return f"---\ntitle: {title}\ndate: 2025-10-01\n---\n" + "\n\n".join(paragraphs) + "\n"


def bench_library_speed(smoke: bool, stories: int | None = None) -> list[Result]:
    count = stories or (1_000 if smoke else 100_000)
    vocabulary = Vocabulary()
    results = []
    with tempfile.TemporaryDirectory(prefix="article-bench-") as folder:
        root = Path(folder)
        text_bytes = write_stories(root / "archive", count, vocabulary)
        library = SqliteLibrary(root / "library.sqlite3")
        start = time.perf_counter()
        report = index_paths(library, [root / "archive"], workers=os.cpu_count() or 1)
        library.close()  # as after every add: the word counts are brought up to date
        seconds = time.perf_counter() - start
        library = SqliteLibrary(root / "library.sqlite3")
        assert report.added == count, report
        results.append(Result(
            f"library: add {count:,} stories from files ({os.cpu_count()} processes)",
            count / seconds, "stories/s",
            target="≥ 1,000/s", met=count / seconds >= 1000, details={"seconds": seconds}))

        rng = random.Random(23)
        typed = []
        titles = [story.title for _, story in library.stories()]
        for title in rng.sample(titles, 60 if not smoke else 15):
            text = ""
            for word in title.split()[:3]:
                for cut in range(2, len(word) + 1, 2):
                    typed.append((text + " " + word[:cut]).strip())
                text = (text + " " + word).strip()
        times = []
        for query in typed:
            start = time.perf_counter()
            library.search(query, 20)
            times.append((time.perf_counter() - start) * 1000)
        results.append(Result(
            f"library: search as you type, {count:,} stories", median(times), "ms",
            p95=p95(times), target="p95 < 20 ms", met=p95(times) < 20,
            details={"queries": float(len(times))}))

        # As in the dock: one Suggester for the session (it keeps word frequencies and the
        # words of stories it has seen), warmed up by one article not counted.
        suggester = Suggester(library)
        suggester.suggest(parse_markdown(long_article(vocabulary, 999)))
        times = []
        for seed in range(5 if smoke else 20):
            article = parse_markdown(long_article(vocabulary, seed))
            start = time.perf_counter()
            suggester.suggest(article)
            times.append((time.perf_counter() - start) * 1000)
        results.append(Result(
            f"library: all suggestions, 5,000-word article with 10 placeholders, {count:,} "
            "stories", median(times), "ms", p95=p95(times), target="p95 < 50 ms",
            met=p95(times) < 50, details={"articles": float(len(times))}))

        library._db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        library.close()
        size = sum(path.stat().st_size for path in root.glob("library.sqlite3*"))
        results.append(Result(
            f"library: file size ÷ text indexed, {count:,} stories", size / text_bytes, "×",
            target="< 3×", met=size / text_bytes < 3,
            details={"file_mb": size / 1e6, "text_mb": text_bytes / 1e6}))
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--stories", type=int, default=100_000)
    parser.add_argument("--smoke", action="store_true")
    args = parser.parse_args()
    for result in bench_library_speed(args.smoke, None if args.smoke else args.stories):
        spread = f", p95 {result.p95:.1f}" if result.p95 is not None else ""
        print(f"{result.name}: {result.value:,.2f} {result.unit}{spread}  ({result.target}"
              f"{'' if result.met is None else ' ✓' if result.met else ' ✗'})")


if __name__ == "__main__":
    main()
