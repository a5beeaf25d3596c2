"""Links as the importers write them: without the tracking parameters campaigns add."""

from __future__ import annotations

import re
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

_TRACKING_PARAMETERS = frozenset({
    "fbclid", "gclid", "dclid", "gbraid", "wbraid", "msclkid", "mc_cid", "mc_eid", "igshid",
    "yclid", "_hsenc", "_hsmi",
})
_URL = re.compile(r"^(?:https?://|www\.)\S+$", re.IGNORECASE)


def without_tracking(url: str) -> str:
    """``url`` without ``utm_*``, ``fbclid``, ``gclid`` and their kin; anything else as it was."""
    try:
        parts = urlsplit(url)
    except ValueError:
        return url
    if not parts.query:
        return url
    pairs = parse_qsl(parts.query, keep_blank_values=True)
    kept = [(key, value) for key, value in pairs
            if not key.lower().startswith("utm_") and key.lower() not in _TRACKING_PARAMETERS]
    if len(kept) == len(pairs):
        return url
    return urlunsplit(parts._replace(query=urlencode(kept, doseq=True)))


def as_url(text: str) -> str | None:
    """The URL ``text`` is, if it is nothing but one web address (tracking removed)."""
    text = text.strip()
    if not _URL.match(text):
        return None
    return without_tracking(text if "://" in text else f"https://{text}")
