"""The ``article-editor`` command: the window, or headless export and conversion."""

from __future__ import annotations

import argparse
import contextlib
import functools
import json
import os
import re
import sys
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO

from editor import __version__
from editor.errors import ArticleError, ArticleFileError
from editor.export import ExportOptions, UnresolvedPlaceholdersError, export_article
from editor.fileformat import body_first_line
from editor.files import load_article, places_in_file, save_article, sync_folder
from editor.importers import is_native
from editor.library.commands import add_library_parser, run_library_command
from editor.model import Article
from editor.render import BodyRenderer, RawHtml

if TYPE_CHECKING:
    from editor.checks import Finding

EXIT_OK = 0
EXIT_PLACEHOLDERS = 1
EXIT_BAD_INPUT = 2
DESKTOP_OPTIONS = ("--install-desktop", "--uninstall-desktop")


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="article-editor",
        description="Write news articles in Markdown and export publication-ready HTML.",
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    desktop_install = parser.add_mutually_exclusive_group()
    desktop_install.add_argument("--install-desktop", action="store_true",
                                 help="add the editor to this user's desktop: application menu, "
                                 "icon, and the article file types it opens")
    desktop_install.add_argument("--uninstall-desktop", action="store_true",
                                 help="remove what --install-desktop added")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")

    export = commands.add_parser("export", help="export articles as HTML pages, no window")
    export.add_argument("files", nargs="+", type=Path, metavar="FILE")
    target = export.add_mutually_exclusive_group(required=True)
    target.add_argument("-o", "--output", type=Path, metavar="OUT.html",
                        help="the page to write (one input file)")
    target.add_argument("-d", "--output-dir", type=Path, metavar="OUTDIR",
                        help="write NAME.html for each input into this folder")
    export.add_argument("--fragment", action="store_true",
                        help="write the body and related block only, for pasting into a CMS")
    export.add_argument("--embed-images", action="store_true",
                        help="embed local images in the page instead of copying them beside it")
    export.add_argument("--allow-placeholders", action="store_true",
                        help="export even with unresolved placeholders left in the text")
    export.add_argument("--raw-html", choices=[policy.value for policy in RawHtml],
                        default=RawHtml.SANITIZE.value,
                        help="HTML written in the body: 'sanitize' (default) keeps safe markup "
                        "and strips scripts and event handlers; 'keep' passes it through")

    convert = commands.add_parser("convert", help="convert an article to Markdown with front matter")
    convert.add_argument("file", type=Path, metavar="FILE")
    convert.add_argument("-o", "--output", type=Path, required=True, metavar="OUT.md")

    check = commands.add_parser(
        "check", help="run the copy desk's checks and spell check; exit 1 on a blocker")
    check.add_argument("files", nargs="+", type=Path, metavar="FILE")
    check.add_argument("--json", action="store_true",
                       help="print a JSON list of {file, findings} instead of one line a finding")
    check.add_argument("--lang", metavar="CODE",
                       help="check in this language (en, es, fr, de, pt…) instead of the article's")
    add_library_parser(commands)

    edit = commands.add_parser("edit", help="open files in the editor window (the default)")
    edit.add_argument("files", nargs="*", type=Path, metavar="FILE")
    edit.add_argument("--library", metavar="DB", help="the story library for this run (before "
                      "$ARTICLE_EDITOR_LIBRARY and the file chosen in the window)")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args_list = list(sys.argv[1:] if argv is None else argv)
    parser = _parser()
    if not args_list or args_list[0] not in {"export", "convert", "check", "edit", "library", "-h",
                                             "--help", "--version", *DESKTOP_OPTIONS}:
        args_list.insert(0, "edit")
    args = parser.parse_args(args_list)
    if args.command is None and (args.install_desktop or args.uninstall_desktop):
        return _desktop(args, sys.stdout)
    if args.command == "export":
        return _export(args, sys.stderr)
    if args.command == "convert":
        return _convert(args, sys.stderr)
    if args.command == "check":
        return _check(args, sys.stdout, sys.stderr)
    if args.command == "library":
        return run_library_command(args)
    from editor.ui.app import run

    return run([str(path) for path in args.files], library=args.library)


def _export(args: argparse.Namespace, err: TextIO) -> int:
    files: list[Path] = args.files
    if args.output is not None and len(files) > 1:
        err.write("article-editor: error: -o takes one input file; use -d OUTDIR for several\n")
        return EXIT_BAD_INPUT
    options = ExportOptions(
        fragment=args.fragment, embed_images=args.embed_images, raw_html=RawHtml(args.raw_html)
    )
    progress = len(files) > 1 and err.isatty()
    jobs = [
        _ExportJob(path, args.output or args.output_dir / (path.stem + ".html"), options,
                   args.allow_placeholders)
        for path in files
    ]
    status = EXIT_OK
    with _batch_runner(len(jobs)) as run:
        for number, (path, (job_status, lines)) in enumerate(
            zip(files, run(_export_one, jobs), strict=True), start=1
        ):
            if progress:
                err.write(f"\rExporting {number}/{len(files)}: {path.name[:40]:<40}")
                if lines:
                    err.write("\n")
                err.flush()
            err.writelines(lines)
            status = max(status, job_status)
    for folder in {job.output.parent for job in jobs}:
        sync_folder(folder)  # the renames, once per folder rather than once per page
    if progress:
        err.write(f"\rExported {len(files)} file(s).{' ' * 50}\n")
    return status


# A batch this long is exported by worker processes, one per core: starting them costs less
# than the articles take.
BATCH_FOR_WORKERS = 16


@dataclass(frozen=True)
class _ExportJob:
    path: Path
    output: Path
    options: ExportOptions
    allow_placeholders: bool


_renderers: dict[RawHtml, BodyRenderer] = {}


def _export_one(job: _ExportJob) -> tuple[int, list[str]]:
    """Export one file; its exit status and the lines to report, in a worker or here."""
    path = job.path
    renderer = _renderers.get(job.options.raw_html)
    if renderer is None:  # one per process, which saves building Python-Markdown per article
        renderer = _renderers[job.options.raw_html] = BodyRenderer(job.options.raw_html)
    try:
        article = load_article(path)
        resolver = export_article(
            article, job.output, job.options, source_dir=path.parent,
            allow_placeholders=job.allow_placeholders, renderer=renderer, sync_rename=False,
        )
    except UnresolvedPlaceholdersError as error:
        lines = [
            f"{path}:{line}:{column} {placeholder.token}\n"
            for placeholder, (line, column) in zip(
                error.placeholders, places_in_file(path, article, error.placeholders),
                strict=True,
            )
        ]
        lines.append(f"{path}: not exported: {len(error.placeholders)} unresolved "
                     "placeholder(s); resolve them or pass --allow-placeholders\n")
        return EXIT_PLACEHOLDERS, lines
    except ArticleFileError as error:
        return EXIT_BAD_INPUT, [f"article-editor: {error}\n"]
    except (ArticleError, OSError) as error:
        return EXIT_BAD_INPUT, [f"article-editor: {path}: {error}\n"]
    return EXIT_OK, [
        f"article-editor: {path}: warning: image not found or not an image file: {missing}\n"
        for missing in resolver.missing
    ]


@contextlib.contextmanager
def _batch_runner(count: int) -> Iterator[Callable[..., Iterable[Any]]]:
    """``map`` over worker processes for a long batch on several cores, else in this process.

    Results come back in the order of the files, so the report reads as if run one by one.
    """
    workers = min(os.cpu_count() or 1, 8)
    if count < BATCH_FOR_WORKERS or workers < 2:
        yield map
        return
    with ProcessPoolExecutor(workers) as pool:
        yield functools.partial(pool.map, chunksize=max(1, min(32, count // (workers * 4))))


def _convert(args: argparse.Namespace, err: TextIO) -> int:
    try:
        article = load_article(args.file)
        article.newline, article.bom = "\n", False
        save_article(article, args.output)
    except ArticleError as error:
        err.write(f"article-editor: {error}\n")
        return EXIT_BAD_INPUT
    for warning in article.warnings:
        err.write(f"article-editor: {args.file}: note: {warning}\n")
    return EXIT_OK


def _desktop(args: argparse.Namespace, out: TextIO) -> int:
    from editor import desktop

    try:
        report = desktop.install() if args.install_desktop else desktop.uninstall()
    except OSError as error:
        out.write(f"article-editor: cannot change the desktop integration: {error}\n")
        return EXIT_BAD_INPUT
    out.write(desktop.describe(report))
    return EXIT_OK


def _check(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    """Findings as ``FILE:LINE:COL: SEVERITY: ID: MESSAGE`` lines (file lines) or as JSON."""
    # Imported here: the checks and the dictionaries would add to every export's start-up.
    from editor.checks import blockers, run_checks
    from editor.spelling import (
        UnknownLanguageError,
        checker_for,
        default_data_folder,
        personal_words_path,
        read_personal_words,
    )

    status = EXIT_OK
    personal = read_personal_words(personal_words_path(default_data_folder()))
    reports: list[dict[str, object]] = []
    for path in args.files:
        try:
            article = load_article(path)
            if args.lang:
                article.lang = args.lang
            findings = run_checks(article, spelling=checker_for(article, personal))
        except ArticleFileError as error:
            err.write(f"article-editor: {error}\n")
            reports.append({"file": str(path), "error": str(error), "findings": []})
            status = EXIT_BAD_INPUT
            continue
        except (ArticleError, UnknownLanguageError, OSError) as error:
            err.write(f"article-editor: {path}: {error}\n")
            reports.append({"file": str(path), "error": str(error), "findings": []})
            status = EXIT_BAD_INPUT
            continue
        if blockers(findings):
            status = max(status, EXIT_PLACEHOLDERS)
        places = _FilePlaces(path, article)
        if args.json:
            reports.append({"file": str(path), "findings": [
                {**finding.to_json(), "line": places.line(finding)} for finding in findings]})
        else:
            for finding in findings:
                out.write(f"{path}:{places.line(finding)}:{finding.column or 1}: "
                          f"{finding.severity.value}: {finding.id}: {finding.message}\n")
    if args.json:
        out.write(json.dumps(reports, ensure_ascii=False, indent=2) + "\n")
    return status


class _FilePlaces:
    """A finding's line in the file: body lines shifted past the front matter, fields at their key."""

    def __init__(self, path: Path, article: Article) -> None:
        markdown = is_native(path)
        self._first_body_line = body_first_line(article) if markdown else 1
        header = article.source_header if markdown else None
        self._header_lines = (header or "").split("\n")
        self._aliases = article.key_aliases

    def line(self, finding: Finding) -> int:
        from editor.checks import Severity

        if finding.line is not None:
            return self._first_body_line + finding.line - 1
        if finding.field is not None:
            key = re.split(r"[\[.]", finding.field, maxsplit=1)[0]
            key = self._aliases.get(key, key)
            for number, text in enumerate(self._header_lines, start=1):
                if re.match(rf"{re.escape(key)}\s*:", text):
                    return number
        return 1 if finding.severity is Severity.BLOCKER else self._first_body_line
