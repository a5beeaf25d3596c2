"""``article-editor library add|search|suggest``: the library from the command line.

Bad input (a missing folder, a broken feed given by name, a library file that is not ours or
is damaged) gets one line on stderr and exit status 2.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO

from editor.errors import ArticleError

if TYPE_CHECKING:
    from editor.library.sources import PermalinkRule
    from editor.library.store import StoryStore
    from editor.library.suggest import Suggestion

EXIT_OK = 0
EXIT_BAD_INPUT = 2


def add_library_parser(commands: Any) -> None:
    """The ``library`` command group, added to the main parser's sub-commands."""
    library = commands.add_parser("library", help="the story library: add, search, suggest")
    actions = library.add_subparsers(dest="library_command", metavar="ACTION", required=True)
    database = argparse.ArgumentParser(add_help=False)
    database.add_argument("--library", metavar="DB",
                          help="the library file (default: library.sqlite3 in the data folder, "
                          "or $ARTICLE_EDITOR_LIBRARY)")
    add = actions.add_parser("add", parents=[database],
                             help="add folders (recursively), articles and feed files")
    add.add_argument("paths", nargs="+", type=Path, metavar="PATH")
    add.add_argument("--permalink", metavar="RULE",
                     help="URL rule for articles without one, e.g. "
                     "https://example.com/:year/:month/:day/:slug/")
    search = actions.add_parser("search", parents=[database], help="find stories by words")
    search.add_argument("query", metavar="QUERY")
    search.add_argument("--limit", type=int, default=10, metavar="N")
    search.add_argument("--json", action="store_true", help="print JSON")
    suggest = actions.add_parser("suggest", parents=[database],
                                 help="stories for an article's link placeholders and cards")
    suggest.add_argument("article", type=Path, metavar="ARTICLE")
    suggest.add_argument("--limit", type=int, default=5, metavar="N")
    suggest.add_argument("--json", action="store_true", help="print JSON")


def run_library_command(args: argparse.Namespace, out: TextIO = sys.stdout,
                        err: TextIO = sys.stderr) -> int:
    # Imported here, not at the top: the parser is built for every command (an export too),
    # and the library's modules would add to each one's start-up.
    from editor.library.sources import PermalinkRule
    from editor.library.store import open_library

    if getattr(args, "limit", 1) < 1:
        err.write("article-editor: --limit must be at least 1\n")
        return EXIT_BAD_INPUT
    try:
        permalink = PermalinkRule(args.permalink) if getattr(args, "permalink", None) else None
        # Adding reads the whole file for damage first; searching only checks it is ours.
        store = open_library(args.library, verify=args.library_command == "add")
    except ArticleError as error:
        err.write(f"article-editor: {error}\n")
        return EXIT_BAD_INPUT
    try:
        if args.library_command == "add":
            return _add(store, args.paths, permalink, out, err)
        if args.library_command == "search":
            return _search(store, args.query, args.limit, args.json, out)
        return _suggest(store, args.article, args.limit, args.json, out)
    except ArticleError as error:
        err.write(f"article-editor: {error}\n")
        return EXIT_BAD_INPUT
    finally:
        store.close()


def _add(store: StoryStore, paths: list[Path], permalink: PermalinkRule | None, out: TextIO,
         err: TextIO) -> int:
    from editor.library.sources import index_paths

    report = index_paths(store, paths, permalink=permalink, workers=os.cpu_count() or 1)
    named = {str(path.absolute()) for path in paths}
    for path, reason in report.skipped:
        err.write(f"article-editor: {path}: skipped: {reason}\n")
    out.write(f"Added {report.added} stories from {report.files} file(s); {report.unchanged} "
              f"unchanged, {report.removed} removed, {len(report.skipped)} skipped. The "
              f"library holds {store.count()} stories.\n")
    return EXIT_BAD_INPUT if any(path in named for path, _ in report.skipped) else EXIT_OK


def _search(store: StoryStore, query: str, limit: int, as_json: bool, out: TextIO) -> int:
    matches = store.search(query, limit)
    if as_json:
        json.dump([{"title": m.story.title, "url": m.story.url, "path": m.story.source,
                    "date": m.story.date, "score": round(m.relevance, 4)} for m in matches],
                  out, ensure_ascii=False, indent=2)
        out.write("\n")
        return EXIT_OK
    for match in matches:
        out.write(f"{match.story.date or '----------':10}  {match.story.title}\n")
        out.write(f"{'':10}  {match.story.url or match.story.source or ''}\n")
    return EXIT_OK


def _suggest(store: StoryStore, path: Path, limit: int, as_json: bool, out: TextIO) -> int:
    from editor.files import load_article, places_in_file
    from editor.library.suggest import Suggester

    article = load_article(path, save_files=False)
    result = Suggester(store).suggest(article, path, limit)
    locations = places_in_file(path, article, [g.placeholder for g in result.placeholders])
    if as_json:
        document = {
            "placeholders": [
                {"token": group.placeholder.token, "line": line, "column": column,
                 "suggestions": [_suggestion_json(s) for s in group.suggestions]}
                for group, (line, column) in zip(result.placeholders, locations, strict=True)
            ],
            "related": [_suggestion_json(s) for s in result.related],
        }
        json.dump(document, out, ensure_ascii=False, indent=2)
        out.write("\n")
        return EXIT_OK
    for group, (line, column) in zip(result.placeholders, locations, strict=True):
        out.write(f"{path}:{line}:{column} {group.placeholder.token}\n")
        for suggestion in group.suggestions or []:
            out.write(f"    {suggestion.story.title} <{suggestion.story.url}>  ({suggestion.why})\n")
        if not group.suggestions:
            out.write("    (no suggestion)\n")
    out.write("Related stories:\n")
    for suggestion in result.related:
        out.write(f"    {suggestion.story.title} <{suggestion.story.url}>  ({suggestion.why})\n")
    return EXIT_OK


def _suggestion_json(suggestion: Suggestion) -> dict[str, object]:
    story = suggestion.story
    return {"title": story.title, "url": story.url, "path": story.source, "date": story.date,
            "score": suggestion.score, "why": suggestion.why}
