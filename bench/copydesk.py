"""The copy desk's costs and spelling quality (issue 12).

1. Spell check per keystroke: what the body editor's highlighter adds on the main thread when
   a key changes a line of a 100k-word article — checking the changed line (a cache miss for
   its new text; the other lines are cached by text). Baseline: the highlighter's own
   regex colouring of the same line, without spell check (``bench/`` measures the window's
   full key-event cost separately, in ``typing``).
2. The Checks dock's spelling findings at 100k words, from the window's spell checker (every
   line cached by its underlines); and the checks (``run_checks``) on 1k, 20k and 100k words,
   with and without spelling (the window's worker process runs them without).
3. Spelling quality, English:
   - misspellings: 209 well-known pairs from Wikipedia's "Lists of common misspellings"
     (``bench/data/common_misspellings.txt``); % flagged and % with the right word among the
     first three suggestions;
   - false flags on published prose: the U.S. Constitution and Declaration of Independence
     (public domain) from Debian's ``miscfiles`` package (``/usr/share/state``); % of words
     flagged.
   Both dictionaries are measured: the system's Hunspell one (when installed) and the one
   pyspellchecker ships.
"""

from __future__ import annotations

import gzip
import random
import re
import time
from pathlib import Path

from editor.checks import run_checks
from editor.checks.spelling import check as check_spelling
from editor.checks.spelling import check_by_line
from editor.fileformat import parse_markdown
from editor.spelling import (
    HunspellWordList,
    PackagedWordList,
    SpellChecker,
    WordList,
    article_terms,
    find_hunspell,
    word_list_for,
)
from generate import generate_article
from measure import Result, median, p95

PROSE = (Path("/usr/share/state/us-constitution.gz"), Path("/usr/share/state/us-declaration.gz"))
_HIGHLIGHT_LIKE = (re.compile(r"(\*\*|__)(?=\S)(.+?)(?<=\S)\1"), re.compile(r"`+.+?`+"),
                   re.compile(r"(!?\[)([^\]\n]*)(\]\()"))


def _keystroke_lines(body: str, count: int) -> list[str]:
    """Lines of prose as they read after a keystroke: a letter typed in the middle of a word."""
    lines = [line for line in body.split("\n") if len(line) > 40 and not line.startswith(("#", "`"))]
    rng = random.Random(12)
    edited = []
    for line in rng.sample(lines, min(count, len(lines))):
        position = rng.randrange(len(line))
        edited.append(line[:position] + "x" + line[position:])
    return edited


def bench_spell_keystroke(smoke: bool) -> list[Result]:
    words = 20_000 if smoke else 100_000
    article = parse_markdown(generate_article(words))
    word_list = word_list_for("en")
    checker = SpellChecker(word_list, article_terms(article))
    list(checker.check_body(article.body))  # every line cached, as after the first highlight
    lines = _keystroke_lines(article.body, 30 if smoke else 200)
    costs, baseline = [], []
    for line in lines:
        start = time.perf_counter()
        checker.line_spans(line)
        costs.append((time.perf_counter() - start) * 1000)
        start = time.perf_counter()
        for pattern in _HIGHLIGHT_LIKE:
            list(pattern.finditer(line))
        baseline.append((time.perf_counter() - start) * 1000)
    return [Result(
        f"spell check per keystroke (changed line), {words // 1000}k words", median(costs), "ms",
        p95=p95(costs), target="p95 ≤ 4 ms", met=p95(costs) <= 4.0,
        baseline=median(baseline), baseline_name="the highlighter's regexes on the line",
        details={"dictionary": word_list.name, "max_ms": max(costs),
                 "line_chars_median": median([float(len(line)) for line in lines])},
    )]


def bench_window_spelling_findings(smoke: bool) -> list[Result]:
    """The Checks dock's spelling findings from the tab's checker, whose cache holds every line
    (its underlines checked them); the window works them out a few ms per turn of its loop,
    stopping between lines. Baseline: a checker with nothing cached yet (a new one)."""
    words = 20_000 if smoke else 100_000
    article = parse_markdown(generate_article(words))
    word_list = word_list_for("en")
    checker = SpellChecker(word_list, article_terms(article))
    list(checker.check_body(article.body))  # every line cached, as the underlines leave it
    warm, cold, steps = [], [], []
    for _ in range(3 if smoke else 20):
        start = time.perf_counter()
        findings = check_spelling(article, checker, with_suggestions=False)
        warm.append(time.perf_counter() - start)
    start = time.perf_counter()
    for _found in check_by_line(article, checker, with_suggestions=False):
        now = time.perf_counter()
        steps.append(now - start)
        start = now
    for _ in range(1 if smoke else 3):
        fresh = SpellChecker(word_list, article_terms(article))
        start = time.perf_counter()
        check_spelling(article, fresh, with_suggestions=False)
        cold.append(time.perf_counter() - start)
    return [Result(
        f"spelling findings from the window's checker, {words // 1000}k words", median(warm) * 1000,
        "ms", p95=p95(warm) * 1000, target="a few ms (in slices of ≤ 4 ms)",
        baseline=median(cold) * 1000, baseline_name="a checker with nothing cached",
        details={"longest_step_ms": max(steps) * 1000, "findings": float(len(findings))},
    )]


def bench_checks(smoke: bool) -> list[Result]:
    results = []
    word_list = word_list_for("en")
    run_checks(parse_markdown(generate_article(300)))  # the readability library's first load
    for words in ((1_000, 20_000) if smoke else (1_000, 20_000, 100_000)):
        article = parse_markdown(generate_article(words))
        repeat = 1 if smoke or words >= 100_000 else 3
        plain, spelled = [], []
        run_checks(article)  # the body's outline and placeholders are cached by text: warm both
        for _ in range(repeat):
            start = time.perf_counter()
            run_checks(article)
            plain.append(time.perf_counter() - start)
            checker = SpellChecker(word_list, article_terms(article))  # cold: nothing cached
            start = time.perf_counter()
            run_checks(article, spelling=checker, with_suggestions=False)
            spelled.append(time.perf_counter() - start)
        results.append(Result(
            f"checks, {words // 1000}k words (worker thread)", median(spelled) * 1000, "ms",
            baseline=median(plain) * 1000, baseline_name="the same without spelling",
            details={"without_spelling_median_ms": median(plain) * 1000},
        ))
    return results


MISSPELLINGS = Path(__file__).parent / "data" / "common_misspellings.txt"


def misspelling_pairs() -> list[tuple[str, str]]:
    """Common English misspellings and their correction (bench/data, sources noted there)."""
    pairs = []
    for line in MISSPELLINGS.read_text(encoding="utf-8").splitlines():
        if line and not line.startswith("#"):
            wrong, _, right = line.partition("->")
            pairs.append((wrong, right))
    return pairs


def _dictionaries() -> list[WordList]:
    found: list[WordList] = [PackagedWordList("en")]
    if find_hunspell("en") is not None:
        found.insert(0, word_list_for("en"))
    return found


def bench_spelling_quality(smoke: bool) -> list[Result]:
    results = []
    pairs = misspelling_pairs()[: 40 if smoke else None]
    prose_files = [path for path in PROSE if path.exists()]
    prose = "\n".join(gzip.decompress(path.read_bytes()).decode("utf-8") for path in prose_files)
    for words in _dictionaries():
        label = "Hunspell" if isinstance(words, HunspellWordList) else "pyspellchecker"
        checker = SpellChecker(words)
        if pairs:
            flagged = [(wrong, right) for wrong, right in pairs if not checker.is_known(wrong)]
            start = time.perf_counter()
            top3 = sum(right in [s.lower() for s in checker.suggest(wrong)]
                       for wrong, right in flagged)
            seconds = time.perf_counter() - start
            results.append(Result(
                f"common misspellings flagged ({label})", 100 * len(flagged) / len(pairs), "%",
                details={"pairs": float(len(pairs)), "source": str(MISSPELLINGS),
                         "right_word_in_top3_percent": 100 * top3 / len(pairs),
                         "suggest_median_ms": 1000 * seconds / max(1, len(flagged))},
            ))
            results.append(Result(
                f"common misspellings with the right word in the top 3 ({label})",
                100 * top3 / len(pairs), "%", target="nearly all",
            ))
        if prose:
            found = list(checker.check_body(prose))
            total = len(re.findall(r"\w+(?:['’]\w+)*", prose))
            results.append(Result(
                f"false flags on public-domain prose ({label})", 100 * len(found) / total, "%",
                target="< 1 %", met=100 * len(found) / total < 1.0,
                details={"words": float(total), "flagged": float(len(found)),
                         "examples": ", ".join(sorted({m.word for m in found})[:25]),
                         "source": ", ".join(map(str, prose_files))},
            ))
    return results


def bench_copydesk(smoke: bool) -> list[Result]:
    return [*bench_spell_keystroke(smoke), *bench_window_spelling_findings(smoke),
            *bench_checks(smoke), *bench_spelling_quality(smoke)]
