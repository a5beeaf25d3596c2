"""Markdown with YAML front matter: the editor's native format, text to article and back.

Loading then saving an unchanged article gives back the same text: the front-matter block is
kept as read while the metadata it describes is unchanged, and re-written with PyYAML (known
keys in their old places, unknown keys kept in order) once it changes.
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from typing import Any

import yaml

from editor.errors import FrontMatterError
from editor.model import DEFAULT_RELATED_HEADING, Article, RelatedCard

# The block ends at the first closing fence: "---\n---\n" is an empty block even before "---".
_FRONT_MATTER = re.compile(
    r"\A---[ \t]*\n(?P<yaml>.*?\n)??(?:---|\.\.\.)[ \t]*(?:\n|\Z)", re.DOTALL
)

# Known text fields and the keys other tools spell them with (Jekyll, Hugo, Eleventy, CMS
# exports). The first spelling is ours and the one written for a new key.
TEXT_FIELDS: dict[str, tuple[str, ...]] = {
    "title": ("title", "headline"),
    "dek": ("dek", "subtitle", "standfirst", "excerpt"),
    "author": ("author", "authors", "byline"),
    "date": ("date", "published", "pubdate"),
    "slug": ("slug",),
    "keyword": ("keyword", "focus_keyword", "keyphrase"),
    "description": ("description", "summary", "meta_description"),
    "image": ("image", "featured_image", "cover_image"),
    "image_alt": ("image_alt", "featured_image_alt"),
    "image_caption": ("image_caption", "image_figcaption", "caption"),
    "related_heading": ("related_heading",),
    "lang": ("lang", "language"),
}
LIST_FIELDS: dict[str, tuple[str, ...]] = {
    "tags": ("tags",),
    "related": ("related",),
}
_KEY_TO_FIELD = {
    key: name for table in (TEXT_FIELDS, LIST_FIELDS) for name, keys in table.items() for key in keys
}
# libyaml's parser where PyYAML was built with it: a batch export spends a tenth of its time
# reading front matter with the pure-Python one. Errors are reported by the pure-Python one,
# so the messages (and the lines they name) do not depend on how PyYAML was installed.
_FAST_LOADER: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def _safe_load(source: str) -> Any:
    """``yaml.safe_load``, through libyaml when it is there; errors exactly as PyYAML words them."""
    try:
        return yaml.load(source, Loader=_FAST_LOADER)
    except Exception:  # whatever libyaml raises, the pure parser says why
        return yaml.safe_load(source)


_FIELD_DEFAULTS = {"related_heading": DEFAULT_RELATED_HEADING, "lang": "en"}
_CARD_FIELDS = ("title", "url", "image", "image_alt", "teaser")


def parse_markdown(text: str, path: Path | str | None = None) -> Article:
    """Read an article from Markdown text (``\\n`` line endings) with optional front matter."""
    match = _FRONT_MATTER.match(text)
    if match is None:
        if text.startswith("---\n") and _looks_like_yaml_start(text):
            raise FrontMatterError(path, "front matter opened with '---' is never closed", 1)
        return Article(body=text)
    data = _load_yaml(match.group("yaml") or "", path)
    article = Article(body=text[match.end():], source_header=match.group(0))
    _apply_front_matter(article, data, match.group("yaml") or "", path)
    return article


def front_matter_length(text: str) -> int:
    """How many leading characters of ``text`` are a front-matter block (fences included)."""
    match = _FRONT_MATTER.match(text)
    return match.end() if match is not None else 0


def without_front_matter(body: str) -> str:
    """``body`` with a front-matter block at its top blanked: what the page shows of the body.

    A block pasted at the top of the body (or left there when the file had two) is metadata,
    not text: the preview, the export and the counts all leave it out. Its lines stay as empty
    lines so that body line numbers still match the editor's.
    """
    if not body.startswith("---"):
        return body
    length = front_matter_length(body)
    return "\n" * body.count("\n", 0, length) + body[length:] if length else body


def dump_markdown(article: Article) -> str:
    """The article as Markdown text with front matter (``\\n`` line endings)."""
    return front_matter_header(article) + article.body


def front_matter_header(article: Article) -> str:
    """The front-matter block with its fences, or "" when the article has no metadata.

    An article without metadata whose body starts like a front-matter block gets an empty one.
    """
    original = _original_data(article)
    data = front_matter_data(article, original)
    if article.source_header is not None and data == original:
        return article.source_header
    if not data:
        # A body that itself opens like front matter gets an empty block, so that it is read
        # back as body text rather than as metadata (or as an unclosed block).
        return _EMPTY_FRONT_MATTER if _reads_as_front_matter(article.body) else ""
    dumped = yaml.dump(
        data, Dumper=_Dumper, sort_keys=False, allow_unicode=True, default_flow_style=False,
        width=1000,
    )
    return f"---\n{dumped}---\n"


class _Dumper(yaml.SafeDumper):
    """PyYAML's safe dumper, but text holding U+0085 (NEL) is written double-quoted.

    With ``allow_unicode`` PyYAML writes NEL raw inside single quotes, where it reads back as
    a line break folded to a space: pasted text would change on every save.
    """


def _represent_text(dumper: yaml.SafeDumper, value: str) -> yaml.Node:
    if "\x85" in value:
        return dumper.represent_scalar("tag:yaml.org,2002:str", value, style='"')
    return dumper.represent_str(value)


_Dumper.add_representer(str, _represent_text)


def body_first_line(article: Article) -> int:
    """The file line (1-based) on which the body starts."""
    return front_matter_header(article).count("\n") + 1


def front_matter_data(article: Article, original: dict[str, Any] | None = None) -> dict[str, Any]:
    """The front matter as a mapping in file order: the file's keys first, new ones after."""
    original = original if original is not None else _original_data(article)
    data: dict[str, Any] = {}
    written: set[str] = set()
    for key in article.key_order:
        name = _KEY_TO_FIELD.get(key)
        if name is not None and article.key_aliases.get(name, name) == key:
            value = _field_value(article, name, original.get(key, _ABSENT))
            if value is _ABSENT and _spelled_twice(article, name):
                value = ""  # kept, or the other spelling (kept in extra) would take its place
            if value is not _ABSENT:
                data[key] = value
            written.add(name)
        elif key in article.extra:
            data[key] = article.extra[key]
    for name in (*TEXT_FIELDS, *LIST_FIELDS):
        if name in written:
            continue
        value = _field_value(article, name, _ABSENT)
        if value in (_ABSENT, [], None) or value == _FIELD_DEFAULTS.get(name):
            continue
        if value == "" and name not in _FIELD_DEFAULTS:
            continue  # empty is left out, unless it differs from a default ("Don't Miss")
        data[name] = value
    for key, value in article.extra.items():
        data.setdefault(key, value)
    return data


_ABSENT = object()


def _spelled_twice(article: Article, name: str) -> bool:
    """Does the file also hold another spelling of the field (``authors`` beside ``author``)?"""
    return any(isinstance(key, str) and _KEY_TO_FIELD.get(key.lower()) == name
               for key in article.extra)


def _field_value(article: Article, name: str, original: Any) -> Any:
    """The value to write for a known field: the file's own value while it still means the same.

    ``original`` is ``_ABSENT`` when the file has no such key (and None when it says ``null``).
    """
    if name == "related":
        cards = [card.to_dict() for card in article.related]
        try:
            unchanged = original is not _ABSENT and _cards_from(original, None) == article.related
        except _WrongTypeError:
            unchanged = False
        return original if unchanged else cards
    if name == "tags":
        tags = list(article.tags)
        try:
            unchanged = original is not _ABSENT and _tags_from(original) == tags
        except _WrongTypeError:
            unchanged = False
        return original if unchanged else tags
    value = getattr(article, name)
    if original is not _ABSENT and _text_from(original, name) == value:
        return original
    if name == "author" and article.key_aliases.get("author") == "authors":
        return [part.strip() for part in value.split(",") if part.strip()]
    if name == "date":
        return _date_value(value)
    if original in (_ABSENT, None) and value == "" and name not in _FIELD_DEFAULTS:
        return _ABSENT
    return value


def _date_value(value: str) -> Any:
    """An ISO date is written as a YAML date (unquoted), anything else as text."""
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        return value


def _original_data(article: Article) -> dict[str, Any]:
    if article.source_header is None:
        return {}
    match = _FRONT_MATTER.match(article.source_header)
    loaded = _safe_load(match.group("yaml") or "") if match else None
    # Keys as the model holds them (``0:`` is the key "0"), so an untouched block compares equal.
    return {str(key): value for key, value in loaded.items()} if isinstance(loaded, dict) else {}


_EMPTY_FRONT_MATTER = "---\n---\n"


def _reads_as_front_matter(body: str) -> bool:
    return _FRONT_MATTER.match(body) is not None or (
        body.startswith("---\n") and _looks_like_yaml_start(body)
    )


def _looks_like_yaml_start(text: str) -> bool:
    """A leading ``---`` followed by ``key:`` lines is front matter, not a thematic break."""
    second = text.split("\n", 2)[1] if text.count("\n") >= 1 else ""
    return re.match(r"^[A-Za-z_][\w-]*\s*:", second) is not None


def _load_yaml(source: str, path: Path | str | None) -> dict[str, Any]:
    try:
        data = _safe_load(source)
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        if mark is None or "<stream end>" in str(getattr(error, "problem", "")):
            # An unclosed bracket or quote is reported where the front matter ends; the
            # place it was opened is what the writer needs to see.
            mark = getattr(error, "context_mark", None) or mark
        line = mark.line + 2 if mark is not None else 1
        problem = getattr(error, "problem", None) or "not valid YAML"
        raise FrontMatterError(path, f"front matter is not valid YAML: {problem}", line) from None
    except (ValueError, TypeError, RecursionError) as error:
        # PyYAML's constructors raise these for values such as an impossible date.
        raise FrontMatterError(path, f"front matter is not valid YAML: {error}", 1) from None
    if data is None:
        return {}
    if not isinstance(data, dict):
        raise FrontMatterError(path, "front matter must be a mapping of keys to values", 2)
    _check_expansion(data, path)
    return data


MAX_FRONT_MATTER_VALUES = 100_000
MAX_FRONT_MATTER_DEPTH = 64


def _check_expansion(data: dict[str, Any], path: Path | str | None) -> None:
    """Refuse YAML aliases that refer to themselves or expand to a huge tree ("billion laughs").

    PyYAML shares aliased values instead of copying them, so loading is cheap; but comparing,
    copying or writing the tree out again walks every expanded value, or never ends.
    """
    sizes: dict[int, int] = {}
    open_ids: set[int] = set()

    def count(value: Any, depth: int) -> int:
        if not isinstance(value, (list, dict)):
            return 1
        if depth > MAX_FRONT_MATTER_DEPTH:
            raise FrontMatterError(path, "front matter is nested too deeply", 2)
        key = id(value)
        if key in open_ids:
            raise FrontMatterError(path, "front matter refers to itself (a recursive YAML "
                                   "alias)", 2)
        if key in sizes:
            return sizes[key]
        open_ids.add(key)
        items = value.values() if isinstance(value, dict) else value
        total = 1 + sum(count(item, depth + 1) for item in items)
        open_ids.discard(key)
        if total > MAX_FRONT_MATTER_VALUES:
            raise FrontMatterError(path, f"front matter is too large: its aliases expand to more "
                                   f"than {MAX_FRONT_MATTER_VALUES:,} values", 2)
        sizes[key] = total
        return total

    count(data, 0)


def _key_line(source: str, key: Any) -> int:
    """The file line of ``key`` in the front matter (the opening fence is line 1)."""
    try:
        node = yaml.compose(source)
    except yaml.YAMLError:
        return 2
    if isinstance(node, yaml.MappingNode):
        for key_node, _ in node.value:
            if key_node.value == str(key):
                return key_node.start_mark.line + 2
    return 2


def _apply_front_matter(
    article: Article, data: dict[str, Any], source: str, path: Path | str | None
) -> None:
    article.key_order = [str(key) for key in data]
    for key, value in data.items():
        key_text = str(key)
        name = _KEY_TO_FIELD.get(key_text.lower()) if isinstance(key, str) else None
        if name is None or name in article.key_aliases:
            article.extra[key_text] = value
            continue
        try:
            if name == "related":
                article.related = _cards_from(value, article)
            elif name == "tags":
                article.tags = _tags_from(value)
            else:
                setattr(article, name, _text_from(value, name))
        except _WrongTypeError as wrong:
            if key_text != name:
                # Another tool's key that means something else there: keep it untouched.
                article.extra[key_text] = value
                continue
            raise FrontMatterError(path, f"'{key_text}' {wrong}", _key_line(source, key)) from None
        article.key_aliases[name] = key_text
        if not isinstance(value, (str, list, dict, dt.date)) and value is not None:
            article.warnings.append(f"'{key_text}' was {type(value).__name__}; read as text")


class _WrongTypeError(Exception):
    pass


def _text_from(value: Any, name: str) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        return value.isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, list) and name == "author":
        if all(isinstance(item, (str, int, float)) for item in value):
            # Names as saving writes them back: one per part between commas.
            return ", ".join(part.strip() for item in value for part in str(item).split(",")
                             if part.strip())
        names = [item.get("name") for item in value if isinstance(item, dict)]
        if names and all(isinstance(item, str) for item in names):
            return ", ".join(str(name) for name in names)
        raise _WrongTypeError("must be a name or a list of names")
    if isinstance(value, (list, dict)):
        raise _WrongTypeError(f"must be text, not a {'list' if isinstance(value, list) else 'mapping'}")
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def _tags_from(value: Any) -> list[str]:
    if value is None:
        return []
    if isinstance(value, str):
        return [tag.strip() for tag in value.split(",") if tag.strip()]
    if isinstance(value, list) and all(not isinstance(item, (list, dict)) for item in value):
        return [str(item) for item in value if item is not None]
    raise _WrongTypeError("must be a list of tags")


def _cards_from(value: Any, article: Article | None) -> list[RelatedCard]:
    if value is None:
        return []
    if not isinstance(value, list):
        raise _WrongTypeError("must be a list of cards, each with title, url, image, image_alt, teaser")
    cards = []
    for item in value:
        if not isinstance(item, dict):
            raise _WrongTypeError("must be a list of cards, each a mapping with title, url, teaser…")
        card = RelatedCard()
        for key in _CARD_FIELDS:
            raw = item.get(key)
            if isinstance(raw, (list, dict)):
                raise _WrongTypeError(f"card field '{key}' must be text")
            setattr(card, key, "" if raw is None else str(raw))
        unknown = [key for key in item if key not in _CARD_FIELDS]
        if unknown and article is not None:
            article.warnings.append(f"related card keys not known and dropped on edit: {unknown}")
        cards.append(card)
    return cards

