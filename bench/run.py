"""Article Editor benchmarks: one command, a table on stdout, JSON in bench/results/.

    python bench/run.py            # the full suite (about 3 minutes on 2 cores)
    python bench/run.py --smoke    # every benchmark, tiny (about 20 s): CI runs this
    python bench/run.py --only keystroke,startup

What is measured (the targets are issue 7's):

1. keystroke → preview: a real key event in the body editor of the real window (offscreen)
   until JavaScript read back from the preview confirms its DOM holds the typed character;
   beside it the naive path, Python-Markdown over the whole body plus setHtml (ui_latency.py);
2. typing cost: each key event's synchronous work (highlighter, status bar, panels), and the
   longest main-thread stall while typing, with the deferred work that caused it;
3. start-up to the window shown with its preview loaded, and memory (startup.py); ten long
   articles in tabs: memory of the editor and its processes, and switching tabs (tabs.py);
4. export throughput of the command line (below);
5. full re-renders (a changed reference definition) and keystrokes in articles with footnotes
   or [TOC] (worked out from the whole body): the longest main-thread stall until the preview
   holds the result;
6. saved web pages (html_extraction.py): article text in, furniture out (F1) and time per
   page, beside trafilatura's own extract().
7. the copy desk: spell check per keystroke, the checks, spelling quality (copydesk.py).
8. the story library (library_speed.py): adding 100,000 generated stories from files, search
   as you type, suggestions for a 5,000-word article, the file's size; and its ranking
   (library_ranking.py): the linked page in the top 5 for links of the Python documentation
   turned into [INTERNAL_LINK], against plain BM25 over the paragraph.
9. the shared library on PostgreSQL (library_postgres.py): a million generated stories added in
   batches, search and suggestions with 20 clients at once, beside SQLite at 100,000; skipped
   without a server ($ARTICLE_EDITOR_TEST_POSTGRES, tests/pg_server.sh); the ranking benchmark
   then also ranks on the server, beside SQLite's top-5.

Every figure is a median (with p95 where a distribution matters) and, where it has one, a ratio
against a baseline measured in the same run, so results compare across machines. The window
is measured in child processes; this runner never imports Qt.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import asdict
from pathlib import Path

import markdown

sys.path.insert(0, str(Path(__file__).parent))
from copydesk import bench_copydesk
from generate import generate_article
from html_extraction import bench_html_extraction
from library_postgres import bench_library_postgres
from library_ranking import bench_library_ranking
from library_speed import bench_library_speed
from measure import ROOT, Result, median, timed
from startup import bench_startup
from tabs import bench_tabs
from ui_latency import bench_keystroke, bench_rerender, bench_typing

RESULTS = ROOT / "bench" / "results"


EXPORT_TARGET_PER_SECOND = 250  # issue 15, on 2 cores


def cli_environment() -> dict[str, str]:
    env = dict(os.environ)
    env.setdefault("QT_QPA_PLATFORM", "offscreen")
    return env


def bench_export(smoke: bool) -> list[Result]:
    """The command line exporting a batch of 1k-word articles, and the 100k-word one alone."""
    count = 20 if smoke else 200
    big_words = 20_000 if smoke else 100_000
    repeat = 1 if smoke else 3
    results = []
    with tempfile.TemporaryDirectory(prefix="article-bench-") as folder:
        root = Path(folder)
        sources = []
        for index in range(count):
            path = root / f"article-{index:03}.md"
            path.write_text(generate_article(1000, seed=index), "utf-8")
            sources.append(path)
        big = root / "big.md"
        big.write_text(generate_article(big_words), "utf-8")

        def export(paths: list[Path]) -> None:
            subprocess.run(
                [sys.executable, "-m", "editor", "export", "--allow-placeholders", "-d",
                 str(root / "out"), *map(str, paths)],
                check=True, env=cli_environment(), capture_output=True,
            )

        batch = median(timed(lambda: export(sources), repeat))
        bodies = [path.read_text("utf-8") for path in sources]
        baseline = median(timed(lambda: [markdown.markdown(text) for text in bodies], repeat))
        startup = median(timed(lambda: subprocess.run(
            [sys.executable, "-m", "editor", "--version"], check=True, capture_output=True,
            env=cli_environment()), repeat))
        results.append(Result(
            f"export {count} × 1k-word articles (CLI)", count / batch, "articles/s",
            target=f"≥ {EXPORT_TARGET_PER_SECOND}/s" if not smoke else "",
            met=count / batch >= EXPORT_TARGET_PER_SECOND if not smoke else None,
            baseline=count / baseline, baseline_name="Python-Markdown alone, in-process",
            details={"seconds": batch, "process_start_seconds": startup},
        ))
        single = median(timed(lambda: export([big]), repeat))
        results.append(Result(
            f"export one {big_words // 1000}k-word article (CLI)", single * 1000, "ms",
            details={"process_start_ms": startup * 1000},
        ))
    return results


def format_table(results: list[Result]) -> str:
    rows = [("benchmark", "median", "p95", "target", "time ÷ baseline time")]
    for result in results:
        value = f"{result.value:,.1f} {result.unit}"
        spread = f"{result.p95:,.1f} {result.unit}" if result.p95 is not None else ""
        ratio = f"{result.ratio:.3f}× ({result.baseline_name})" if result.ratio else ""
        target = result.target + ("" if result.met is None else (" ✓" if result.met else " ✗"))
        rows.append((result.name, value, spread, target, ratio))
    widths = [max(len(row[index]) for row in rows) for index in range(len(rows[0]))]
    lines = [" | ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True)).rstrip()
             for row in rows]
    lines.insert(1, "-+-".join("-" * width for width in widths))
    return "\n".join(lines)


BENCHMARKS: dict[str, Callable[[bool], list[Result]]] = {
    "keystroke": bench_keystroke,
    "typing": bench_typing,
    "startup": bench_startup,
    "tabs": bench_tabs,
    "export": bench_export,
    "rerender": bench_rerender,
    "html": bench_html_extraction,
    "copydesk": bench_copydesk,
    "library_speed": bench_library_speed,
    "library_ranking": bench_library_ranking,
    "library_postgres": bench_library_postgres,
}


def format_details(results: list[Result]) -> str:
    """The figures behind the table's rows that explain them (all of them are in the JSON)."""
    lines = []
    for result in results:
        shown = {name: value for name, value in result.details.items()
                 if isinstance(value, str)
                 or name.endswith(("median_ms", "max_ms", "median_s", "calls"))
                 or name.startswith(("stalls_", "complete_", "turns_", "longest_"))}
        if shown:
            lines.append(f"{result.name}:")
            lines.extend(f"    {name}: {value:,.1f}" if isinstance(value, float)
                         else f"    {name}: {value}" for name, value in shown.items())
    return "\n".join(lines)


def load_average() -> float:
    try:
        return os.getloadavg()[0]
    except OSError:
        return -1.0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--smoke", action="store_true", help="tiny sizes, one repetition")
    parser.add_argument("--only", default="", help=f"comma-separated: {', '.join(BENCHMARKS)}")
    parser.add_argument("--json", type=Path, default=None, help="where to write the results")
    args = parser.parse_args()
    chosen = [name.strip() for name in args.only.split(",") if name.strip()] or list(BENCHMARKS)
    unknown = set(chosen) - set(BENCHMARKS)
    if unknown:
        parser.error(f"unknown benchmarks: {', '.join(sorted(unknown))}")
    results: list[Result] = []
    failures: list[str] = []
    loads = [load_average()]
    started = time.perf_counter()
    for name in chosen:
        began = time.perf_counter()
        print(f"[{name}] …", file=sys.stderr, flush=True)
        try:
            results.extend(BENCHMARKS[name](args.smoke))
        except Exception as error:  # one broken benchmark must not hide the others' figures
            failures.append(f"{name}: {error}")
            print(f"[{name}] FAILED: {error}", file=sys.stderr, flush=True)
        print(f"[{name}] {time.perf_counter() - began:.0f} s", file=sys.stderr, flush=True)
        loads.append(load_average())
    total = time.perf_counter() - started
    print(format_table(results))
    print()
    print(format_details(results))
    print(f"\n{len(results)} figures in {total:.0f} s on {os.cpu_count()} CPUs "
          f"(load average {min(loads):.1f}–{max(loads):.1f} during the run)")
    output = args.json or RESULTS / ("smoke.json" if args.smoke else "latest.json")
    output.parent.mkdir(parents=True, exist_ok=True)
    output.write_text(json.dumps({
        "machine": {"python": platform.python_version(), "cpus": os.cpu_count(),
                    "platform": platform.platform(), "load_average": loads},
        "smoke": args.smoke,
        "seconds": total,
        "failures": failures,
        "results": [asdict(result) | {"ratio": result.ratio} for result in results],
    }, indent=2, ensure_ascii=False), "utf-8")
    print(f"written: {output}")
    for failure in failures:
        print(f"FAILED {failure}", file=sys.stderr)
    return 1 if failures else 0


if __name__ == "__main__":
    raise SystemExit(main())
