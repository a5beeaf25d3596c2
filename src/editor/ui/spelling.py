"""The window's side of spell checking: the shared personal word list, dictionaries loaded
off the main thread (a Hunspell dictionary takes half a second to read), and the spelling
family of the copy desk's findings, from the tab's own checker (the one dictionary there is)."""

from __future__ import annotations

import contextlib
import gc
import threading
import time
from collections.abc import Iterator
from pathlib import Path

from PySide6.QtCore import QObject, QStandardPaths, QTimer, Signal

from editor.checks import Finding
from editor.checks.spelling import check_by_line
from editor.errors import ArticleError
from editor.model import Article
from editor.spelling import (
    SpellChecker,
    add_personal_word,
    personal_words_path,
    read_personal_words,
    word_list_for,
)
from editor.ui.main_thread import deliver, prepare_relay

# Languages offered in the Language menu; any other ``lang`` in a file is kept and used too.
LANGUAGES = (("en", "English"), ("es", "Spanish"), ("fr", "French"), ("de", "German"),
             ("pt", "Portuguese"), ("it", "Italian"), ("nl", "Dutch"))


class PersonalDictionary(QObject):
    """The user's word list (``dictionary.txt`` in the data folder), shared by every tab."""

    changed = Signal()

    def __init__(self, path: Path, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.path = path
        self.words = read_personal_words(path)

    def add(self, word: str) -> None:
        # An unwritable data folder: the word is still known for this session.
        with contextlib.suppress(OSError):
            add_personal_word(self.path, word)
        self.words = self.words | {word}
        self.changed.emit()


_personal: PersonalDictionary | None = None


def personal_dictionary() -> PersonalDictionary:
    """The one personal dictionary of this process, in the user's data folder."""
    global _personal
    base = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.AppDataLocation)
    path = personal_words_path(Path(base))
    if _personal is None or _personal.path != path:  # the data folder moved (tests do that)
        _personal = PersonalDictionary(path)
    return _personal


WARM_UP_SLICE_SECONDS = 0.002
WARM_UP_PAUSE_SECONDS = 0.004

# One dictionary read at a time: ten tabs opened together would otherwise each read their own
# copy (``word_list_for``'s cache only knows a dictionary once it is read), some 32 MB each for
# a Hunspell one (editor.spelling.read_hunspell), all kept alive by their tabs' checkers
# (bench/tabs.py). After the first read the others find it cached.
_reading = threading.Lock()


class WordListLoader(QObject):
    """Reads a dictionary in a worker thread and checks the body's lines there once, so the
    window's first underlining only reads cached results; ``loaded`` arrives in the window's
    thread with the checker (None when there is no dictionary for the language)."""

    loaded = Signal(str, object)  # lang, SpellChecker or None

    def load(self, lang: str, allowed: frozenset[str], body: str) -> None:
        prepare_relay()
        threading.Thread(target=self._run, args=(lang, allowed, body), daemon=True).start()

    def _run(self, lang: str, allowed: frozenset[str], body: str) -> None:
        words: SpellChecker | None
        # A Hunspell dictionary is some 340,000 small objects living as long as the tab. Left
        # to the cyclic garbage collector, each of its full passes walked them all (and, while
        # the dictionary was read, walked it again and again as it grew), pausing the window
        # for 250-400 ms every few seconds of typing (bench/). Collection waits while it is
        # read, and then it is frozen out of those passes; reference counting still frees it.
        gc.disable()
        try:
            with _reading:
                word_list = word_list_for(lang)
            words = SpellChecker(word_list, allowed)
        except ArticleError:
            words = None
        finally:
            gc.freeze()
            gc.enable()
        if words is not None:
            # Python threads share one interpreter lock: pausing every few milliseconds
            # leaves the window's thread the lock for its own work while this runs.
            pause_at = time.perf_counter() + WARM_UP_SLICE_SECONDS
            for _ in words.check_lines(body):
                if time.perf_counter() >= pause_at:
                    time.sleep(WARM_UP_PAUSE_SECONDS)
                    pause_at = time.perf_counter() + WARM_UP_SLICE_SECONDS
        # Unless the tab closed while the dictionary loaded.
        deliver(self, lambda: self.loaded.emit(lang, words))


# Working out spelling findings goes this long per turn of the event loop: some 6 ms in all for
# 100,000 words whose lines the checker knows (bench/copydesk.py), far longer for lines it
# has not checked yet (a new dictionary's, a cleared cache's).
FINDINGS_SLICE_SECONDS = 0.004


class SpellingFindings(QObject):
    """The spelling family of :func:`editor.checks.run_checks`, worked out in the window's
    thread from a tab's checker, a few milliseconds per turn of the event loop.

    The checks' worker process has no dictionary: the tab's checker has already checked (and
    cached) every line of the body for its underlines, so asking it is cheap, where a second
    copy of the dictionary in the worker cost 60 MB. ``found`` brings the findings with
    the number :meth:`start` was given; :meth:`start` again or :meth:`cancel` drops the ones
    under way.
    """

    found = Signal(int, object)  # the request's number, list[Finding]

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._request = 0
        self._steps: Iterator[list[Finding]] | None = None
        self._findings: list[Finding] = []
        self._timer = QTimer(self, singleShot=True, interval=0)
        self._timer.timeout.connect(self._continue)

    def start(self, request: int, article: Article, checker: SpellChecker) -> None:
        """Find ``article``'s misspellings with ``checker`` (no suggestions: the dock shows
        none), starting on the next turn of the event loop."""
        self._request = request
        self._steps = check_by_line(article, checker, with_suggestions=False)
        self._findings = []
        self._timer.start()

    def cancel(self) -> None:
        self._steps = None
        self._timer.stop()

    def _continue(self) -> None:
        steps = self._steps
        if steps is None:
            return
        deadline = time.perf_counter() + FINDINGS_SLICE_SECONDS
        for found in steps:
            self._findings += found
            if time.perf_counter() >= deadline:
                self._timer.start()
                return
        self._steps = None
        self.found.emit(self._request, self._findings)
