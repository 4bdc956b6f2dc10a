"""Layer 3 (engine): a field's text as normalised word tokens, each mapped back to its span in the field.

Concept rules match words, not characters, so every field is read once into tokens:
- NFKC, so full-width letters and digits match ("ＲＥＶＩＥＷ", "５星"), and case folding;
- words split at spaces, punctuation and hyphens ("5-star" is "5", "star"), French and Italian
  elisions split off ("d’un" is "d", "un"; "un'offerta" is "un", "offerta"), English contractions kept
  ("don't");
- each Han, Hiragana or Katakana character is a token of its own, so Chinese and Japanese need no
  word segmentation: a lexicon entry for them is a run of characters;
- currency signs and a few symbols (%, ★, #, №, ?) are tokens, so "$10" is "$", "10" and a lexicon entry can
  ask for a question ("love it ?").

Sentences: a token's ``sentence`` number changes after sentence punctuation and at a blank line. A single
line break inside a field is not a sentence end (copy wraps), and a field or bullet is always its own text.
"""

from __future__ import annotations

import functools
import unicodedata
from typing import NamedTuple, Optional

import regex

from ..patterns import compile_pattern, compile_re

# A Latin/Cyrillic/Greek word (letters and combining marks), a number, one CJK character, or one symbol.
# Latin letters glued to Chinese or Japanese ("LINE公式", "Amazonギフト券") are two tokens.
_LETTER = r"[[\p{L}\p{M}]--[\p{Han}\p{Hiragana}\p{Katakana}ー々〆]]"
_TOKEN = compile_pattern(
    r"(?P<num>\d+(?:[.,]\d+)*)"
    r"|(?P<cjk>[\p{Han}\p{Hiragana}\p{Katakana}ー々〆])"
    rf"|(?P<word>{_LETTER}+(?:['’]{_LETTER}+)*)"
    r"|(?P<sym>[$£€¥₹₩%★☆#№+=&@?])",
    regex.V1,
)
# The same tokens without their kinds, for reading which words a text holds in one C-level pass.
_TOKEN_TEXT = compile_pattern(
    rf"\d+(?:[.,]\d+)*|[\p{{Han}}\p{{Hiragana}}\p{{Katakana}}ー々〆]|{_LETTER}+(?:['’]{_LETTER}+)*|[$£€¥₹₩%★☆#№+=&@?]",
    regex.V1,
)
# For ASCII text (most copy) the same tokens are found by the standard library's faster engine (with their
# kinds: 64 against 156 ns a character). The alternatives start with different characters, so their order
# decides nothing.
_ASCII_WORD, _ASCII_NUMBER, _ASCII_SYMBOL = r"[a-z]+(?:'[a-z]+)*", r"[0-9]+(?:[.,][0-9]+)*", r"[$%#+=&@?]"
_ASCII_TOKEN_TEXT = compile_re(f"{_ASCII_WORD}|{_ASCII_NUMBER}|{_ASCII_SYMBOL}")  # words first: most tokens
_ASCII_TOKEN = compile_re(f"(?P<word>{_ASCII_WORD})|(?P<num>{_ASCII_NUMBER})|(?P<sym>{_ASCII_SYMBOL})")
_ASCII_LETTER = compile_re("[a-z]")
_ASCII_DIGIT = compile_re("[0-9]")
_NON_ASCII_RUN = compile_re(r"[^\x00-\x7f]+")
_SPACE = compile_re(r"\s")
_CJK = compile_pattern(r"[\p{Han}\p{Hiragana}\p{Katakana}ー々〆]")
_KANA = compile_pattern(r"[\p{Hiragana}\p{Katakana}ー]")
_WORD = compile_pattern(rf"{_LETTER}", regex.V1)
_DIGIT = compile_pattern(r"\d")
# An ellipsis is a pause inside a sentence ("make my product … stay a five star"), not an end; nor is a
# full stop before a digit or a lower-case word, as after an abbreviation ("No. 1", "3 Mio. verkauft"), nor
# a "!" or "?" closing an aside in brackets ("Scrivi la tua recensione (anche critica!) e ricevi …").
_SENTENCE_END = compile_pattern(
    r"(?:[!?;！？；]++(?![)）\]])|(?<![.．])[.．](?![.．])(?!\s+[\p{Ll}\d]))(?=\s|$|[\"'”’)\]])|[。；]|[！？](?![)）\]])"
    r"|\n[ \t]*\n")
ELISIONS = frozenset(
    "l d j m n s t c qu lorsqu puisqu jusqu presqu quoiqu un dell all nell sull dall coll quest quell sant".split()
)
"""French and Italian words written with an apostrophe before the next word ("d'un", "dell'acquisto")."""


class Token(NamedTuple):
    """One normalised token: its folded text, kind, span in the field and sentence number."""

    text: str
    kind: str
    """``word``, ``num``, ``cjk`` or ``sym``."""
    start: int
    end: int
    sentence: int


HALF_WIDTH_SOUND_MARKS = "\uff9e\uff9f"
"""Half-width katakana's voiced and semi-voiced marks (ﾞ ﾟ): spacing characters, not combining ones, that NFKC
joins with the kana before them ("ﾋﾞ" is "ビ"), as legacy Japanese systems and keyboards write kana."""


def _joins_previous(char: str) -> bool:
    """Tell whether a character normalises together with the one before it (a combining mark, ﾞ or ﾟ)."""
    return unicodedata.combining(char) != 0 or char in HALF_WIDTH_SOUND_MARKS


def fold(text: str) -> tuple[str, Optional[list[int]]]:
    """Return NFKC, case-folded text and, for each of its characters, the index of the source character.

    The index list is None when every character maps to itself (ASCII, and most copy with ™ or é).
    """
    if text.isascii():
        return text.lower(), None
    folded = unicodedata.normalize("NFKC", text).casefold()
    if len(folded) == len(text) and unicodedata.is_normalized("NFKC", text):
        return folded, None
    out: list[str] = []
    where: list[int] = []
    pos, n = 0, len(text)
    # ASCII stretches fold one to one; only the non-ASCII runs (and an ASCII letter a combining mark
    # follows) are folded cluster by cluster, so copy with a few ™ or é costs little more than ASCII.
    for m in _NON_ASCII_RUN.finditer(text):
        start, end = m.span()
        if start > pos and _joins_previous(text[start]):
            start -= 1
        if start > pos:
            out.append(text[pos:start].lower())
            where.extend(range(pos, start))
        i = start
        while i < end:
            # A base character and the marks after it normalise together ("e" + U+0301 is "é", "ﾋﾞ" is "ビ").
            j = i + 1
            while j < n and _joins_previous(text[j]):
                j += 1
            piece = unicodedata.normalize("NFKC", text[i:j]).casefold()
            out.append(piece)
            where.extend([i] * len(piece))
            i = j
        pos = end
    if pos < n:
        out.append(text[pos:].lower())
        where.extend(range(pos, n))
    return "".join(out), where


def tokenize(text: str, sentence: int = 0) -> list[Token]:
    """Split a field's text into normalised tokens with source spans and sentence numbers (from ``sentence``)."""
    folded, where = fold(text)
    folded = folded.replace("’", "'")
    # Sentence ends are found in the text as written (the case of the next word tells an abbreviation);
    # they are compared with each token's source offset.
    ends = [m.start() for m in _SENTENCE_END.finditer(text)]
    ends.append(len(text) + 1)
    if where is None and _ascii_tokens is not None and folded.isascii():
        return _ascii_tokens(folded, ends, sentence, ELISIONS, Token)
    return _py_tokens(text, folded, where, ends, sentence)


def _py_tokens(text: str, folded: str, where: Optional[list[int]], ends: list[int], sentence: int) -> list[Token]:
    """``tokenize``'s tokens of a folded text (``where``: each folded character's source, or None when they are
    the same); for lower-case ASCII text the compiled ``ascii_tokens`` finds the same."""
    tokens: list[Token] = []
    append = tokens.append
    new = tuple.__new__
    first_sentence = sentence
    next_end = ends[0]
    if where is None:
        for m in (_ASCII_TOKEN if folded.isascii() else _TOKEN).finditer(folded):
            s, e = m.span()
            while next_end < s:
                sentence += 1
                next_end = ends[sentence - first_sentence]
            kind = m.lastgroup
            word = m.group()
            if kind == "word" and "'" in word and word.partition("'")[0] in ELISIONS:
                head = word.partition("'")[0]
                append(new(Token, (head, kind, s, s + len(head), sentence)))
                append(new(Token, (word[len(head) + 1:], kind, s + len(head) + 1, e, sentence)))
                continue
            append(new(Token, (word, kind, s, e, sentence)))
        return tokens
    n_src = len(text)
    for m in _TOKEN.finditer(folded):
        s, e = m.span()
        while next_end < where[s]:
            sentence += 1
            next_end = ends[sentence - first_sentence]
        kind = m.lastgroup
        word = m.group()
        pieces = [(word, s, e)]
        if kind == "word" and "'" in word and word.partition("'")[0] in ELISIONS:
            head = word.partition("'")[0]
            pieces = [(head, s, s + len(head)), (word[len(head) + 1:], s + len(head) + 1, e)]
        for piece, a, b in pieces:
            # Map back: the first folded character's source, and past the last one's source with the marks
            # folded into it ("ﾄﾞ" is one "ド": a fix of the span must not leave the "ﾞ" behind).
            end = where[b - 1] + 1 if b - 1 < len(where) else n_src
            while end < n_src and _joins_previous(text[end]):
                end += 1
            append(new(Token, (piece, kind, where[a], end, sentence)))
    return tokens


class TokenSet(NamedTuple):
    """The distinct token texts of a text (as ``tokenize`` would give them), and which scripts it uses."""

    texts: set
    """Never changed once made."""
    words: bool
    """It has a word token (letters that are not Chinese or Japanese)."""
    cjk: bool
    kana: bool
    """Of its Chinese or Japanese characters, some are Hiragana or Katakana."""
    number: bool


def _split_non_ascii_chunks(text: str) -> tuple[str, str]:
    """Return the whitespace-delimited chunks of a text that hold a non-ASCII character, and the rest,
    each joined by spaces."""
    mixed: list[str] = []
    rest: list[str] = []
    pos = 0
    for m in _NON_ASCII_RUN.finditer(text):
        start, end = m.span()
        if end <= pos:
            continue  # inside the chunk just taken
        # A run can go on past the chunk just taken, which a space past ASCII (U+2028) ended: the rest is a
        # chunk of its own ("brûlé\u2028Next" put "\u2028Next" with the ASCII text, whose reader refused it).
        start = max(start, pos)
        while start > pos and not text[start - 1].isspace():
            start -= 1
        space = _SPACE.search(text, end)
        end = space.start() if space else len(text)
        rest.append(text[pos:start])
        mixed.append(text[start:end])
        pos = end
    rest.append(text[pos:])
    return " ".join(mixed), " ".join(rest)


_ASCII_TOKEN_CHARS = frozenset("abcdefghijklmnopqrstuvwxyz0123456789'.,$%#+=&@?")
_ASCII_SEPARATORS = str.maketrans({c: " " for c in map(chr, range(128)) if c not in _ASCII_TOKEN_CHARS})
"""Lower-case ASCII with every character no token holds turned into a space."""


def _py_ascii_token_texts(folded: str) -> set:
    """Return the distinct tokens of lower-case ASCII text, as ``_ASCII_TOKEN_TEXT`` finds them.

    No token holds a character outside _ASCII_TOKEN_CHARS, so splitting at the others loses none; the
    chunks all letters or all digits are tokens as they stand, and the pattern reads only the rest.
    """
    texts = set(folded.translate(_ASCII_SEPARATORS).split())
    others = [chunk for chunk in texts if not (chunk.isalpha() or chunk.isdigit())]
    if others:
        texts.difference_update(others)
        texts.update(_ASCII_TOKEN_TEXT.findall(" ".join(others)))
    return texts


try:  # the same in C (engine/_tokens.c), built at install when a C compiler is there
    from ._tokens import ascii_token_texts as _ascii_token_texts, ascii_tokens as _ascii_tokens
except ImportError:  # pragma: no cover - an install without a compiler
    _ascii_token_texts = _py_ascii_token_texts
    _ascii_tokens = None


_AS_ASCII = {
    "’": "'", "…": "...", "™": "TM",
    **dict.fromkeys("‘“”„«»–—―•·●▪►✓✔×°®©¦§¶†‡\u00a0\u2002\u2003\u2009\u200a\u200b\u200c\u200d\u2060\ufeff", " "),
}
"""Non-ASCII characters that are one of the ASCII path's separators, an apostrophe or an ellipsis to the
tokenizer (NFKC, then the token pattern: none of them is in a token), or, like ™, NFKC's own ASCII."""


def py_token_set(text: str) -> TokenSet:
    """Return the distinct token texts of a text, exactly those of ``tokenize`` but without spans or order.

    The concept gate's compiled reader (engine/vocab.py) reads most copy itself; this reads the rest.
    """
    if not text.isascii():
        # Curly quotes, dashes and bullets make a fifth of listings non-ASCII: read as the ASCII they stand
        # for, most of those take the ASCII path (four times faster).
        # (str.translate would look up every character of a non-ASCII text: replace the few there are.)
        found = set("".join(_NON_ASCII_RUN.findall(text)))
        if found.issubset(_AS_ASCII):
            for char in found:
                text = text.replace(char, _AS_ASCII[char])
    if text.isascii():
        folded = text.lower()
        texts = _ascii_token_texts(folded)
        words = _ASCII_LETTER.search(folded) is not None
        number = _ASCII_DIGIT.search(folded) is not None
        cjk = kana = False
    else:
        # Tokens never hold a space: the whitespace-delimited chunks with a non-ASCII character go to the
        # Unicode pattern, the rest (most of a listing with a ™ or an é) to the ASCII one, ten times faster.
        folded = fold(text)[0].replace("’", "'")
        mixed, rest = _split_non_ascii_chunks(folded)
        texts = set(_TOKEN_TEXT.findall(mixed))
        texts.update(_ascii_token_texts(rest))
        words = _ASCII_LETTER.search(rest) is not None or _WORD.search(mixed) is not None
        number = _ASCII_DIGIT.search(rest) is not None or _DIGIT.search(mixed) is not None
        cjk = _CJK.search(mixed) is not None
        kana = cjk and _KANA.search(mixed) is not None
    if "'" in folded:
        _split_elisions(texts)
    return TokenSet(texts, words, cjk, kana, number)


FOLD_RANGES = ((0x80, 0x24F), (0x2000, 0x214F), (0x2190, 0x27BF), (0x3000, 0x30FF), (0x3400, 0x4DBF),
               (0x4E00, 0x9FFF), (0xF900, 0xFAFF), (0xFF00, 0xFFEF), (0x1F000, 0x1FAFF))
"""Latin-1 and Latin Extended-A and B, general punctuation, currency and letter-like symbols, arrows, shapes,
stars and dingbats; CJK punctuation, Hiragana, Katakana and the CJK ideographs; full- and half-width forms; and
the emoji: the characters of most European, Chinese and Japanese copy. The concept gate's compiled reader folds
these itself; any other character (a combining mark, Cyrillic, Korean) sends the text to ``py_token_set``."""


def plain_character(code: int) -> Optional[tuple[int, bytes]]:
    """Return how the tokenizer takes one character of FOLD_RANGES, if it folds on its own: (1, its folded
    letters), (2, folded ASCII), (3, a symbol token), (4, a separator), (5, one Chinese or Japanese character, a
    token by itself) or (6, the same, a Hiragana or Katakana one); None for one the compiled reader leaves to
    ``py_token_set`` (a combining mark, a character folding to letters and symbols at once).

    Worked out with this module's own folding (NFKC, then case folding) and token pattern, so the compiled
    reader and ``py_token_set`` find the same tokens; a test checks every character of FOLD_RANGES.
    """
    char = chr(code)
    piece = unicodedata.normalize("NFKC", char).casefold().replace("\u2019", "'")
    if not piece or any(unicodedata.combining(c) for c in char + piece) or len(piece.encode()) > 14:
        return None
    letters = [_WORD.fullmatch(c) is not None for c in piece]
    in_tokens = [_TOKEN_TEXT.fullmatch(c) is not None or c in "'.," for c in piece]
    if len(piece) == 1 and _CJK.match(piece):
        kind = 6 if _KANA.match(piece) else 5
    elif piece.isascii():
        kind = 2
    elif all(letters):
        kind = 1
    elif len(piece) == 1 and in_tokens[0] and not _DIGIT.match(piece) and not _CJK.match(piece):
        kind = 3
    elif not any(in_tokens):
        kind = 4
    else:
        return None
    return kind, piece.encode()


FOLD_RANGE_CHARACTER = compile_re("[" + "".join(f"{chr(a)}-{chr(b)}" for a, b in FOLD_RANGES) + "]")
"""One character of FOLD_RANGES."""


@functools.lru_cache(maxsize=1)
def plain_characters() -> dict[int, tuple[int, bytes]]:
    """Return ``plain_character`` of every character of FOLD_RANGES that folds on its own (about 15 ms)."""
    table: dict[int, tuple[int, bytes]] = {}
    for first, last in FOLD_RANGES:
        for code in range(first, last + 1):
            found = plain_character(code)
            if found is not None:
                table[code] = found
    return table


def _split_elisions(texts: set) -> None:
    """Read "d'un" and "dell'acquisto" as two tokens each, as ``tokenize`` does."""
    parts: set[str] = set()
    for word in [w for w in texts if "'" in w]:
        head, _, tail = word.partition("'")
        if head in ELISIONS:
            texts.discard(word)
            parts.update((head, tail))
    # Added after the loop: a tail that is itself a word of the text ("d'd" of "d'd'd" beside "d'd") stays,
    # as it does in ``tokenize``, whatever order the set is read in.
    texts.update(parts)


def unaccent(word: str) -> str:
    """Drop accents ("reseña" -> "resena"), for matching copy typed without them."""
    if word.isascii():
        return word
    decomposed = unicodedata.normalize("NFD", word)
    return "".join(c for c in decomposed if not unicodedata.combining(c))
