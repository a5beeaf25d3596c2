"""How well the library suggests the story an [INTERNAL_LINK] stands for, on a real archive.

The archive is the Python documentation as Debian ships it (``apt-get install python3-doc``):
about 500 HTML pages written by many hands over twenty years that link to one another in their
running text, the way a newsroom's stories do. Each page is a story (its title, its text); each
link in a paragraph to another page becomes a case: the link is replaced by ``[INTERNAL_LINK]``,
with its anchor text kept before the token or dropped, and we count how often the page it
really pointed to comes back in the top 5.

Baseline: plain BM25 (SQLite FTS5, every column weighted alike) over the paragraph's words.
Ours: :class:`editor.library.suggest.Suggester` with its default weights.

    python bench/library_ranking.py [--cases N] [--pages N] [--docs PATH]
"""

from __future__ import annotations

import argparse
import copy
import glob
import json
import os
import random
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

sys.path.insert(0, str(Path(__file__).parent))
from measure import ROOT, Result, median, p95
from pg_schema import throwaway_schema

sys.path.insert(0, str(ROOT / "src"))
from editor.fileformat import parse_markdown
from editor.library.sources import MAX_TEXT_CHARS
from editor.library.sqlite import SqliteLibrary
from editor.library.store import StoryStore
from editor.library.story import Story, content_words
from editor.library.suggest import DEFAULT_WEIGHTS, Suggester, Weights
from editor.placeholders import find_placeholders

DOCS_CANDIDATES = ("/usr/share/doc/python3/html", "/usr/share/doc/python3.*/html")
SKIPPED_PAGES = ("genindex", "py-modindex", "search", "contents", "glossary", "index.html",
                 "bugs.html", "copyright", "license", "about.html", "download")
TOKEN = "[INTERNAL_LINK]"


@dataclass(frozen=True)
class Case:
    page: str  # the page the paragraph is on (the article)
    title: str
    target: str  # the page the link pointed to
    anchor: str
    before: str  # the paragraph's text before the link
    after: str


def find_docs(explicit: Path | None = None) -> Path | None:
    if explicit is not None:
        return explicit
    for pattern in DOCS_CANDIDATES:
        for folder in sorted(glob.glob(pattern)):
            if (Path(folder) / "library" / "os.html").is_file():
                return Path(folder)
    return None


def read_archive(docs: Path, pages: int | None) -> tuple[list[Story], list[Case]]:
    """Every page as a story, and every in-paragraph link to another page as a case.

    Parsing 500 pages takes a minute: the result is kept in the user's cache folder.
    """
    import dataclasses
    import os

    cache_home = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache")
    cache = cache_home / "article-editor" / f"ranking-{str(docs).replace('/', '_')}-{pages}.json"
    if cache.is_file():
        data = json.loads(cache.read_text("utf-8"))
        return [Story(**story | {"text": story["text"][:MAX_TEXT_CHARS]})
                for story in data["stories"]], [Case(**c) for c in data["cases"]]
    stories, cases = _parse_archive(docs, pages)
    cache.parent.mkdir(parents=True, exist_ok=True)
    cache.write_text(json.dumps({"stories": [dataclasses.asdict(s) for s in stories],
                                 "cases": [dataclasses.asdict(c) for c in cases]}), "utf-8")
    return stories, cases


def _parse_archive(docs: Path, pages: int | None) -> tuple[list[Story], list[Case]]:
    from bs4 import BeautifulSoup

    files = sorted(path for path in docs.rglob("*.html")
                   if not path.relative_to(docs).parts[0].startswith("_")
                   and not any(skip in str(path.relative_to(docs)) for skip in SKIPPED_PAGES))
    if pages is not None:
        random.Random(11).shuffle(files)
        files = sorted(files[:pages])
    names = {str(path.relative_to(docs)) for path in files}
    stories: list[Story] = []
    cases: list[Case] = []
    for path in files:
        name = str(path.relative_to(docs))
        soup = BeautifulSoup(path.read_text("utf-8"), "html.parser")
        body = soup.select_one("div.body") or soup.body
        if body is None:
            continue
        for link in body.select("a.headerlink"):
            link.decompose()
        heading = body.find("h1")
        title = " ".join(heading.get_text(" ").split()) if heading else name
        text = " ".join(body.get_text(" ").split())[:MAX_TEXT_CHARS]
        stories.append(Story(title=title, url=name, text=text))
        for paragraph in body.find_all("p"):
            for index, link in enumerate(paragraph.find_all("a", href=True)):
                target = _target(name, str(link["href"]))
                if target is None or target == name or target not in names:
                    continue
                anchor = " ".join(link.get_text(" ").split())
                marked = copy.copy(paragraph)
                marked.find_all("a", href=True)[index].replace_with("\x00")
                before, _, after = " ".join(marked.get_text(" ").split()).partition("\x00")
                cases.append(Case(name, title, target, anchor, before.rstrip(), after.lstrip()))
    return stories, cases


def _target(page: str, href: str) -> str | None:
    if "://" in href or href.startswith(("#", "mailto:")):
        return None
    file = href.split("#", 1)[0]
    if not file.endswith(".html"):
        return None
    parts: list[str] = []
    for part in (PurePosixPath(page).parent / file).parts:
        if part == "..":
            if parts:
                parts.pop()
        elif part != ".":
            parts.append(part)
    return "/".join(parts)


def build_library(stories: list[Story], folder: Path) -> SqliteLibrary:
    library = SqliteLibrary(folder / "ranking.sqlite3")
    with library.batch():
        library.add_stories(stories)
    return library


def baseline_top(library: SqliteLibrary, case: Case, keep_anchor: bool) -> list[str]:
    """Plain BM25 over the paragraph: every word of it, columns weighted alike."""
    text = " ".join((case.before, case.anchor if keep_anchor else "", case.after))
    terms = list(dict.fromkeys(content_words(text)))
    if not terms:
        return []
    expression = " OR ".join('"' + term.replace('"', '""') + '"' for term in terms)
    rows = library._db.execute(
        "SELECT s.url FROM story_index JOIN stories AS s ON s.id = story_index.rowid "
        "WHERE story_index MATCH ? AND s.url != ? ORDER BY bm25(story_index) LIMIT 5",
        (expression, case.page))
    return [url for (url,) in rows]


def ranked_top(suggester: Suggester, case: Case, keep_anchor: bool) -> list[str]:
    paragraph = " ".join(filter(None, (case.before, case.anchor if keep_anchor else "", TOKEN,
                                       case.after)))
    article = parse_markdown(f"---\ntitle: {json.dumps(case.title)}\n"
                             f"url: {json.dumps(case.page)}\n---\n{paragraph}\n")
    placeholder = next(p for p in find_placeholders(article.body) if p.token == TOKEN)
    group = suggester.for_placeholder(article, placeholder, limit=5)
    return [suggestion.story.url for suggestion in group.suggestions]


def evaluate(library: StoryStore, cases: list[Case], weights: Weights = DEFAULT_WEIGHTS,
             baseline: bool = True) -> dict[str, float]:
    """Top-5 hits of our ranking (and, on SQLite, of plain BM25) and the time per placeholder."""
    suggester = Suggester(library, weights)
    figures: dict[str, float] = {}
    for keep in (True, False):
        mode = "anchor kept" if keep else "anchor dropped"
        base_hits = ours_hits = 0
        times = []
        for case in cases:
            if baseline:
                assert isinstance(library, SqliteLibrary)
                base_hits += case.target in baseline_top(library, case, keep)
            start = time.perf_counter()
            ours_hits += case.target in ranked_top(suggester, case, keep)
            times.append(time.perf_counter() - start)
        if baseline:
            figures[f"baseline top-5, {mode}"] = base_hits / len(cases)
        figures[f"ours top-5, {mode}"] = ours_hits / len(cases)
        figures[f"ms per placeholder median, {mode}"] = median(times) * 1000
        figures[f"ms per placeholder p95, {mode}"] = p95(times) * 1000
    return figures


def sample_cases(cases: list[Case], count: int) -> list[Case]:
    chosen = list(cases)
    random.Random(5).shuffle(chosen)
    return chosen[:count]


def bench_library_ranking(smoke: bool) -> list[Result]:
    docs = find_docs()
    if docs is None:
        print("library ranking: the Python documentation is not installed "
              "(apt-get install python3-doc); skipped", file=sys.stderr)
        return []
    stories, cases = read_archive(docs, 60 if smoke else None)
    cases = sample_cases(cases, 60 if smoke else 1500)
    with tempfile.TemporaryDirectory(prefix="article-bench-") as folder:
        library = build_library(stories, Path(folder))
        figures = evaluate(library, cases)
        library.close()
    details: dict[str, float | str] = {"archive": f"{docs} ({len(stories)} pages)",
                                       "cases": float(len(cases))}
    details.update(figures)
    results = []
    for mode in ("anchor kept", "anchor dropped"):
        results.append(Result(
            f"library: linked story in the top 5, {mode}", figures[f"ours top-5, {mode}"] * 100,
            "%", baseline=figures[f"baseline top-5, {mode}"] * 100,
            baseline_name="plain BM25 over the paragraph", details=details,
        ))
    server = evaluate_on_server(stories, cases)
    for mode in ("anchor kept", "anchor dropped") if server else ():
        ours, sqlite = server[f"ours top-5, {mode}"], figures[f"ours top-5, {mode}"]
        results.append(Result(
            f"library (PostgreSQL): linked story in the top 5, {mode}", ours * 100, "%",
            baseline=sqlite * 100, baseline_name="the same ranking on SQLite",
            target="within 5 points of SQLite", met=abs(ours - sqlite) <= 0.05,
            details={f"postgres {name}": value for name, value in server.items()}))
    return results


def evaluate_on_server(stories: list[Story], cases: list[Case]) -> dict[str, float]:
    """The same ranking over the same stories on the PostgreSQL server, if there is one
    ($ARTICLE_EDITOR_TEST_POSTGRES): {} without."""
    server = os.environ.get("ARTICLE_EDITOR_BENCH_POSTGRES") or \
        os.environ.get("ARTICLE_EDITOR_TEST_POSTGRES")
    if not server:
        return {}
    from editor.library.postgres import PostgresLibrary

    with throwaway_schema(server, "ranking") as url:
        library = PostgresLibrary(url)
        with library.batch():
            library.add_stories(stories)
        figures = evaluate(library, cases, baseline=False)
        library.close()
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--docs", type=Path, default=None)
    parser.add_argument("--pages", type=int, default=None, help="a random subset of the pages")
    parser.add_argument("--cases", type=int, default=1500)
    args = parser.parse_args()
    docs = find_docs(args.docs)
    if docs is None:
        raise SystemExit("the Python documentation is not installed: apt-get install python3-doc")
    started = time.perf_counter()
    stories, cases = read_archive(docs, args.pages)
    print(f"{len(stories)} pages, {len(cases)} links, read in "
          f"{time.perf_counter() - started:.0f} s", file=sys.stderr)
    cases = sample_cases(cases, args.cases)
    with tempfile.TemporaryDirectory(prefix="article-bench-") as folder:
        library = build_library(stories, Path(folder))
        for name, value in evaluate(library, cases).items():
            print(f"{name}: {value:.3f}")


if __name__ == "__main__":
    main()
