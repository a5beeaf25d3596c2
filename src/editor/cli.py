"""The ``article-editor`` command: the window, or headless export and conversion."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TextIO

from editor import __version__
from editor.errors import ArticleError, ArticleFileError
from editor.export import ExportOptions, UnresolvedPlaceholdersError, export_article
from editor.fileformat import body_first_line
from editor.files import MARKDOWN_SUFFIXES, load_article, read_text_file, save_article
from editor.library.commands import add_library_parser, run_library_command
from editor.model import Article
from editor.placeholders import Placeholder, locate_in_source
from editor.render import BodyRenderer, RawHtml

EXIT_OK = 0
EXIT_PLACEHOLDERS = 1
EXIT_BAD_INPUT = 2


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="article-editor",
        description="Write news articles in Markdown and export publication-ready HTML.",
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
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

    add_library_parser(commands)

    edit = commands.add_parser("edit", help="open files in the editor window (the default)")
    edit.add_argument("files", nargs="*", type=Path, metavar="FILE")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args_list = list(sys.argv[1:] if argv is None else argv)
    parser = _parser()
    if not args_list or args_list[0] not in {"export", "convert", "edit", "library", "-h",
                                             "--help", "--version"}:
        args_list.insert(0, "edit")
    args = parser.parse_args(args_list)
    if args.command == "export":
        return _export(args, sys.stderr)
    if args.command == "convert":
        return _convert(args, sys.stderr)
    if args.command == "library":
        return run_library_command(args)
    from editor.ui.app import run

    return run([str(path) for path in args.files])


def _export(args: argparse.Namespace, err: TextIO) -> int:
    files: list[Path] = args.files
    if args.output is not None and len(files) > 1:
        err.write("article-editor: error: -o takes one input file; use -d OUTDIR for several\n")
        return EXIT_BAD_INPUT
    options = ExportOptions(
        fragment=args.fragment, embed_images=args.embed_images, raw_html=RawHtml(args.raw_html)
    )
    status = EXIT_OK
    renderer = BodyRenderer(options.raw_html)
    progress = len(files) > 1 and err.isatty()
    for number, path in enumerate(files, start=1):
        if progress:
            err.write(f"\rExporting {number}/{len(files)}: {path.name[:40]:<40}")
            err.flush()
        output = args.output or args.output_dir / (path.stem + ".html")
        try:
            article = load_article(path)
            resolver = export_article(
                article, output, options, source_dir=path.parent,
                allow_placeholders=args.allow_placeholders, renderer=renderer,
            )
        except UnresolvedPlaceholdersError as error:
            if progress:
                err.write("\n")
            for placeholder, (line, column) in zip(
                error.placeholders, _source_locations(path, article, error.placeholders),
                strict=True,
            ):
                err.write(f"{path}:{line}:{column} {placeholder.token}\n")
            err.write(f"{path}: not exported: {len(error.placeholders)} unresolved "
                      "placeholder(s); resolve them or pass --allow-placeholders\n")
            status = max(status, EXIT_PLACEHOLDERS)
            continue
        except ArticleFileError as error:
            if progress:
                err.write("\n")
            err.write(f"article-editor: {error}\n")
            status = EXIT_BAD_INPUT
            continue
        except (ArticleError, OSError) as error:
            if progress:
                err.write("\n")
            err.write(f"article-editor: {path}: {error}\n")
            status = EXIT_BAD_INPUT
            continue
        for missing in resolver.missing:
            err.write(f"article-editor: {path}: warning: image not found: {missing}\n")
    if progress:
        err.write(f"\rExported {len(files)} file(s).{' ' * 50}\n")
    return status


def _source_locations(
    path: Path, article: Article, placeholders: Sequence[Placeholder]
) -> list[tuple[int, int]]:
    """Where each placeholder stands in the file the user has, not in the converted text."""
    if path.suffix.lower() in MARKDOWN_SUFFIXES:
        first_line = body_first_line(article)
        return [(first_line + p.line - 1, p.column) for p in placeholders]
    return locate_in_source(read_text_file(path).text, placeholders)


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
