"""Layer 0 (shared): the hash functions that key caches and fingerprints, taken without loading OpenSSL, and the
digest of a module's source that data made by its code is kept under.

``import hashlib`` loads OpenSSL's library for its algorithms: about 5 ms of every start, for two functions
CPython also builds in. The built-in ones give the same digests.
"""

from __future__ import annotations

import functools

try:
    from _blake2 import blake2b
except ImportError:  # a Python built without it
    from hashlib import blake2b

try:
    from _sha2 import sha256  # Python 3.12 on
except ImportError:
    try:
        from _sha256 import sha256  # Python 3.11 and before
    except ImportError:
        from hashlib import sha256


@functools.lru_cache(maxsize=8)
def source_digest(*modules) -> "str | None":
    """Return a digest of these modules' source files (what data made by their code is kept under), or None when
    one cannot be read (an install without sources: then nothing made by them is kept)."""
    h = blake2b(digest_size=16)
    for module in modules:
        try:
            with open(module.__file__, "rb") as source:
                h.update(source.read())
        except (OSError, TypeError, AttributeError):
            return None
    return h.hexdigest()


__all__ = ["blake2b", "sha256", "source_digest"]
