"""Layer 3 (engine data): tell whether a competitor name is also an everyday word or a first name in a language.

Word frequencies come from wordfreq's "small" lists (words used at least once per million, about 30,000 per
language, 125 KB each). They are read straight from wordfreq's data files on the first ambiguous-looking
candidate, not through ``import wordfreq``, whose language-code tables alone cost about 0.3 s to import;
every answer is memoised per word and language, so a lint run pays for each list once.

A brand's own use inflates its frequency (``nike`` is as frequent as many nouns), so frequency alone cannot
tell the brand from the word. What does is the spread across languages: a brand or an international name
is about as frequent in every language, while an everyday word is much more frequent in its own language
(``anker``: 3.8 in German, absent elsewhere; ``samsung``: 4.1 everywhere). English uses a sharper signal
built from the same frequencies: the bundled ``common-words`` list holds wordfreq's 40,000 most frequent
English words that a dictionary spells in lower case, and ``dictionary-words`` the rarer ones (luau, remix)
that are used more in English than elsewhere (``scripts/build_dictionary_words.py``).
"""

from __future__ import annotations

import array
import bisect
import functools
import importlib.util
import sys
import zlib
from pathlib import Path

from ...digests import blake2b, source_digest
from ...patterns import compile_re
from ..context import data_words, word_list
from ..spec import kept_data

WORD = compile_re(r"\w+")
MIN_ZIPF = 3.0
"""Zipf frequency of one use per million words: below it a word is not everyday in any language."""
EXCESS = 0.3
"""How much more frequent (in Zipf units; 0.3 is twice as frequent) a word must be in the listing's language
than in the median other language to count as one of that language's own words."""
ABSENT_ZIPF = 2.5
"""What a word missing from a small list counts as: those lists stop at Zipf 3."""
REFERENCE_LANGS = ("en", "de", "fr", "es", "it")
MIN_LETTERS = 3
"""Names shorter than this ("C", "HP", "Go") are always ambiguous: letters, notes, initials and units."""

MARKETPLACE_LANGS = {
    "de": "de", "at": "de", "fr": "fr", "es": "es", "it": "it", "nl": "nl", "br": "pt", "pt": "pt",
    "jp": "ja", "cn": "zh", "mx": "es", "se": "sv", "pl": "pl", "tr": "tr",
}


@functools.lru_cache(maxsize=64)
def language_of(marketplace: str | None) -> str:
    """Return the main language of a marketplace host (``amazon.de`` -> ``de``); English by default."""
    if not marketplace:
        return "en"
    return MARKETPLACE_LANGS.get(marketplace.rstrip("/").rsplit(".", 1)[-1].lower(), "en")


def _wordfreq_data() -> Path | None:
    spec = importlib.util.find_spec("wordfreq")  # finds the package without running its __init__
    if spec is None or not spec.submodule_search_locations:
        return None
    return Path(next(iter(spec.submodule_search_locations))) / "data"


try:
    from .._tokens import word_hash as _compiled_hash, zipf_arrays as _compiled_arrays
except ImportError:  # pragma: no cover - an install without a compiler
    _compiled_hash = _compiled_arrays = None


def _hash(word: str) -> int:
    # Of the UTF-8 bytes: a str's own hash reads its characters' memory, so "my" (two bytes) and "祭" (one
    # character stored as the same two bytes) share it.
    return hash(word.encode("utf-8", "surrogatepass"))


def stable_hash(word: str) -> int:
    """Return a 64-bit hash of a word's UTF-8 that is the same in every process (Python's is seeded per process):
    its CRC-32 and Adler-32 side by side, 2.5 times as fast as a cryptographic digest. The two are weaker than
    64 bits together, but no two of the 175,000 words of the seven lists share it, and a word looked up shares
    it with one of them well under once in a million."""
    data = word.encode("utf-8", "surrogatepass")
    return (zlib.crc32(data) << 32 | zlib.adler32(data)) - (1 << 63)


class ZipfTable:
    """A language's word frequencies, kept compact: the sorted hashes of its words and each one's bucket.

    A dict of 30,000 words and their strings costs about 3 MB per language, and the typo check reads seven
    languages; as hashes it costs about 300 KB. Two words sharing a 64-bit hash would share a frequency:
    with 30,000 words that is about one chance in 10^14 per word looked up.

    The compiled module builds a table (``zipf_arrays``) in about 3 ms a language, hashed the same in every
    process (``word_hash``), so it can be kept in the cache folder too (read back in about 2 ms). Without it the
    seven tables take about 140 ms to build in Python, and a table to keep is hashed with ``stable_hash``.
    """

    __slots__ = ("_hashes", "_buckets", "_hash")

    HASHES = {"fnv": _compiled_hash, "crc": stable_hash}
    """The hash functions a kept table may name; one the install lacks (None) is rebuilt."""

    def __init__(self, buckets: dict[str, int], stable: bool = False) -> None:
        """``buckets``: word -> its centibel bucket in wordfreq's "cB" format (Zipf ``9 - bucket / 100``)."""
        self._hash = stable_hash if stable else _hash
        # Sorted by index with C-level keys, not as (hash, bucket) tuples: about three times faster.
        hashes = list(map(self._hash, buckets))
        values = list(buckets.values())
        order = sorted(range(len(hashes)), key=hashes.__getitem__)
        self._hashes = array.array("q", [hashes[i] for i in order])
        self._buckets = array.array("H", [values[i] for i in order])

    @classmethod
    def from_lists(cls, lists: list, stable: bool = False) -> "ZipfTable":
        """Build a table from wordfreq's lists of words per bucket (the most frequent first); a word in two
        buckets keeps the more frequent."""
        if _compiled_arrays is None:
            return cls({word: i for i, bucket in reversed(list(enumerate(lists))) for word in bucket}, stable=stable)
        hashes, buckets = _compiled_arrays(lists)
        return cls._of(_compiled_hash, array.array("q", hashes), array.array("H", buckets))

    @classmethod
    def _of(cls, hash_function, hashes: array.array, buckets: array.array) -> "ZipfTable":
        table = cls.__new__(cls)
        table._hash, table._hashes, table._buckets = hash_function, hashes, buckets
        return table

    def get(self, word: str, default: float = 0.0) -> float:
        """Return the word's Zipf frequency, or ``default`` when the list does not hold it."""
        key = self._hash(word)
        at = bisect.bisect_left(self._hashes, key)
        if at < len(self._hashes) and self._hashes[at] == key:
            return 9.0 - self._buckets[at] / 100
        return default

    def __len__(self) -> int:
        return len(self._hashes)

    def kept(self) -> dict:
        """Return the table as ``spec.kept_data`` keeps it (only a table hashed the same in every process)."""
        import base64  # only a run that keeps or reads back a table needs it

        name = next(name for name, function in self.HASHES.items() if function is self._hash)
        hashes, buckets = self._hashes.tobytes(), self._buckets.tobytes()
        return {"hash": name, "hashes": base64.b64encode(hashes).decode("ascii"),
                "buckets": base64.b64encode(buckets).decode("ascii"),
                "digest": blake2b(hashes + buckets, digest_size=16).hexdigest()}

    @classmethod
    def from_kept(cls, data: dict) -> "ZipfTable":
        """Rebuild a table ``kept`` returned; raise ValueError (or TypeError, KeyError) on anything else."""
        import base64

        hash_function = cls.HASHES.get(data["hash"])
        if hash_function is None:
            raise ValueError("a table hashed by a function this install lacks")
        hashes = base64.b64decode(data["hashes"], validate=True)
        buckets = base64.b64decode(data["buckets"], validate=True)
        if blake2b(hashes + buckets, digest_size=16).hexdigest() != data["digest"] or len(hashes) != 4 * len(buckets):
            raise ValueError("a damaged table")
        return cls._of(hash_function, array.array("q", hashes), array.array("H", buckets))


@functools.lru_cache(maxsize=None)
def _zipf_table(lang: str) -> ZipfTable:
    """Return wordfreq's small list for a language (empty when it has none)."""
    folder = _wordfreq_data()
    path = folder / f"small_{lang}.msgpack.gz" if folder else None
    if path is None or not path.is_file():
        return ZipfTable({})
    raw = path.read_bytes()
    code = source_digest(sys.modules[__name__])
    if code is None:  # an install without sources: what this code makes cannot be named, so it is not kept
        return _made(raw, False)[1]
    key = repr(("zipf-table", 2, lang, blake2b(raw, digest_size=16).hexdigest(), code, sys.byteorder,
                "fnv" if _compiled_arrays is not None else "crc"))
    return kept_data(key, lambda keep: _made(raw, keep), ZipfTable.from_kept)


def _made(raw: bytes, keep: bool) -> tuple:
    """Build a language's table from its file's bytes; return it as ``kept_data`` keeps it (with ``keep``) and as
    used."""
    import gzip

    import msgpack  # a dependency of wordfreq

    data = msgpack.unpackb(gzip.decompress(raw), raw=False)
    header = data[0] if data else None
    if not isinstance(header, dict) or header.get("format") != "cB" or header.get("version") != 1:
        return None, ZipfTable({})  # a future wordfreq data format: no frequencies rather than wrong ones
    # The "cB" format lists words in buckets of one centibel each: bucket i holds words of frequency 10^(-i/100).
    table = ZipfTable.from_lists(data[1:], stable=keep)
    return (table.kept() if keep else None), table


def zipf(word: str, lang: str) -> float:
    """Return a word's Zipf frequency in a language (0 when it is rarer than once per million words)."""
    return _zipf_table(lang).get(word.casefold(), 0.0)


@functools.lru_cache(maxsize=16384)
def is_everyday(word: str, lang: str) -> bool:
    """Tell whether a word is one of a language's everyday words (``coach``, ``red``), not an international name."""
    word = word.casefold()
    if lang == "en":
        # English has the sharper signal: a dictionary spells everyday words in lower case. Its excess over
        # other languages mostly measures English proper names (Hamilton, Stanley), not everyday words.
        return word in word_list("common-words") or word in word_list("dictionary-words")
    here = zipf(word, lang)
    if here < MIN_ZIPF:
        return False
    others = [zipf(word, other) or ABSENT_ZIPF for other in REFERENCE_LANGS if other != lang]
    import statistics  # here, not at import: it loads decimal and fractions (about 5 ms of every start)

    return here - statistics.median(others) >= EXCESS


def is_first_name(word: str) -> bool:
    """Tell whether a word is a common first name (``Stanley``, ``Julia``, ``Ron``)."""
    return word.casefold() in data_words("first-names")


@functools.lru_cache(maxsize=16384)
def is_ambiguous_name(name: str, lang: str) -> bool:
    """Tell whether a competitor name can also be read as everyday words, a person's first name or a place."""
    words = WORD.findall(name)
    if len("".join(words)) < MIN_LETTERS:
        return True
    if len(words) == 1 and is_place_name(words[0]):
        return True  # "Iceland", "Patagonia"; a longer name with a place in it ("Air Canada") is specific
    return all(w.isdigit() or is_everyday(w, lang) or is_first_name(w) or is_modifier(w) for w in words)


def is_place_name(word: str) -> bool:
    """Tell whether a word is a country, a US state or a well-known region or city (``Iceland``, ``Patagonia``)."""
    return word.casefold() in data_words("place-names")


def is_modifier(word: str) -> bool:
    """Tell whether a word is a size or grade word that names use as a prefix (``nano``, ``mega``).

    The dictionaries behind the word lists leave some out as prefixes, and their frequency is alike in
    every language, so neither test above finds them.
    """
    from .brand_evidence import lexicon  # brand_evidence imports this module

    return word.casefold() in lexicon()["everyday_modifiers"]
