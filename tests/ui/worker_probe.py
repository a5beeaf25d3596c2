"""What the tests ask of a worker process about itself (imported there: no Qt in this module)."""

from __future__ import annotations

import sys

# Where spelling dictionaries come from: spylls reads Hunspell's, pyspellchecker ships lists.
DICTIONARY_PACKAGES = ("spylls", "spellchecker")


def dictionary_modules() -> list[str]:
    """In the worker: the dictionary modules it has imported."""
    return sorted(name for name in sys.modules if name.split(".")[0] in DICTIONARY_PACKAGES)
