"""Filling the library: folders, article files and the feeds a CMS gives out, read as stories.

Articles (Markdown, plain text, HTML pages, our own exported pages) go through
:func:`editor.files.load_article`; RSS and Atom through ``feedparser``; JSON Feed is JSON;
a news ``sitemap.xml`` is read with ``defusedxml`` (no entity expansion, no outside fetches).
Re-adding a folder skips files whose modification time and size are unchanged and drops
the stories of files that are gone. A file that cannot be read is skipped and reported with
its reason; it never stops the rest.
"""

from __future__ import annotations

import contextlib
import json
import multiprocessing
import os
import re
import time
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from editor.errors import ArticleError, ArticleFileError
from editor.files import OPENABLE_SUFFIXES, load_article, read_text_file
from editor.importers import HTML
from editor.library.store import LibraryError, SourceStories, StoryStore
from editor.library.story import Story
from editor.model import Article, trim_text

FEED_SUFFIXES = frozenset({".xml", ".rss", ".atom", ".json", ".feed"})
INDEXED_SUFFIXES = OPENABLE_SUFFIXES | FEED_SUFFIXES
TEASER_CHARS = 200
PARALLEL_FROM = 500  # files to read before starting worker processes pays
MAX_TEXT_CHARS = 60_000  # the matching text of one story; the rest adds little but size
_URL_KEYS = ("url", "permalink", "canonical_url", "canonical")
_JEKYLL_NAME_RE = re.compile(r"^(\d{4})-(\d{2})-(\d{2})-(.+)$")
_ISO_DATE_RE = re.compile(r"^\d{4}-\d{2}-\d{2}")
_SENTENCES_RE = re.compile(r"(?<=[.!?])\s+")
# Markdown that is not words: link destinations, images, HTML tags, emphasis marks, headings.
_MARKUP_RE = re.compile(r"!\[[^\]]*\]\([^)]*\)|\]\([^)]*\)|<[^>]+>|^\s{0,3}(?:#{1,6}|>|[-*+]|\d+\.)\s+"
                        r"|[*_`~]{1,3}|^\s*\[[^\]]+\]:\s*\S+.*$|\{[:#.][^}]*\}",
                        re.MULTILINE)
_SITEMAP_NS = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
_NEWS_NS = "{http://www.google.com/schemas/sitemap-news/0.9}"
# The language a page declares on its root element: <html lang="fr-CA">.
_HTML_LANG_RE = re.compile(r"<html\b[^>]*?\blang\s*=\s*[\"']?([A-Za-z]{2,3}(?:[-_][A-Za-z0-9]+)*)",
                           re.IGNORECASE)
_IMAGE_NS = "{http://www.google.com/schemas/sitemap-image/1.1}"


class SourceError(ArticleFileError):
    """A feed or sitemap that cannot be read as stories (broken XML, not a feed)."""


class PermalinkRule:
    """A Jekyll/Hugo-style permalink: ``https://example.com/:year/:month/:day/:slug/``.

    Tokens: ``:year``, ``:month``, ``:day``, ``:slug``, ``:title`` (the same as slug),
    ``:section``. A story without a date cannot follow a rule that needs one.
    """

    TOKENS = ("year", "month", "day", "slug", "title", "section")
    _TOKEN_RE = re.compile(r":([a-z_]+)")

    def __init__(self, rule: str) -> None:
        unknown = [name for name in self._TOKEN_RE.findall(rule) if name not in self.TOKENS]
        if unknown or ":" not in rule.replace("://", ""):
            raise LibraryError(rule, "not a permalink rule; use tokens such as "
                               "/:year/:month/:day/:slug/ (" + ", ".join(
                                   ":" + name for name in self.TOKENS) + ")")
        self.rule = rule

    def url(self, date: str, slug: str, section: str = "") -> str:
        needs_date = any(f":{name}" in self.rule for name in ("year", "month", "day"))
        if (needs_date and not _ISO_DATE_RE.match(date)) or not slug:
            return ""
        values = {"year": date[:4], "month": date[5:7], "day": date[8:10], "slug": slug,
                  "title": slug, "section": slugify(section)}
        return self._TOKEN_RE.sub(lambda match: values[match.group(1)], self.rule)


def slugify(text: str) -> str:
    return re.sub(r"[^\w]+", "-", text.lower()).strip("-")


@dataclass
class IndexReport:
    """What one add did: counts, and each file skipped with its reason."""

    added: int = 0  # stories from files read this time
    unchanged: int = 0  # files skipped because they have not changed
    removed: int = 0  # stories of files that are gone
    files: int = 0  # files read this time
    skipped: list[tuple[str, str]] = field(default_factory=list)
    cancelled: bool = False


Progress = Callable[[int, int, str], None]  # files done, files in all, the current file


def index_paths(store: StoryStore, paths: Iterable[Path | str], *,
                permalink: PermalinkRule | None = None, progress: Progress | None = None,
                cancelled: Callable[[], bool] | None = None, force: bool = False,
                workers: int = 1) -> IndexReport:
    """Add folders (recursively) and files to ``store``; only what changed is read again
    (everything with ``force``). The folders are remembered for :func:`rebuild`, each with
    ``permalink``, or without one the rule it was added with before. With ``workers`` above 1,
    a large batch of files is parsed in that many processes.

    Raises :class:`LibraryError` for a path that does not exist (nothing is added then).
    """
    roots = [Path(path).absolute() for path in paths]
    for root in roots:
        if not root.exists():
            raise LibraryError(root, "no such file or folder")
    saved = store.roots()
    rules = {root: permalink.rule if permalink is not None else saved.get(str(root), "")
             for root in roots}
    for root in roots:
        store.add_root(str(root), rules[root])
    report = IndexReport()
    work: list[tuple[Path, os.stat_result]] = []
    jobs: list[tuple[Path, str]] = []  # each file to read, with its folder's permalink rule
    gone: list[str] = []
    for root in roots:
        known = store.source_states(str(root))
        seen: set[str] = set()
        explicit = root.is_file()  # a file named by the user is always read (and reported)
        for path, info in _files(root, explicit):
            key = str(path)
            seen.add(key)
            if not force and not explicit and known.get(key) == (info.st_mtime_ns, info.st_size):
                report.unchanged += 1
            else:
                work.append((path, info))
                jobs.append((path, rules[root]))
        gone.extend(source for source in known if source not in seen)
    if gone:
        report.removed = store.remove_sources(gone)
    with contextlib.ExitStack() as stack:
        # A large add into a small library may be one bulk load (each file a story at least).
        stack.enter_context(store.bulk(len(work)))
        if workers > 1 and len(work) >= PARALLEL_FROM:
            # Reading and parsing is most of the work: other processes do it, this one writes.
            pool = stack.enter_context(ProcessPoolExecutor(
                workers, mp_context=multiprocessing.get_context("spawn")))
            stack.callback(pool.shutdown, cancel_futures=True)
            outcomes = pool.map(_read, jobs, chunksize=32)
        else:
            outcomes = map(_read, jobs)
        _write(store, work, outcomes, report, progress, cancelled)
    if progress is not None and not report.cancelled:
        progress(len(work), len(work), "")
    return report


def _write(store: StoryStore, work: list[tuple[Path, os.stat_result]],
           outcomes: Iterator[list[Story] | str], report: IndexReport,
           progress: Progress | None, cancelled: Callable[[], bool] | None) -> None:
    """Store each file's stories, the files read in half a second together (one transaction,
    one request to a server): fast, and a cancel keeps what was already added."""
    position = 0
    while position < len(work) and not report.cancelled:
        read: list[SourceStories] = []
        with store.batch():
            batch_started = time.monotonic()
            while position < len(work) and time.monotonic() - batch_started < 0.5:
                if cancelled is not None and cancelled():
                    report.cancelled = True
                    break
                path, info = work[position]
                if progress is not None:
                    progress(position, len(work), str(path))
                position += 1
                outcome = next(outcomes)
                if isinstance(outcome, str):
                    # Remembered with no stories: listed once, read again when it changes.
                    report.skipped.append((str(path), outcome))
                    outcome = []
                else:
                    report.files += 1
                    report.added += len(outcome)
                read.append((str(path), info.st_mtime_ns, info.st_size, outcome))
            store.replace_sources(read)


def _read(job: tuple[Path, str]) -> list[Story] | str:
    """One file's stories, or why it cannot be read (runs in a worker process too)."""
    path, rule = job
    try:
        return stories_from_file(path, PermalinkRule(rule) if rule else None)
    except (ArticleError, OSError, ValueError, RecursionError) as error:
        return _reason(error)


def rebuild(store: StoryStore, progress: Progress | None = None,
            cancelled: Callable[[], bool] | None = None, *, roots: Iterable[str] | None = None,
            force: bool = True) -> IndexReport:
    """Read every folder and file added before (or those of ``roots``) again, with their own
    permalink rules: every file, or without ``force`` only files changed since (a watched
    folder catching up)."""
    report = IndexReport()
    remembered = store.roots()
    for root in remembered if roots is None else [r for r in roots if r in remembered]:
        rule = remembered[root]
        if not Path(root).exists():
            report.removed += store.remove_sources(store.source_states(root))
            continue
        part = index_paths(store, [root], permalink=PermalinkRule(rule) if rule else None,
                           progress=progress, cancelled=cancelled, force=force)
        report.added += part.added
        report.unchanged += part.unchanged
        report.removed += part.removed
        report.files += part.files
        report.skipped += part.skipped
        if part.cancelled:
            report.cancelled = True
            break
    return report


def watched_folders(roots: Iterable[str]) -> list[str]:
    """The folders and files to watch for the library's remembered ``roots``: each folder with
    its subfolders (hidden ones left out, as when indexing), and each file."""
    found = []
    for root in roots:
        path = Path(root)
        if path.is_file():
            found.append(root)
            continue
        for folder, folders, _ in os.walk(path):
            folders[:] = sorted(name for name in folders if not name.startswith("."))
            found.append(folder)
    return found


def _reason(error: BaseException) -> str:
    if isinstance(error, ArticleFileError):
        return error.message
    if isinstance(error, LibraryError):
        return error.message
    if isinstance(error, OSError):
        return f"cannot be read: {error.strerror or error}"
    return str(error) or type(error).__name__


def _files(root: Path, explicit: bool) -> Iterator[tuple[Path, os.stat_result]]:
    """Files to index under ``root`` (or ``root`` itself), hidden folders and files left out."""
    if explicit:
        yield root, root.stat()
        return
    for folder, folders, names in os.walk(root):
        folders[:] = sorted(name for name in folders if not name.startswith("."))
        for name in sorted(names):
            if name.startswith(".") or Path(name).suffix.lower() not in INDEXED_SUFFIXES:
                continue
            path = Path(folder, name)
            try:
                yield path, path.stat()
            except OSError:
                continue


# --- one file --------------------------------------------------------------------------------


def stories_from_file(path: Path, permalink: PermalinkRule | None = None) -> list[Story]:
    """The stories one file holds: one for an article, one per item for a feed or sitemap."""
    suffix = path.suffix.lower()
    if suffix in FEED_SUFFIXES:
        return stories_from_feed(path)
    article = load_article(path, save_files=False)  # an index only looks: nothing written
    return [story_from_article(article, path, permalink)]


def story_from_article(article: Article, path: Path | None = None,
                       permalink: PermalinkRule | None = None) -> Story:
    """The story an article is, with its URL and date found the ways a site states them."""
    date, url = article_date_and_url(article, path, permalink)
    plain = plain_text(article.body)
    title = article.title or (path.stem if path is not None else "")
    section = article.extra.get("section") or article.extra.get("category") or ""
    return Story(
        title=title,
        url=url,
        date=date,
        author=article.author,
        section=str(section) if isinstance(section, str) else "",
        tags=list(article.tags),
        teaser=trim_text(article.description or article.dek or first_sentences(plain),
                         TEASER_CHARS),
        image=article.image,
        image_alt=article.image_alt,
        text=" ".join((article.dek, article.keyword, plain))[:MAX_TEXT_CHARS],
        source=str(path) if path is not None else None,
        language=_stated_language(article, path),
    )


def _stated_language(article: Article, path: Path | None) -> str:
    """The language the source states (front matter ``lang``/``language``, ``<html lang>``),
    "" when it states none: an article's ``lang`` is English by default, which says nothing
    about a story in the archive."""
    if "lang" in article.key_order or "language" in article.key_order:
        return article.lang.strip()
    if path is not None and path.suffix.lower() in HTML.suffixes:
        found = _HTML_LANG_RE.search(read_text_file(path).text[:65536])
        return found[1] if found else ""
    return ""


def article_date_and_url(article: Article, path: Path | None = None,
                         permalink: PermalinkRule | None = None) -> tuple[str, str]:
    """An article's date and URL, as :func:`story_from_article` finds them (without reading
    its whole text)."""
    jekyll = _JEKYLL_NAME_RE.match(path.stem) if path is not None else None
    date = _iso(article.date) or (f"{jekyll[1]}-{jekyll[2]}-{jekyll[3]}" if jekyll else "")
    url = next((str(article.extra[key]).strip() for key in _URL_KEYS
                if isinstance(article.extra.get(key), str) and article.extra[key].strip()), "")
    if not url and path is not None and path.suffix.lower() in HTML.suffixes:
        url = _canonical_url(path)
    if not url and permalink is not None:
        slug = article.slug or (jekyll[4] if jekyll else (path.stem if path else slugify(
            article.title)))
        section = str(article.extra.get("section") or article.extra.get("category") or "")
        url = permalink.url(date, slugify(slug), section)
    return date, url


def plain_text(markdown: str) -> str:
    """The words of a Markdown body, without link destinations, tags and markup."""
    return " ".join(_MARKUP_RE.sub(" ", markdown).split())


def first_sentences(text: str, count: int = 2) -> str:
    return " ".join(_SENTENCES_RE.split(text, maxsplit=count)[:count])


def _iso(value: Any) -> str:
    text = str(value or "").strip()
    return text[:10] if _ISO_DATE_RE.match(text) else ""


def _canonical_url(path: Path) -> str:
    """The page's ``<link rel="canonical">`` or ``og:url``: where the site publishes it."""
    from bs4 import BeautifulSoup, SoupStrainer

    text = read_text_file(path).text
    head = BeautifulSoup(text, "html.parser", parse_only=SoupStrainer(["link", "meta"]))
    for link in head.find_all("link", href=True):
        if "canonical" in (link.get("rel") or []):
            return str(link["href"]).strip()
    meta = head.find("meta", attrs={"property": "og:url", "content": True})
    return str(meta["content"]).strip() if meta is not None else ""


# --- feeds -----------------------------------------------------------------------------------


def stories_from_feed(path: Path) -> list[Story]:
    """Stories of an RSS 2.0, Atom or JSON Feed file, or of a (news) sitemap."""
    text = read_text_file(path).text
    if path.suffix.lower() == ".json" or text.lstrip().startswith("{"):
        return _json_feed(path, text)
    if re.search(r"<(?:\w+:)?urlset\b", text[:4096]):
        return _sitemap(path, text)
    import feedparser

    feed = feedparser.parse(text, sanitize_html=True, resolve_relative_uris=False)
    entries = [entry for entry in feed.entries if entry.get("title")]
    if not feed.version or (feed.bozo and not entries):
        problem = feed.get("bozo_exception")
        reason = f" ({problem.getMessage() if hasattr(problem, 'getMessage') else problem})" \
            if problem else ""
        what = "a broken feed" if feed.version else "not an RSS, Atom or JSON feed, nor a sitemap"
        raise SourceError(path, what + reason)
    language = str(feed.feed.get("language") or "")  # RSS <language>, Atom xml:lang
    return [_feed_entry(entry, str(path), language) for entry in entries]


def _feed_entry(entry: Any, source: str, language: str = "") -> Story:
    date = ""
    for key in ("published_parsed", "updated_parsed", "created_parsed"):
        parsed = entry.get(key)
        if parsed:
            date = time.strftime("%Y-%m-%d", parsed)
            break
    summary = _html_text(entry.get("summary", ""))
    content = " ".join(_html_text(part.get("value", "")) for part in entry.get("content", []))
    image, image_alt = "", ""
    for media in entry.get("media_content", []) + entry.get("media_thumbnail", []):
        if media.get("url"):
            image = media["url"]
            break
    if not image:
        for link in entry.get("links", []):
            if link.get("rel") == "enclosure" and str(link.get("type", "")).startswith("image/"):
                image = link.get("href", "")
                break
    tags = [tag.get("term", "") for tag in entry.get("tags", []) if tag.get("term")]
    return Story(
        title=_html_text(entry.get("title", "")),
        url=entry.get("link", "") or entry.get("id", ""),
        date=date,
        author=entry.get("author", ""),
        tags=tags,
        teaser=trim_text(summary or first_sentences(content), TEASER_CHARS),
        image=image,
        image_alt=image_alt,
        text=" ".join((summary, content))[:MAX_TEXT_CHARS],
        source=source,
        language=next((str(part["language"]) for part in entry.get("content", [])
                       if part.get("language")), language),
    )


def _html_text(value: str) -> str:
    if "<" not in value and "&" not in value:
        return " ".join(value.split())
    from bs4 import BeautifulSoup

    return " ".join(BeautifulSoup(value, "html.parser").get_text(" ").split())


def _json_feed(path: Path, text: str) -> list[Story]:
    try:
        feed = json.loads(text)
    except json.JSONDecodeError as error:
        raise SourceError(path, f"not valid JSON ({error.msg})", error.lineno) from None
    if not isinstance(feed, dict) or not str(feed.get("version", "")).startswith(
            "https://jsonfeed.org/version/"):
        raise SourceError(path, "not a JSON Feed (no https://jsonfeed.org/version/ in 'version')")
    items = feed.get("items")
    if not isinstance(items, list):
        raise SourceError(path, "a JSON Feed without an 'items' list")
    stories = []
    for item in items:
        if not isinstance(item, dict) or not item.get("title"):
            continue
        content = str(item.get("content_text") or "") or _html_text(
            str(item.get("content_html") or ""))
        summary = str(item.get("summary") or "")
        authors = item.get("authors") or ([item["author"]] if item.get("author") else [])
        author = ", ".join(str(entry.get("name", "")) for entry in authors
                           if isinstance(entry, dict) and entry.get("name"))
        tags = [str(tag) for tag in item.get("tags") or [] if isinstance(tag, str)]
        stories.append(Story(
            title=_html_text(str(item["title"])),
            url=str(item.get("url") or item.get("external_url") or ""),
            date=_iso(item.get("date_published") or item.get("date_modified")),
            author=author,
            tags=tags,
            teaser=trim_text(summary or first_sentences(content), TEASER_CHARS),
            image=str(item.get("image") or item.get("banner_image") or ""),
            text=" ".join((summary, content))[:MAX_TEXT_CHARS],
            source=str(path),
            external=bool(item.get("external_url") and not item.get("url")),
            language=str(item.get("language") or feed.get("language") or ""),
        ))
    return stories


def _sitemap(path: Path, text: str) -> list[Story]:
    from xml.etree.ElementTree import ParseError

    from defusedxml import DefusedXmlException
    from defusedxml.ElementTree import fromstring

    try:
        root = fromstring(text.encode("utf-8"))
    except (ParseError, DefusedXmlException) as error:
        raise SourceError(path, f"not a readable sitemap ({error})") from None
    stories = []
    for entry in root.iter(f"{_SITEMAP_NS}url"):
        url = (entry.findtext(f"{_SITEMAP_NS}loc") or "").strip()
        news = entry.find(f"{_NEWS_NS}news")
        if not url or news is None:
            continue  # a page of the site, not a news story
        title = " ".join((news.findtext(f"{_NEWS_NS}title") or "").split())
        keywords = [word.strip() for word in (news.findtext(f"{_NEWS_NS}keywords") or "")
                    .split(",") if word.strip()]
        image = entry.find(f"{_IMAGE_NS}image")
        language = news.findtext(f"{_NEWS_NS}publication/{_NEWS_NS}language") or ""
        stories.append(Story(
            title=title or url,
            url=url,
            date=_iso(news.findtext(f"{_NEWS_NS}publication_date")
                      or entry.findtext(f"{_SITEMAP_NS}lastmod")),
            tags=keywords,
            image=(image.findtext(f"{_IMAGE_NS}loc") or "").strip() if image is not None else "",
            image_alt=(image.findtext(f"{_IMAGE_NS}caption") or "").strip()
            if image is not None else "",
            text=" ".join([title, *keywords]),
            source=str(path),
            language=language.strip(),
        ))
    return stories
