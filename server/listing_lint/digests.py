"""Layer 0 (shared): the hash functions that key caches and fingerprints, taken without loading OpenSSL.

``import hashlib`` loads OpenSSL's library for its algorithms: about 5 ms of every start, for two functions
CPython also builds in. The built-in ones give the same digests.
"""

from __future__ import annotations

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

__all__ = ["blake2b", "sha256"]
