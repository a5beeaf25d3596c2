"""Article Editor benchmarks: one command, a table on stdout, JSON in bench/results/.

    python bench/run.py            # the full suite (a few minutes on 2 cores)
    python bench/run.py --smoke    # a fast run that checks every benchmark works (CI)

Every figure is a median (with p95 where a distribution matters) and, where it has one, a ratio
against a baseline measured in the same run, so results compare across machines.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from pathlib import Path

import markdown

sys.path.insert(0, str(Path(__file__).parent))
from generate import generate_article

ROOT = Path(__file__).parents[1]
RESULTS = ROOT / "bench" / "results"


@dataclass
class Result:
    name: str
    value: float
    unit: str
    target: str = ""
    met: bool | None = None
    baseline: float | None = None
    baseline_name: str = ""
    details: dict[str, float] = field(default_factory=dict)

    @property
    def ratio(self) -> float | None:
        if self.baseline in (None, 0) or self.value == 0:
            return None
        return self.baseline / self.value if self.unit.endswith("/s") else self.value / self.baseline


def median(values: list[float]) -> float:
    return statistics.median(values)


def p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]


def timed(function: Callable[[], object], repeat: int) -> list[float]:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        function()
        times.append(time.perf_counter() - start)
    return times


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
    rows = [("benchmark", "median", "target", "time ÷ baseline time")]
    for result in results:
        value = f"{result.value:,.1f} {result.unit}"
        ratio = f"{result.ratio:.2f}× ({result.baseline_name})" if result.ratio else ""
        target = result.target + ("" if result.met is None else (" ✓" if result.met else " ✗"))
        rows.append((result.name, value, target, ratio))
    widths = [max(len(row[index]) for row in rows) for index in range(4)]
    lines = [" | ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True))
             for row in rows]
    lines.insert(1, "-+-".join("-" * width for width in widths))
    return "\n".join(lines)


BENCHMARKS: list[Callable[[bool], list[Result]]] = [bench_export]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--smoke", action="store_true", help="small sizes, one repetition")
    parser.add_argument("--json", type=Path, default=None, help="where to write the results")
    args = parser.parse_args()
    results: list[Result] = []
    for benchmark in BENCHMARKS:
        results.extend(benchmark(args.smoke))
    print(format_table(results))
    output = args.json or RESULTS / ("smoke.json" if args.smoke else "latest.json")
    output.parent.mkdir(parents=True, exist_ok=True)
    output.write_text(json.dumps({
        "machine": {"python": platform.python_version(), "cpus": os.cpu_count(),
                    "platform": platform.platform()},
        "smoke": args.smoke,
        "results": [asdict(result) | {"ratio": result.ratio} for result in results],
    }, indent=2), "utf-8")
    print(f"\nwritten: {output}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
