"""Layer 0 (shared): the did-you-mean for a mistyped name (a rule, a config key, a marketplace, an encoding)."""

from __future__ import annotations

from collections.abc import Iterable


def close_matches(word: str, choices: Iterable[str]) -> list[str]:
    """Return the one choice closest to a mistyped name, when one is close enough, else nothing.

    ``difflib`` is imported here, on a mistake, not by every run that makes none.
    """
    import difflib

    return difflib.get_close_matches(word, list(choices), n=1)
