"""Saved web pages: how much of the article our importer brings in, how much furniture it leaves
behind, and how long a page takes, beside trafilatura's own ``extract()``.

The pages are the site fixtures in ``tests/data/import`` (a news site, WordPress, a wire
service, a blog, pages in Windows-1251 and Shift-JIS, and our own export); ``sites.json``
lists for each the text segments its article must hold and the furniture it must not. Scored
by substring as the main-content benchmarks score (each segment found or not; precision,
recall and F1 over all segments). What is scored is the article's body for us and the
extracted text for trafilatura; the headline and byline, which we lift into fields, are
checked separately.

Saved pages are rarely as small as the fixtures: the time is also measured on each page with
the weight of a real one added (inline scripts, styles, an SVG sprite and a long menu, about
300 KB), which is where the cost of parsing shows.

    python bench/html_extraction.py [--smoke]
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from measure import ROOT, Result, median, p95

sys.path.insert(0, str(ROOT / "src"))
from editor.importers.html import decode_page, import_html_bytes

PAGES = ROOT / "tests" / "data" / "import"
TARGET_MS = 40.0


@dataclass
class Score:
    found: int = 0  # must segments present
    missed: int = 0  # must segments absent
    leaked: int = 0  # must-not segments present

    def add(self, text: str, must: list[str], must_not: list[str]) -> None:
        present = [segment in text for segment in must]
        self.found += sum(present)
        self.missed += len(present) - sum(present)
        self.leaked += sum(segment in text for segment in must_not)

    @property
    def precision(self) -> float:
        return self.found / (self.found + self.leaked) if self.found + self.leaked else 0.0

    @property
    def recall(self) -> float:
        return self.found / (self.found + self.missed) if self.found + self.missed else 0.0

    @property
    def f1(self) -> float:
        total = self.precision + self.recall
        return 2 * self.precision * self.recall / total if total else 0.0


def trafilatura_text(data: bytes, *, as_we_use_it: bool) -> str:
    """trafilatura's own extract(): its defaults, or with the options our importer uses."""
    from trafilatura import extract

    if not as_we_use_it:
        return extract(data) or ""
    return extract(data, output_format="markdown", include_comments=False, include_tables=True,
                   include_images=True, include_formatting=True, include_links=True) or ""


def weighed(data: bytes) -> bytes:
    """The page with what a real saved page carries besides its article (~300 KB)."""
    text, encoding, _guessed = decode_page(data)
    script = "<script>" + "window.cfg=window.cfg||{};cfg.k={a:[1,2,3],b:'x'};\n" * 2500 + "</script>"
    style = "<style>" + ".card{margin:0 0 1rem;padding:.25rem;color:#222}\n" * 2000 + "</style>"
    sprite = ('<svg style="display:none">' + '<symbol id="i"><path d="M0 0h24v24H0z"/></symbol>'
              * 800 + "</svg>")
    menu = "<nav class='mega-menu'><ul>" + "".join(
        f"<li><a href='/section/{n}'>Section {n}</a></li>" for n in range(400)) + "</ul></nav>"
    head_end = text.find("</head>")
    body_start = text.find(">", text.find("<body")) + 1
    heavy = (text[:head_end] + script + style + text[head_end:body_start] + sprite + menu
             + text[body_start:])
    return heavy.encode(encoding if encoding.lower() != "utf-8" else "utf-8", errors="replace")


def per_page_ms(function, pages: list[bytes], repeat: int) -> list[float]:
    """Each page's median time in milliseconds."""
    times = []
    for data in pages:
        runs = []
        for _ in range(repeat):
            start = time.perf_counter()
            function(data)
            runs.append((time.perf_counter() - start) * 1000)
        times.append(median(runs))
    return times


def bench_html_extraction(smoke: bool) -> list[Result]:
    spec = json.loads((PAGES / "sites.json").read_text("utf-8"))["pages"]
    pages = {name: (PAGES / name).read_bytes() for name in spec}
    ours, theirs, theirs_tuned = Score(), Score(), Score()
    fields_right = fields_total = 0
    for name, data in pages.items():
        expected = spec[name]
        article = import_html_bytes(data)
        ours.add(article.body, expected["must"], expected["must_not"])
        theirs.add(trafilatura_text(data, as_we_use_it=False), expected["must"], expected["must_not"])
        theirs_tuned.add(trafilatura_text(data, as_we_use_it=True), expected["must"],
                         expected["must_not"])
        for field in ("title", "author", "date"):
            fields_total += 1
            fields_right += getattr(article, field) == expected[field]
    best = max(theirs.f1, theirs_tuned.f1)

    repeat = 1 if smoke else 5
    import_html_bytes(pages["site_news.html"])  # imports and first-call set-up, not timed
    trafilatura_text(pages["site_news.html"], as_we_use_it=True)
    light = list(pages.values())
    heavy = [weighed(data) for data in light]
    ours_light = per_page_ms(import_html_bytes, light, repeat)
    ours_heavy = per_page_ms(import_html_bytes, heavy, repeat)
    theirs_light = per_page_ms(lambda data: trafilatura_text(data, as_we_use_it=True), light, repeat)
    theirs_heavy = per_page_ms(lambda data: trafilatura_text(data, as_we_use_it=True), heavy, repeat)

    def mean(values: list[float]) -> float:
        return sum(values) / len(values)

    return [
        Result(
            f"web page import: F1 over {len(pages)} site pages", ours.f1, "F1",
            target=f"≥ trafilatura's {best:.3f}", met=ours.f1 >= best,
            details={
                "ours_precision": ours.precision, "ours_recall": ours.recall,
                "trafilatura_default_f1": theirs.f1,
                "trafilatura_default_precision": theirs.precision,
                "trafilatura_default_recall": theirs.recall,
                "trafilatura_as_we_use_it_f1": theirs_tuned.f1,
                "trafilatura_as_we_use_it_precision": theirs_tuned.precision,
                "trafilatura_as_we_use_it_recall": theirs_tuned.recall,
                "headline_byline_date_right": f"{fields_right}/{fields_total}",
            },
        ),
        Result(
            "web page import, mean time per page (fixtures as saved)", mean(ours_light), "ms",
            p95=p95(ours_light), baseline=mean(theirs_light),
            baseline_name="trafilatura extract() alone",
            details={"median_ms": median(ours_light), "max_ms": max(ours_light),
                     "trafilatura_median_ms": median(theirs_light)},
        ),
        Result(
            "web page import, mean time per page (~300 KB real-size pages)", mean(ours_heavy), "ms",
            p95=p95(ours_heavy), target=f"mean < {TARGET_MS:.0f} ms",
            met=mean(ours_heavy) < TARGET_MS, baseline=mean(theirs_heavy),
            baseline_name="trafilatura extract() alone",
            details={"median_ms": median(ours_heavy), "max_ms": max(ours_heavy),
                     "trafilatura_median_ms": median(theirs_heavy),
                     "page_kb": mean([len(data) for data in heavy]) / 1024},
        ),
    ]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--smoke", action="store_true", help="one timing run per page")
    args = parser.parse_args()
    for result in bench_html_extraction(args.smoke):
        print(f"{result.name}: {result.value:.3f} {result.unit}"
              + (f" (p95 {result.p95:.1f})" if result.p95 is not None else "")
              + (f", target {result.target} {'✓' if result.met else '✗'}" if result.target else "")
              + (f", baseline {result.baseline:.1f}" if result.baseline is not None else ""))
        for key, value in result.details.items():
            print(f"    {key}: {value:.3f}" if isinstance(value, float) else f"    {key}: {value}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
