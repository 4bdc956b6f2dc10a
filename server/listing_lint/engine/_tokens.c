/* Layer 3 (engine), compiled: the concept gate's reader of a listing's words, and the engine's other scans.
 *
 * Vocab (below) reads a text's distinct tokens into a table of every token met, with what the lexicons made
 * of each; WordTable finds where a text's whole words are competitor brand keys; LiteralTable which of the
 * rules' literals a text holds; screen spares most listings the
 * detectors' gates; ascii_token_texts serves normalize.py_token_set, for the text Vocab leaves to the Unicode
 * tokenizer. Tokens are those of normalize._ASCII_TOKEN_TEXT: [a-z]+('[a-z]+)* | [0-9]+([.,][0-9]+)* |
 * [$%#+=&@?], plus the non-ASCII characters the fold table names. engine/vocab.py, normalize.py and the
 * detectors fall back to Python twins when this module was not built (no C compiler at install); without it,
 * every detector's gate runs. The rules' per-listing heuristics compiled are in _heuristics.c.
 */
#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "_text.h"

/* A text's scan is written once and compiled once per width of its characters (1, 2 or 4 bytes): with the
 * width a constant, reading a character is one load, not a switch on the string's kind at every position. */
#if defined(__GNUC__) || defined(__clang__)
#define ALWAYS_INLINE static inline __attribute__((always_inline))
#elif defined(_MSC_VER)
#define ALWAYS_INLINE static __forceinline
#else
#define ALWAYS_INLINE static inline
#endif
#define BY_KIND(kind, call_1, call_2, call_4) \
    ((kind) == PyUnicode_1BYTE_KIND ? (call_1) : (kind) == PyUnicode_2BYTE_KIND ? (call_2) : (call_4))

static int is_digit(unsigned char c) { return c >= '0' && c <= '9'; }
static int is_symbol(unsigned char c) {
    return c == '$' || c == '%' || c == '#' || c == '+' || c == '=' || c == '&' || c == '@' || c == '?';
}

/* Token strings met before, by their bytes: most of a catalog's words repeat, and making and hashing a new
 * str for each is what reading a text costs. Open addressing; emptied when half full. */
#define SLOTS 65536
static PyObject *interned[SLOTS];
static Py_ssize_t used = 0;

static PyObject *token_str(const unsigned char *p, Py_ssize_t len) {
    uint32_t h = 2166136261u;
    for (Py_ssize_t k = 0; k < len; k++) h = (h ^ p[k]) * 16777619u;
    size_t slot = h & (SLOTS - 1);
    while (interned[slot] != NULL) {
        PyObject *s = interned[slot];
        if (PyUnicode_GET_LENGTH(s) == len && memcmp(PyUnicode_DATA(s), p, (size_t)len) == 0) {
            Py_INCREF(s);
            return s;
        }
        slot = (slot + 1) & (SLOTS - 1);
    }
    PyObject *s = PyUnicode_FromStringAndSize((const char *)p, len);
    if (s == NULL) return NULL;
    if (used >= SLOTS / 2) {
        for (size_t k = 0; k < SLOTS; k++) Py_CLEAR(interned[k]);
        used = 0;
        slot = h & (SLOTS - 1);
    }
    Py_INCREF(s);
    interned[slot] = s;
    used++;
    return s;
}

#define SYMBOL_MARK 0x01  /* stands for a non-ASCII symbol in a folded buffer; its table offset follows */
#define CJK_MARK 0x02     /* the Chinese or Japanese character whose UTF-8 follows is a token by itself */
#define KANA_MARK 0x03    /* the same for a Hiragana or Katakana character */

/* Bytes of the UTF-8 character a lead byte starts. */
static Py_ssize_t utf8_size(unsigned char lead) { return lead < 0xE0 ? 2 : lead < 0xF0 ? 3 : 4; }

static int is_letter(unsigned char c) { return is_lower(c) || c >= 0x80; }

/* Find the next token of a folded buffer from *i: lower-case ASCII, the UTF-8 of folded non-ASCII letters
 * (every byte from 0x80 up is part of one) and, when ``marks`` is set, SYMBOL_MARK and the two bytes of a
 * non-ASCII symbol's offset in the fold table, and CJK_MARK or KANA_MARK and the UTF-8 of one character (the
 * token, without its mark). Sets [*start, *i) and *apostrophe (the first apostrophe inside a word, or -1),
 * adds 1 (a letter), 2 (a digit), 4 (a Chinese or Japanese character) and 8 (a kana) to *flags, and returns 0
 * at the end. */
static int next_token(const unsigned char *s, Py_ssize_t n, Py_ssize_t *i, Py_ssize_t *start,
                      Py_ssize_t *apostrophe, int *flags, int marks) {
    while (*i < n) {
        Py_ssize_t k = *i;
        unsigned char c = s[k];
        *start = k;
        *apostrophe = -1;
        if (marks && c == SYMBOL_MARK && k + 2 < n) {
            *i = k + 3;
            return 1;
        }
        if (marks && (c == CJK_MARK || c == KANA_MARK) && k + 1 < n) {
            *flags |= c == KANA_MARK ? 12 : 4;
            *start = k + 1;
            *i = k + 1 + utf8_size(s[k + 1]);
            if (*i > n) *i = n;
            return 1;
        }
        if (is_letter(c)) {
            *flags |= 1;
            while (k < n && is_letter(s[k])) k++;
            while (k + 1 < n && s[k] == '\'' && is_letter(s[k + 1])) {
                if (*apostrophe < 0) *apostrophe = k;
                k++;
                while (k < n && is_letter(s[k])) k++;
            }
        } else if (is_digit(c)) {
            *flags |= 2;
            while (k < n && is_digit(s[k])) k++;
            while (k + 1 < n && (s[k] == '.' || s[k] == ',') && is_digit(s[k + 1])) {
                k++;
                while (k < n && is_digit(s[k])) k++;
            }
        } else if (is_symbol(c)) {
            k++;
        } else {
            *i = k + 1;
            continue;
        }
        *i = k;
        return 1;
    }
    return 0;
}

/* Tokens of lower-case ASCII bytes, added to a set. Returns -1 with an exception set on failure. */
static int add_tokens(PyObject *out, const unsigned char *s, Py_ssize_t n) {
    Py_ssize_t i = 0, start, apostrophe;
    int flags = 0;
    while (next_token(s, n, &i, &start, &apostrophe, &flags, 0)) {
        PyObject *token = token_str(s + start, i - start);
        if (token == NULL || PySet_Add(out, token) < 0) {
            Py_XDECREF(token);
            return -1;
        }
        Py_DECREF(token);
    }
    return 0;
}

static PyObject *ascii_token_texts(PyObject *self, PyObject *arg) {
    if (!PyUnicode_Check(arg) || !PyUnicode_IS_ASCII(arg)) {
        PyErr_SetString(PyExc_TypeError, "ascii_token_texts() takes an ASCII str");
        return NULL;
    }
    PyObject *out = PySet_New(NULL);
    if (out == NULL) return NULL;
    if (add_tokens(out, (const unsigned char *)PyUnicode_DATA(arg), PyUnicode_GET_LENGTH(arg)) < 0) {
        Py_DECREF(out);
        return NULL;
    }
    return out;
}

/* ascii_tokens(folded, ends, sentence, elisions, token_type): normalize.tokenize's tokens of lower-case ASCII text
 * (its Python twin is the loop over _ASCII_TOKEN there), each a token_type (a tuple subclass) of (text, kind,
 * start, end, sentence). ends: where each sentence from ``sentence`` on ends, then a sentinel past the text. A
 * word whose part before its first apostrophe is one of ``elisions`` ("d'un", "dell'acquisto") is two words.
 * Made in C because a field the concept rules read in full cost its tokens about 2.5 us each in Python: copy
 * never met before spent a twentieth of its lint there. */
static PyObject *kind_word, *kind_num, *kind_sym;

static int token_append(PyObject *out, PyTypeObject *type, PyObject *text, PyObject *kind, Py_ssize_t start,
                        Py_ssize_t end, Py_ssize_t sentence) {
    PyObject *token = text == NULL ? NULL : type->tp_alloc(type, 5);
    PyObject *a = token ? PyLong_FromSsize_t(start) : NULL, *b = a ? PyLong_FromSsize_t(end) : NULL;
    PyObject *c = b ? PyLong_FromSsize_t(sentence) : NULL;
    if (c == NULL) {
        Py_XDECREF(text);
        Py_XDECREF(token);
        Py_XDECREF(a);
        Py_XDECREF(b);
        return -1;
    }
    PyTuple_SET_ITEM(token, 0, text);
    PyTuple_SET_ITEM(token, 1, Py_NewRef(kind));
    PyTuple_SET_ITEM(token, 2, a);
    PyTuple_SET_ITEM(token, 3, b);
    PyTuple_SET_ITEM(token, 4, c);
    int rc = PyList_Append(out, token);
    Py_DECREF(token);
    return rc;
}

static PyObject *ascii_tokens(PyObject *self, PyObject *const *args, Py_ssize_t nargs) {
    if (nargs != 5 || !PyUnicode_Check(args[0]) || !PyUnicode_IS_ASCII(args[0]) || !PyList_Check(args[1])
            || !PyLong_Check(args[2]) || !PyAnySet_Check(args[3]) || !PyType_Check(args[4])
            || !PyType_IsSubtype((PyTypeObject *)args[4], &PyTuple_Type)) {
        PyErr_SetString(PyExc_TypeError, "ascii_tokens(folded: ASCII str, ends: list, sentence: int, elisions: set, "
                                         "token_type: a tuple subclass)");
        return NULL;
    }
    PyObject *folded = args[0], *ends = args[1], *elisions = args[3];
    PyTypeObject *type = (PyTypeObject *)args[4];
    Py_ssize_t first = PyLong_AsSsize_t(args[2]);
    if (first == -1 && PyErr_Occurred()) return NULL;
    const unsigned char *s = (const unsigned char *)PyUnicode_DATA(folded);
    Py_ssize_t n = PyUnicode_GET_LENGTH(folded), i = 0, start, apostrophe, sentence = first, next_end;
    int flags = 0;
    PyObject *out = PyList_New(0);
    if (out == NULL) return NULL;
    /* next_end = ends[sentence - first], as the twin reads it (an IndexError past the sentinel, as there) */
#define NEXT_END()                                                                                              \
    do {                                                                                                       \
        PyObject *at = PyList_GetItem(ends, sentence - first);                                                 \
        if (at == NULL || ((next_end = PyLong_AsSsize_t(at)) == -1 && PyErr_Occurred())) goto fail;            \
    } while (0)
    NEXT_END();
    while (next_token(s, n, &i, &start, &apostrophe, &flags, 0)) {
        while (next_end < start) {
            sentence++;
            NEXT_END();
        }
        unsigned char c = s[start];
        PyObject *kind = is_digit(c) ? kind_num : is_symbol(c) ? kind_sym : kind_word;
        if (apostrophe >= 0) {
            PyObject *head = PyUnicode_Substring(folded, start, apostrophe);
            int elided = head == NULL ? -1 : PySet_Contains(elisions, head);
            if (elided < 0) {
                Py_XDECREF(head);
                goto fail;
            }
            if (elided) {
                if (token_append(out, type, head, kind, start, apostrophe, sentence) < 0
                        || token_append(out, type, PyUnicode_Substring(folded, apostrophe + 1, i), kind,
                                        apostrophe + 1, i, sentence) < 0)
                    goto fail;
                continue;
            }
            Py_DECREF(head);
        }
        if (token_append(out, type, PyUnicode_Substring(folded, start, i), kind, start, i, sentence) < 0) goto fail;
    }
#undef NEXT_END
    return out;
fail:
    Py_DECREF(out);
    return NULL;
}

/* What the tokenizer makes of a non-ASCII character that NFKC and case folding turn into ASCII or into a
 * separator: its ASCII, " " for a separator, or NULL when the text needs the Unicode tokenizer. Kept
 * equal to normalize._AS_ASCII (a test compares them). */
static const char *as_ascii(Py_UCS4 c) {
    switch (c) {
    case 0x2019: return "'";
    case 0x2026: return "...";
    case 0x2122: return "tm";
    case 0x2018: case 0x201C: case 0x201D: case 0x201E: case 0x00AB: case 0x00BB: case 0x2013: case 0x2014:
    case 0x2015: case 0x2022: case 0x00B7: case 0x25CF: case 0x25AA: case 0x25BA: case 0x2713: case 0x2714:
    case 0x00D7: case 0x00B0: case 0x00AE: case 0x00A9: case 0x00A6: case 0x00A7: case 0x00B6: case 0x2020:
    case 0x2021: case 0x00A0: case 0x2002: case 0x2003: case 0x2009: case 0x200A: case 0x200B: case 0x200C:
    case 0x200D: case 0x2060: case 0xFEFF:
        return " ";
    default:
        return NULL;
    }
}

/* ---- The concept gate's vocabulary: every token met, with what the lexicons said about it ----
 *
 * A listing's gate reads its text once: each distinct token is looked up once in this table, which holds,
 * per token, the languages listing it as a stop word and, per lexicon language, whether that language has
 * looked at it yet and whether it is relevant there (a trigger, a word some entry names, a prefix's match).
 * Only the relevant tokens and the ones a chosen language has not looked at yet come back to Python: a
 * listing of 250 words costs 250 probes of one compact table, not a set per language per word. */

typedef struct {
    PyObject *str;        /* the token (owned); NULL for an empty slot */
    uint64_t hash;        /* 64-bit hash of its UTF-8 bytes: equal hashes are taken as the same token */
    uint32_t gen;         /* the last read that met it: a token counts once per read */
    uint32_t stop;        /* stop word of these word languages */
    uint32_t classified;  /* lexicon languages that have looked at it */
    uint32_t relevant;    /* lexicon languages it matters to */
    uint32_t rec;         /* its first record (what a language made of it), plus 1; 0: none */
    uint32_t part;        /* the last part (of read_parts) that met it: a token counts once per part */
} Slot;

/* What one lexicon language made of one relevant token: the concepts it makes sure of (entries of that word
 * alone), the atoms it matches (each word key and prefix some entry names is one atom) and the entries it
 * triggers (the gate checks their other elements). Records of one token are chained. */
typedef struct {
    uint64_t sure;
    uint32_t atoms, natoms;      /* in the pool */
    uint32_t entries, nentries;  /* in the pool */
    uint32_t next;               /* the token's next record, plus 1 */
    uint32_t lang;
} Rec;

/* A lexicon entry as the gate tests it: the concept it gives, the concepts it needs, whether it needs a
 * number, and its word and prefix elements, each the atoms that match it. */
typedef struct {
    uint64_t bit, concepts;
    uint32_t elements, nelements;  /* in the language's element array */
    int number;
} Entry;

typedef struct { uint32_t atoms, n; } Element;  /* atoms in the language's atom array */

typedef struct {
    int ready;
    Entry *entries;
    Py_ssize_t nentries;
    Element *elements;
    uint32_t *atoms;      /* element atoms, then by_concept's entries, then number_led */
    uint32_t by_concept[65];  /* entries naming concept k: atoms[by_concept[k] .. by_concept[k + 1]) */
    uint32_t number_led, nnumber_led;
    uint32_t *stamp;      /* per atom: the last possible() that met it */
    uint32_t natoms;
} Lang;

/* How the reader takes one non-ASCII character, worked out in Python by the Unicode tokenizer's own folding
 * (engine/normalize.py: plain_characters): its NFKC, case-folded UTF-8, and whether that is letters (part of a
 * word), plain ASCII (read as ASCII is), a symbol token (£, €, ★) or a separator. */
#define FOLD_FIRST 0x80
#define FOLD_LAST 0xFFEF
#define EMOJI_FIRST 0x1F000
#define EMOJI_LAST 0x1FAFF
enum { F_NONE = 0, F_LETTERS, F_ASCII, F_SYMBOL, F_SEPARATOR, F_CJK, F_KANA };
struct Folded { unsigned char kind, len; unsigned char bytes[14]; };

#define VOCAB_MIN 16384
#define VOCAB_MAX 262144  /* 8 MB of slots; past 3/8 full the table starts again */
#define MAX_ELISIONS 32

/* A token of the text being read: its bytes in the folded buffer (or the fold table) and their hash. */
typedef struct {
    const unsigned char *p;
    Py_ssize_t len;
    uint64_t hash;
} Tok;

typedef struct {
    PyObject_HEAD
    Slot *slots;
    size_t cap, used;
    uint32_t gen;
    PyObject *stops;      /* dict: stop word -> bit mask of word languages */
    int nstops;           /* number of word languages (bits used in stop masks) */
    char elisions[MAX_ELISIONS][8];
    int nelisions;
    struct Folded *folded;  /* non-ASCII characters the reader folds itself (NULL: none) */
    struct Folded *emoji;   /* the same for EMOJI_FIRST..EMOJI_LAST */
    Lang langs[32];         /* per lexicon language, its entries (see language()) */
    Rec *recs;
    uint32_t nrecs, caprecs, maxrecs;
    uint32_t *pool;         /* records' atoms and entries */
    uint32_t npool, cappool;
    uint64_t *last;         /* the tokens of the last read, by hash */
    Py_ssize_t nlast;
    uint32_t stamp;
    uint32_t *todo;         /* possible()'s candidate entries */
    Py_ssize_t captodo;
    Tok *toks;              /* the tokens of the text being read, in order (met_folded) */
    Py_ssize_t ntoks, captoks;
    uint32_t part;          /* the part being read (read_parts), numbered on across reads */
    int recording;          /* read_parts is reading: met_folded keeps each part's tokens */
    uint64_t *phashes;      /* each part's distinct tokens, part after part */
    Py_ssize_t nphashes, capphashes;
    Py_ssize_t *pstarts;    /* per part: where its tokens start in phashes; one more for the end */
    Py_ssize_t nparts, capparts;
    uint32_t parts_gen;     /* the read (gen) the parts belong to: possible_part answers only until the next */
} Vocab;

/* FNV-1a over the bytes, then a final mix so the low bits (the slot) depend on every byte. A known token
 * costs one probe of its slot: the hash is compared, never the string, whose memory is elsewhere. Two
 * tokens of one hash would share what the lexicons made of them; with 64 bits and a table of at most
 * 100,000 tokens that has a chance of about one in a billion billion per pair, far below a stray bit flip. */
static uint64_t hash64(const unsigned char *p, Py_ssize_t len) {
    uint64_t h = 14695981039346656037ull;
    for (Py_ssize_t k = 0; k < len; k++) h = (h ^ p[k]) * 1099511628211ull;
    h ^= h >> 33;
    h *= 0xff51afd7ed558ccdull;
    h ^= h >> 33;
    return h | 1;  /* never 0 */
}

static void vocab_drop_all(Vocab *v) {
    for (size_t k = 0; k < v->cap; k++) Py_CLEAR(v->slots[k].str);
    memset(v->slots, 0, v->cap * sizeof(Slot));
    v->used = 0;
    v->nrecs = v->npool = 0;
    v->nlast = 0;
}

/* Forget what every language made of every token (they look at each anew): the records are full. */
static void vocab_forget_all(Vocab *v) {
    for (size_t k = 0; k < v->cap; k++) v->slots[k].classified = v->slots[k].relevant = v->slots[k].rec = 0;
    v->nrecs = v->npool = 0;
}

static int vocab_resize(Vocab *v, size_t cap) {
    Slot *fresh = PyMem_Calloc(cap, sizeof(Slot));
    if (fresh == NULL) { PyErr_NoMemory(); return -1; }
    for (size_t k = 0; k < v->cap; k++) {
        Slot *s = &v->slots[k];
        if (s->str == NULL) continue;
        size_t at = (size_t)s->hash & (cap - 1);
        while (fresh[at].str != NULL) at = (at + 1) & (cap - 1);
        fresh[at] = *s;
    }
    PyMem_Free(v->slots);
    v->slots = fresh;
    v->cap = cap;
    return 0;
}

static const char *utf8_of(PyObject *s, Py_ssize_t *len) {
    if (PyUnicode_IS_ASCII(s)) { *len = PyUnicode_GET_LENGTH(s); return (const char *)PyUnicode_DATA(s); }
    return PyUnicode_AsUTF8AndSize(s, len);
}

/* The slot index of a hash, or of the empty slot where it would go. */
static size_t vocab_find(Vocab *v, uint64_t h) {
    size_t at = (size_t)h & (v->cap - 1);
    while (v->slots[at].str != NULL && v->slots[at].hash != h) at = (at + 1) & (v->cap - 1);
    return at;
}

/* The slot index of a token given by its UTF-8 bytes and hash (made, with ``str`` or a new str, when
 * missing), or -1 with an exception set. The table may grow, so callers keep hashes, not indices. */
static Py_ssize_t vocab_slot(Vocab *v, const unsigned char *p, Py_ssize_t len, uint64_t h, PyObject *str) {
    size_t at = vocab_find(v, h);
    if (v->slots[at].str != NULL) return (Py_ssize_t)at;
    if ((v->used + 1) * 2 > v->cap) {
        if (vocab_resize(v, v->cap * 2) < 0) return -1;
        at = vocab_find(v, h);
    }
    if (str == NULL) {
        str = PyUnicode_DecodeUTF8((const char *)p, len, NULL);
        if (str == NULL) return -1;
    } else {
        Py_INCREF(str);
    }
    uint32_t stop = 0;
    PyObject *mask = PyDict_GetItemWithError(v->stops, str);
    if (mask != NULL) {
        stop = (uint32_t)PyLong_AsUnsignedLong(mask);
        if (PyErr_Occurred()) { Py_DECREF(str); return -1; }
    } else if (PyErr_Occurred()) {
        Py_DECREF(str);
        return -1;
    }
    Slot *s = &v->slots[at];
    s->str = str;
    s->hash = h;
    s->gen = 0;
    s->stop = stop;
    s->classified = s->relevant = s->rec = 0;
    s->part = 0;
    v->used++;
    return (Py_ssize_t)at;
}

/* What one read has met so far: the hash of each distinct token, and the stop word counts. */
typedef struct {
    uint64_t *hashes;
    Py_ssize_t n, cap;
    Py_ssize_t counts[32];
    Py_ssize_t nstop;
} Met;

/* Append a hash to a growable array (its length and capacity given); -1 with an exception set. */
static int hashes_push(uint64_t **hashes, Py_ssize_t *n, Py_ssize_t *cap, uint64_t h) {
    if (*n == *cap) {
        Py_ssize_t grown_cap = *cap ? *cap * 2 : 256;
        uint64_t *grown = PyMem_Realloc(*hashes, (size_t)grown_cap * sizeof(uint64_t));
        if (grown == NULL) { PyErr_NoMemory(); return -1; }
        *hashes = grown;
        *cap = grown_cap;
    }
    (*hashes)[(*n)++] = h;
    return 0;
}

static int met_add(Vocab *v, Met *m, Py_ssize_t at) {
    Slot *s = &v->slots[at];
    if (s->gen == v->gen) return 0;
    s->gen = v->gen;
    if (hashes_push(&m->hashes, &m->n, &m->cap, s->hash) < 0) return -1;
    if (s->stop) {
        m->nstop++;
        for (int b = 0; b < v->nstops; b++)
            if (s->stop & (1u << b)) m->counts[b]++;
    }
    return 0;
}

static void met_free(Met *m) { PyMem_Free(m->hashes); }

static int is_elision(Vocab *v, const unsigned char *p, Py_ssize_t len) {
    for (int k = 0; k < v->nelisions; k++)
        if ((Py_ssize_t)strlen(v->elisions[k]) == len && memcmp(v->elisions[k], p, (size_t)len) == 0) return 1;
    return 0;
}

/* Meet the tokens of lower-case ASCII bytes (as add_tokens finds them, elisions split as the tokenizer splits
 * them: "d'un" is "d" and "un"). */
/* Meet the tokens of a folded buffer (see next_token), elisions split as the tokenizer splits them: "d'un"
 * is "d" and "un". */
static int toks_push(Vocab *v, const unsigned char *p, Py_ssize_t len) {
    if (v->ntoks == v->captoks) {
        Py_ssize_t cap = v->captoks ? v->captoks * 2 : 256;
        Tok *toks = PyMem_Realloc(v->toks, (size_t)cap * sizeof(Tok));
        if (toks == NULL) { PyErr_NoMemory(); return -1; }
        v->toks = toks;
        v->captoks = cap;
    }
    Tok *t = &v->toks[v->ntoks++];
    t->p = p;
    t->len = len;
    t->hash = hash64(p, len);
    /* The slot's memory is asked for now and read in the second pass: a listing's rarer tokens miss every
     * cache, and their misses overlap instead of following one another (a third of the read's time). */
    __builtin_prefetch(&v->slots[(size_t)t->hash & (v->cap - 1)]);
    return 0;
}

static int met_folded(Vocab *v, Met *m, const unsigned char *s, Py_ssize_t n, int *flags) {
    Py_ssize_t i = 0, start, apostrophe, at;
    v->ntoks = 0;
    while (next_token(s, n, &i, &start, &apostrophe, flags, 1)) {
        if (s[start] == SYMBOL_MARK) {
            const struct Folded *f = &v->folded[((size_t)s[start + 1] << 8) | s[start + 2]];
            if (toks_push(v, f->bytes, f->len) < 0) return -1;
            continue;
        }
        if (apostrophe >= 0 && is_elision(v, s + start, apostrophe - start)) {
            if (toks_push(v, s + start, apostrophe - start) < 0) return -1;
            start = apostrophe + 1;
        }
        if (toks_push(v, s + start, i - start) < 0) return -1;
    }
    for (Py_ssize_t k = 0; k < v->ntoks; k++) {
        const Tok *t = &v->toks[k];
        at = vocab_slot(v, t->p, t->len, t->hash, NULL);
        if (at < 0 || met_add(v, m, at) < 0) return -1;
        if (v->recording && v->slots[at].part != v->part) {
            v->slots[at].part = v->part;
            if (hashes_push(&v->phashes, &v->nphashes, &v->capphashes, t->hash) < 0) return -1;
        }
    }
    return 0;
}

/* Start a read: a table past its largest size starts again (Python's lexicons look at its tokens anew). */
static int vocab_begin(Vocab *v) {
    if (v->nrecs > v->maxrecs || v->npool > v->maxrecs * 8) vocab_forget_all(v);
    if (v->cap > VOCAB_MAX || (v->cap == VOCAB_MAX && v->used * 2 >= VOCAB_MAX * 3 / 4)) {
        vocab_drop_all(v);
        if (v->cap != VOCAB_MAX && vocab_resize(v, VOCAB_MAX) < 0) return -1;
    }
    if (++v->gen == 0) {  /* after 4 billion reads: forget which read met which slot */
        for (size_t k = 0; k < v->cap; k++) v->slots[k].gen = 0;
        v->gen = 1;
    }
    return 0;
}

/* Finish a read: the languages to read it in (``choose(counts, stop_tokens, flags)`` or a mask given), then
 * ([(token, languages yet to look at it)], flags, mask). The read's tokens are kept for possible(). */
static PyObject *vocab_finish(Vocab *v, Met *m, int flags, PyObject *choose) {
    unsigned long mask;
    if (PyLong_Check(choose)) {
        mask = PyLong_AsUnsignedLong(choose);
    } else {
        PyObject *counts = PyTuple_New(v->nstops);
        if (counts == NULL) return NULL;
        for (int b = 0; b < v->nstops; b++) {
            PyObject *x = PyLong_FromSsize_t(m->counts[b]);
            if (x == NULL) { Py_DECREF(counts); return NULL; }
            PyTuple_SET_ITEM(counts, b, x);
        }
        PyObject *chosen = PyObject_CallFunction(choose, "Nni", counts, m->nstop, flags);
        if (chosen == NULL) return NULL;
        mask = PyLong_AsUnsignedLong(chosen);
        Py_DECREF(chosen);
    }
    if (PyErr_Occurred()) return NULL;
    PyObject *todo = PyList_New(0);
    if (todo == NULL) return NULL;
    for (Py_ssize_t k = 0; k < m->n; k++) {
        Slot *slot = &v->slots[vocab_find(v, m->hashes[k])];
        uint32_t need = (uint32_t)mask & ~slot->classified;
        if (need) {
            PyObject *pair = Py_BuildValue("(Ok)", slot->str, (unsigned long)need);
            if (pair == NULL || PyList_Append(todo, pair) < 0) { Py_XDECREF(pair); Py_DECREF(todo); return NULL; }
            Py_DECREF(pair);
        }
    }
    PyMem_Free(v->last);
    v->last = m->hashes;
    v->nlast = m->n;
    m->hashes = NULL;
    m->n = m->cap = 0;
    return Py_BuildValue("(Nik)", todo, flags, mask);
}

/* Fold a text into a buffer as the reader takes it (see next_token): 1 done, 0 for a text holding a character
 * the reader does not fold (the Unicode tokenizer reads it), -1 with an exception set. */
static int vocab_fold_text(Vocab *v, PyObject *text, unsigned char **out, Py_ssize_t *out_len) {
    Py_ssize_t n = PyUnicode_GET_LENGTH(text);
    int kind = PyUnicode_KIND(text);
    const void *data = PyUnicode_DATA(text);
    if (PyUnicode_IS_ASCII(text)) {  /* most copy: a byte each, read a byte at a time */
        unsigned char *buf = PyMem_Malloc((size_t)n + 1);
        if (buf == NULL) { PyErr_NoMemory(); return -1; }
        const unsigned char *bytes = data;
        for (Py_ssize_t i = 0; i < n; i++) {
            unsigned char c = bytes[i];
            buf[i] = c >= 'A' && c <= 'Z' ? c + 32 : (c < 0x20 ? ' ' : c);
        }
        *out = buf;
        *out_len = n;
        return 1;
    }
    unsigned char *buf = PyMem_Malloc((size_t)n * 14 + 1);
    if (buf == NULL) { PyErr_NoMemory(); return -1; }
    Py_ssize_t len = 0;
    for (Py_ssize_t i = 0; i < n; i++) {
        Py_UCS4 c = PyUnicode_READ(kind, data, i);
        if (c < 128) {
            /* control characters are separators; the low ones would read as a symbol mark */
            buf[len++] = (unsigned char)(c >= 'A' && c <= 'Z' ? c + 32 : (c < 0x20 ? ' ' : c));
            continue;
        }
        const char *a = as_ascii(c);
        if (a != NULL) {
            while (*a) buf[len++] = (unsigned char)*a++;
            continue;
        }
        const struct Folded *f = NULL;
        if (v->folded != NULL && c <= FOLD_LAST) f = &v->folded[c - FOLD_FIRST];
        else if (v->emoji != NULL && c >= EMOJI_FIRST && c <= EMOJI_LAST) f = &v->emoji[c - EMOJI_FIRST];
        if (f == NULL || f->kind == F_NONE) {
            PyMem_Free(buf);
            return 0;  /* the Unicode tokenizer reads this text */
        }
        if (f->kind == F_SYMBOL && c <= FOLD_LAST) {
            size_t k = c - FOLD_FIRST;
            buf[len++] = SYMBOL_MARK;
            buf[len++] = (unsigned char)(k >> 8);
            buf[len++] = (unsigned char)(k & 0xFF);
        } else if (f->kind == F_SEPARATOR || f->kind == F_SYMBOL) {  /* no emoji is a symbol token */
            buf[len++] = ' ';
        } else if (f->kind == F_CJK || f->kind == F_KANA) {
            buf[len++] = f->kind == F_KANA ? KANA_MARK : CJK_MARK;
            memcpy(buf + len, f->bytes, f->len);
            len += f->len;
        } else {
            memcpy(buf + len, f->bytes, f->len);
            len += f->len;
        }
    }
    *out = buf;
    *out_len = len;
    return 1;
}

static PyObject *vocab_read(Vocab *v, PyObject *const *args, Py_ssize_t nargs) {
    if (!fast_count("read", nargs, 2, 2) || !fast_type("read", args[0], &PyUnicode_Type, 1)) return NULL;
    PyObject *text = args[0], *choose = args[1];
    unsigned char *buf;
    Py_ssize_t len;
    int folded = vocab_fold_text(v, text, &buf, &len);
    if (folded <= 0) {
        if (folded < 0) return NULL;
        Py_RETURN_NONE;
    }
    Met m = {0};
    int flags = 0;
    PyObject *out = NULL;
    if (vocab_begin(v) == 0 && met_folded(v, &m, buf, len, &flags) == 0) out = vocab_finish(v, &m, flags, choose);
    PyMem_Free(buf);
    met_free(&m);
    return out;
}

/* read_parts(texts, choose): read(), of the texts as one text (a listing's fields joined by blank lines, which
 * no token spans), each text also kept as a part: (to_classify, flags, mask, the flags of each part), or None
 * when some text is one for the Unicode tokenizer. possible_part() then tells the concepts of one part. */
static PyObject *vocab_read_parts(Vocab *v, PyObject *const *args, Py_ssize_t nargs) {
    if (!fast_count("read_parts", nargs, 2, 2)) return NULL;
    PyObject *texts = args[0], *choose = args[1];
    PyObject *seq = PySequence_Fast(texts, "read_parts() takes a sequence of strs");
    if (seq == NULL) return NULL;
    Py_ssize_t count = PySequence_Fast_GET_SIZE(seq);
    unsigned char **bufs = PyMem_Calloc((size_t)count + 1, sizeof(unsigned char *));
    Py_ssize_t *lens = PyMem_Calloc((size_t)count + 1, sizeof(Py_ssize_t));
    PyObject *out = NULL, *part_flags = NULL;
    Met m = {0};
    if (bufs == NULL || lens == NULL) { PyErr_NoMemory(); goto done; }
    /* Every text is folded before any is met: a text for the Unicode tokenizer leaves the table untouched. */
    for (Py_ssize_t k = 0; k < count; k++) {
        PyObject *text = PySequence_Fast_GET_ITEM(seq, k);
        if (!PyUnicode_Check(text)) {
            PyErr_SetString(PyExc_TypeError, "read_parts() takes a sequence of strs");
            goto done;
        }
        int folded = vocab_fold_text(v, text, &bufs[k], &lens[k]);
        if (folded < 0) goto done;
        if (folded == 0) {
            out = Py_None;
            Py_INCREF(out);
            goto done;
        }
    }
    if (count + 1 > v->capparts) {
        Py_ssize_t *grown = PyMem_Realloc(v->pstarts, (size_t)(count + 1) * sizeof(Py_ssize_t));
        if (grown == NULL) { PyErr_NoMemory(); goto done; }
        v->pstarts = grown;
        v->capparts = count + 1;
    }
    part_flags = PyTuple_New(count);
    if (part_flags == NULL || vocab_begin(v) < 0) goto done;
    v->nparts = 0;
    v->nphashes = 0;
    v->recording = 1;
    int flags = 0;
    for (Py_ssize_t k = 0; k < count; k++) {
        if (++v->part == 0) {  /* after 4 billion parts: forget which part met which slot */
            for (size_t x = 0; x < v->cap; x++) v->slots[x].part = 0;
            v->part = 1;
        }
        int part = 0;
        v->pstarts[k] = v->nphashes;
        if (met_folded(v, &m, bufs[k], lens[k], &part) < 0) goto done;
        flags |= part;
        PyObject *x = PyLong_FromLong(part);
        if (x == NULL) goto done;
        PyTuple_SET_ITEM(part_flags, k, x);
    }
    v->pstarts[count] = v->nphashes;
    v->nparts = count;
    PyObject *read = vocab_finish(v, &m, flags, choose);
    if (read == NULL) goto done;
    v->parts_gen = v->gen;
    out = Py_BuildValue("(OOON)", PyTuple_GET_ITEM(read, 0), PyTuple_GET_ITEM(read, 1), PyTuple_GET_ITEM(read, 2),
                        part_flags);
    part_flags = NULL;
    Py_DECREF(read);
done:
    v->recording = 0;
    if (bufs != NULL)
        for (Py_ssize_t k = 0; k < count; k++) PyMem_Free(bufs[k]);
    PyMem_Free(bufs);
    PyMem_Free(lens);
    Py_XDECREF(part_flags);
    met_free(&m);
    Py_DECREF(seq);
    return out;
}

static PyObject *vocab_read_tokens(Vocab *v, PyObject *const *args, Py_ssize_t nargs) {
    int flags;
    if (!fast_count("read_tokens", nargs, 3, 3) || !fast_int(args[1], &flags)) return NULL;
    PyObject *texts = args[0], *choose = args[2];
    PyObject *it = PyObject_GetIter(texts);
    if (it == NULL) return NULL;
    Met m = {0};
    PyObject *item, *out = NULL;
    if (vocab_begin(v) < 0) goto done;
    while ((item = PyIter_Next(it)) != NULL) {
        Py_ssize_t len;
        const char *p = PyUnicode_Check(item) ? utf8_of(item, &len) : NULL;
        if (p == NULL) {
            if (!PyErr_Occurred()) PyErr_SetString(PyExc_TypeError, "read_tokens() takes strs");
            Py_DECREF(item);
            goto done;
        }
        Py_ssize_t at = vocab_slot(v, (const unsigned char *)p, len, hash64((const unsigned char *)p, len), item);
        Py_DECREF(item);
        if (at < 0 || met_add(v, &m, at) < 0) goto done;
    }
    if (!PyErr_Occurred()) out = vocab_finish(v, &m, flags, choose);
done:
    Py_DECREF(it);
    met_free(&m);
    return out;
}

/* Append n uint32s from a sequence of ints to the pool; their offset, or -1 with an exception set. */
static Py_ssize_t pool_add(Vocab *v, PyObject *ints) {
    PyObject *seq = PySequence_Fast(ints, "expected a sequence of ints");
    if (seq == NULL) return -1;
    Py_ssize_t n = PySequence_Fast_GET_SIZE(seq);
    if (v->npool + (size_t)n > v->cappool) {
        size_t cap = v->cappool ? v->cappool : 4096;
        while (cap < v->npool + (size_t)n) cap *= 2;
        uint32_t *pool = PyMem_Realloc(v->pool, cap * sizeof(uint32_t));
        if (pool == NULL) { Py_DECREF(seq); PyErr_NoMemory(); return -1; }
        v->pool = pool;
        v->cappool = (uint32_t)cap;
    }
    Py_ssize_t at = v->npool;
    for (Py_ssize_t k = 0; k < n; k++) {
        unsigned long x = PyLong_AsUnsignedLong(PySequence_Fast_GET_ITEM(seq, k));
        if (PyErr_Occurred()) { Py_DECREF(seq); return -1; }
        v->pool[v->npool++] = (uint32_t)x;
    }
    Py_DECREF(seq);
    return at;
}

/* mark(token, languages, records): these languages have looked at the token; records are
 * [(language, sure, atoms, entries)] for those it matters to (see Rec). */
static PyObject *vocab_mark(Vocab *v, PyObject *args) {
    PyObject *text, *records;
    unsigned long classified;
    if (!PyArg_ParseTuple(args, "UkO", &text, &classified, &records)) return NULL;
    Py_ssize_t len;
    const char *p = utf8_of(text, &len);
    if (p == NULL) return NULL;
    Slot *s = &v->slots[vocab_find(v, hash64((const unsigned char *)p, len))];
    if (s->str == NULL) Py_RETURN_NONE;
    PyObject *seq = PySequence_Fast(records, "mark() takes a sequence of records");
    if (seq == NULL) return NULL;
    uint32_t relevant = 0;
    for (Py_ssize_t k = 0; k < PySequence_Fast_GET_SIZE(seq); k++) {
        int lang;
        unsigned long long sure;
        PyObject *atoms, *entries;
        if (!PyArg_ParseTuple(PySequence_Fast_GET_ITEM(seq, k), "iKOO", &lang, &sure, &atoms, &entries)) goto fail;
        if (lang < 0 || lang >= 32 || !(classified >> lang & 1)) {
            PyErr_SetString(PyExc_ValueError, "a record's language must be one of those marked");
            goto fail;
        }
        if (v->nrecs == v->caprecs) {
            uint32_t cap = v->caprecs ? v->caprecs * 2 : 4096;
            Rec *recs = PyMem_Realloc(v->recs, (size_t)cap * sizeof(Rec));
            if (recs == NULL) { PyErr_NoMemory(); goto fail; }
            v->recs = recs;
            v->caprecs = cap;
        }
        Py_ssize_t a = pool_add(v, atoms);
        if (a < 0) goto fail;
        Py_ssize_t e = pool_add(v, entries);
        if (e < 0) goto fail;
        for (Py_ssize_t x = e; x < (Py_ssize_t)v->npool; x++) {
            if (!v->langs[lang].ready || v->pool[x] >= v->langs[lang].nentries) {
                PyErr_SetString(PyExc_ValueError, "a record names an entry its language does not have");
                goto fail;
            }
        }
        for (Py_ssize_t x = a; x < e; x++) {
            if (v->pool[x] >= v->langs[lang].natoms) {
                PyErr_SetString(PyExc_ValueError, "a record names an atom its language does not have");
                goto fail;
            }
        }
        Rec *r = &v->recs[v->nrecs];
        r->sure = sure;
        r->atoms = (uint32_t)a;
        r->natoms = (uint32_t)(e - a);
        r->entries = (uint32_t)e;
        r->nentries = v->npool - (uint32_t)e;
        r->lang = (uint32_t)lang;
        r->next = s->rec;
        s->rec = ++v->nrecs;
        relevant |= 1u << lang;
    }
    Py_DECREF(seq);
    s->classified |= (uint32_t)classified;
    s->relevant = (s->relevant & ~(uint32_t)classified) | relevant;
    Py_RETURN_NONE;
fail:
    Py_DECREF(seq);
    return NULL;
}

static void lang_clear(Lang *l) {
    PyMem_Free(l->entries);
    PyMem_Free(l->elements);
    PyMem_Free(l->atoms);
    PyMem_Free(l->stamp);
    memset(l, 0, sizeof(Lang));
}

/* possible()'s candidates: a language's index above TODO_LANG_SHIFT, its entry's below. */
#define TODO_LANG_SHIFT 27
#define TODO_ENTRY_LIMIT (1u << TODO_LANG_SHIFT)

/* language(index, atoms, entries, by_concept, number_led): a lexicon language's entries, as
 * [(bit, concepts, number, ((atom, ...), ...))], with [(concept index, entry)] and [entry]. */
static PyObject *vocab_language(Vocab *v, PyObject *args) {
    int index;
    unsigned long natoms;
    PyObject *entries, *by_concept, *number_led;
    if (!PyArg_ParseTuple(args, "ikOOO", &index, &natoms, &entries, &by_concept, &number_led)) return NULL;
    if (index < 0 || index >= 32) { PyErr_SetString(PyExc_ValueError, "at most 32 languages"); return NULL; }
    PyObject *es = PySequence_Fast(entries, "entries: a sequence"), *bc = NULL, *nl = NULL;
    if (es == NULL) return NULL;
    bc = PySequence_Fast(by_concept, "by_concept: a sequence");
    nl = bc ? PySequence_Fast(number_led, "number_led: a sequence") : NULL;
    Lang l = {0};
    if (nl == NULL) goto fail;
    l.nentries = PySequence_Fast_GET_SIZE(es);
    if (l.nentries >= (Py_ssize_t)TODO_ENTRY_LIMIT) {
        PyErr_SetString(PyExc_ValueError, "too many entries in one language");
        goto fail;
    }
    l.natoms = (uint32_t)natoms;
    size_t nelements = 0, npool = 0;
    for (Py_ssize_t k = 0; k < l.nentries; k++) {
        PyObject *e = PySequence_Fast_GET_ITEM(es, k), *els;
        if (!PyTuple_Check(e) || PyTuple_GET_SIZE(e) != 4 || !PyTuple_Check(els = PyTuple_GET_ITEM(e, 3))) {
            PyErr_SetString(PyExc_TypeError, "an entry is (bit, concepts, number, elements)");
            goto fail;
        }
        nelements += (size_t)PyTuple_GET_SIZE(els);
        for (Py_ssize_t j = 0; j < PyTuple_GET_SIZE(els); j++) {
            PyObject *el = PyTuple_GET_ITEM(els, j);
            if (!PyTuple_Check(el)) { PyErr_SetString(PyExc_TypeError, "an element is a tuple of atoms"); goto fail; }
            npool += (size_t)PyTuple_GET_SIZE(el);
        }
    }
    npool += (size_t)PySequence_Fast_GET_SIZE(bc) + (size_t)PySequence_Fast_GET_SIZE(nl);
    l.entries = PyMem_Calloc((size_t)l.nentries + 1, sizeof(Entry));
    l.elements = PyMem_Calloc(nelements + 1, sizeof(Element));
    l.atoms = PyMem_Calloc(npool + 1, sizeof(uint32_t));
    l.stamp = PyMem_Calloc((size_t)natoms + 1, sizeof(uint32_t));
    if (!l.entries || !l.elements || !l.atoms || !l.stamp) { PyErr_NoMemory(); goto fail; }
    uint32_t ne = 0, na = 0;
    for (Py_ssize_t k = 0; k < l.nentries; k++) {
        PyObject *e = PySequence_Fast_GET_ITEM(es, k), *els = PyTuple_GET_ITEM(e, 3);
        Entry *entry = &l.entries[k];
        entry->bit = PyLong_AsUnsignedLongLong(PyTuple_GET_ITEM(e, 0));
        entry->concepts = PyLong_AsUnsignedLongLong(PyTuple_GET_ITEM(e, 1));
        entry->number = PyObject_IsTrue(PyTuple_GET_ITEM(e, 2));
        if (PyErr_Occurred()) goto fail;
        entry->elements = ne;
        entry->nelements = (uint32_t)PyTuple_GET_SIZE(els);
        for (Py_ssize_t j = 0; j < PyTuple_GET_SIZE(els); j++) {
            PyObject *el = PyTuple_GET_ITEM(els, j);
            l.elements[ne].atoms = na;
            l.elements[ne].n = (uint32_t)PyTuple_GET_SIZE(el);
            for (Py_ssize_t x = 0; x < PyTuple_GET_SIZE(el); x++) {
                unsigned long atom = PyLong_AsUnsignedLong(PyTuple_GET_ITEM(el, x));
                if (PyErr_Occurred()) goto fail;
                if (atom >= natoms) { PyErr_SetString(PyExc_ValueError, "an atom out of range"); goto fail; }
                l.atoms[na++] = (uint32_t)atom;
            }
            ne++;
        }
    }
    /* by_concept, sorted by concept: entries naming concept k sit at atoms[by_concept[k] .. by_concept[k + 1]) */
    Py_ssize_t nbc = PySequence_Fast_GET_SIZE(bc);
    for (int c = 0; c <= 64; c++) {
        l.by_concept[c] = na;
        for (Py_ssize_t k = 0; k < nbc && c < 64; k++) {
            int concept;
            unsigned long entry;
            if (!PyArg_ParseTuple(PySequence_Fast_GET_ITEM(bc, k), "ik", &concept, &entry)) goto fail;
            if (concept < 0 || concept >= 64 || entry >= (unsigned long)l.nentries) {
                PyErr_SetString(PyExc_ValueError, "by_concept: (concept index < 64, entry)");
                goto fail;
            }
            if (concept == c) l.atoms[na++] = (uint32_t)entry;
        }
    }
    l.number_led = na;
    for (Py_ssize_t k = 0; k < PySequence_Fast_GET_SIZE(nl); k++) {
        unsigned long entry = PyLong_AsUnsignedLong(PySequence_Fast_GET_ITEM(nl, k));
        if (PyErr_Occurred()) goto fail;
        if (entry >= (unsigned long)l.nentries) { PyErr_SetString(PyExc_ValueError, "number_led: an entry"); goto fail; }
        l.atoms[na++] = (uint32_t)entry;
    }
    l.nnumber_led = na - l.number_led;
    l.ready = 1;
    Py_DECREF(es);
    Py_DECREF(bc);
    Py_DECREF(nl);
    /* Records already made for this language name its old entries: every language looks at every token anew. */
    if (v->langs[index].ready) vocab_forget_all(v);
    lang_clear(&v->langs[index]);
    v->langs[index] = l;
    Py_RETURN_NONE;
fail:
    Py_XDECREF(es);
    Py_XDECREF(bc);
    Py_XDECREF(nl);
    lang_clear(&l);
    return NULL;
}

static int entry_holds(const Lang *l, const Entry *e, uint64_t found, int number, uint32_t stamp) {
    if ((e->concepts & found) != e->concepts || (e->number && !number)) return 0;
    for (uint32_t j = 0; j < e->nelements; j++) {
        const Element *el = &l->elements[e->elements + j];
        int any = 0;
        for (uint32_t x = 0; x < el->n && !any; x++) any = l->stamp[l->atoms[el->atoms + x]] == stamp;
        if (!any) return 0;
    }
    return 1;
}

static int todo_add(Vocab *v, Py_ssize_t *n, uint32_t entry) {
    if (*n == v->captodo) {
        Py_ssize_t cap = v->captodo ? v->captodo * 2 : 256;
        uint32_t *todo = PyMem_Realloc(v->todo, (size_t)cap * sizeof(uint32_t));
        if (todo == NULL) { PyErr_NoMemory(); return -1; }
        v->todo = todo;
        v->captodo = cap;
    }
    v->todo[(*n)++] = entry;
    return 0;
}

/* possible(languages, number) -> the bits of every concept that could occur in the last read text, read in
 * these languages (a superset: order and distance aside, every element of some entry of it is there). */
static PyObject *possible_of(Vocab *v, unsigned long mask, int number, const uint64_t *hashes, Py_ssize_t count);

static PyObject *vocab_possible(Vocab *v, PyObject *const *args, Py_ssize_t nargs) {
    unsigned long mask;
    int number;
    if (!fast_count("possible", nargs, 2, 2) || !fast_ulong_mask(args[0], &mask) || !fast_flag(args[1], &number))
        return NULL;
    return possible_of(v, mask, number, v->last, v->nlast);
}

/* possible_part(languages, number, part) -> possible() of one part of the last read_parts(), or None when
 * another text was read since (the caller reads the part's text then). */
static PyObject *vocab_possible_part(Vocab *v, PyObject *const *args, Py_ssize_t nargs) {
    unsigned long mask;
    int number;
    Py_ssize_t part;
    if (!fast_count("possible_part", nargs, 3, 3) || !fast_ulong_mask(args[0], &mask) || !fast_flag(args[1], &number)
        || !fast_ssize(args[2], &part))
        return NULL;
    if (v->parts_gen != v->gen || part < 0 || part >= v->nparts) Py_RETURN_NONE;
    return possible_of(v, mask, number, v->phashes + v->pstarts[part], v->pstarts[part + 1] - v->pstarts[part]);
}

/* The bits of every concept that could occur in a text of these tokens (by hash), read in these languages.
 *
 * Each token is looked up once, for every language at a time (a text with no stop words is read in all of
 * them: a look-up per language and token was most of the cost). The entries its records trigger, and those led
 * by a number, are tried once every token has stamped its atoms: they name no concept (entries that do are
 * filed by concept, below), so what they need is all there, whichever language's tokens came first. */
static PyObject *possible_of(Vocab *v, unsigned long mask, int number, const uint64_t *hashes, Py_ssize_t count) {
    if (++v->stamp == 0) {  /* after 4 billion calls: forget which call met which atom */
        for (int L = 0; L < 32; L++)
            if (v->langs[L].ready) memset(v->langs[L].stamp, 0, v->langs[L].natoms * sizeof(uint32_t));
        v->stamp = 1;
    }
    uint32_t stamp = v->stamp;
    uint32_t ready = 0;
    for (int L = 0; L < 32; L++)
        if (mask >> L & 1 && v->langs[L].ready) ready |= 1u << L;
    uint64_t found = 0;
    Py_ssize_t n = 0;
    for (Py_ssize_t k = 0; k < count && ready; k++) {
        Slot *slot = &v->slots[vocab_find(v, hashes[k])];
        if (slot->str == NULL || !(slot->relevant & ready)) continue;
        uint32_t met = 0;  /* a token's first record of each language is its record there */
        for (uint32_t r = slot->rec; r; r = v->recs[r - 1].next) {
            Rec *rec = &v->recs[r - 1];
            uint32_t bit = 1u << rec->lang;
            if (!(ready & bit) || (met & bit)) continue;
            met |= bit;
            Lang *l = &v->langs[rec->lang];
            found |= rec->sure;
            for (uint32_t x = 0; x < rec->natoms; x++) l->stamp[v->pool[rec->atoms + x]] = stamp;
            for (uint32_t x = 0; x < rec->nentries; x++)
                if (todo_add(v, &n, rec->lang << TODO_LANG_SHIFT | v->pool[rec->entries + x]) < 0) return NULL;
        }
    }
    if (number)
        for (int L = 0; L < 32; L++) {
            if (!(ready >> L & 1)) continue;
            const Lang *l = &v->langs[L];
            for (uint32_t x = 0; x < l->nnumber_led; x++)
                if (todo_add(v, &n, (uint32_t)L << TODO_LANG_SHIFT | l->atoms[l->number_led + x]) < 0) return NULL;
        }
    for (Py_ssize_t k = 0; k < n; k++) {
        const Lang *l = &v->langs[v->todo[k] >> TODO_LANG_SHIFT];
        const Entry *e = &l->entries[v->todo[k] & (TODO_ENTRY_LIMIT - 1)];
        if (!(e->bit & found) && entry_holds(l, e, found, number, stamp)) found |= e->bit;
    }
    /* Entries naming other concepts ("for ~4 {review}"): tried when a concept they name becomes possible. */
    uint64_t todo = found;
    while (todo) {
        int c = __builtin_ctzll(todo);
        todo &= todo - 1;
        for (int L = 0; L < 32; L++) {
            if (!(mask >> L & 1) || !v->langs[L].ready) continue;
            const Lang *l = &v->langs[L];
            for (uint32_t x = l->by_concept[c]; x < l->by_concept[c + 1]; x++) {
                const Entry *e = &l->entries[l->atoms[x]];
                if (!(e->bit & found) && entry_holds(l, e, found, number, stamp)) {
                    found |= e->bit;
                    todo |= e->bit;
                }
            }
        }
    }
    return PyLong_FromUnsignedLongLong(found);
}

static PyObject *vocab_forget(Vocab *v, PyObject *noargs) {
    vocab_forget_all(v);
    Py_RETURN_NONE;
}

static int vocab_set_folded(Vocab *v, PyObject *table);

static PyObject *vocab_fold(Vocab *v, PyObject *table) {
    if (!PyDict_Check(table)) {
        PyErr_SetString(PyExc_TypeError, "fold() takes a dict");
        return NULL;
    }
    if (vocab_set_folded(v, table) < 0) return NULL;
    Py_RETURN_NONE;
}

static Py_ssize_t vocab_len(Vocab *v) { return (Py_ssize_t)v->used; }

/* Add to the fold table {code point: (kind, folded text)}; kind is 1 letters, 2 ASCII, 3 symbol, 4 separator,
 * 5 a Chinese or Japanese character, 6 a kana. Entries only come in (a character folds one way), so a text that
 * brings new characters adds those alone. */
static int vocab_set_folded(Vocab *v, PyObject *table) {
    if (v->folded == NULL) v->folded = PyMem_Calloc(FOLD_LAST - FOLD_FIRST + 1, sizeof(struct Folded));
    if (v->emoji == NULL) v->emoji = PyMem_Calloc(EMOJI_LAST - EMOJI_FIRST + 1, sizeof(struct Folded));
    if (v->folded == NULL || v->emoji == NULL) { PyErr_NoMemory(); return -1; }
    struct Folded *f = v->folded, *emoji = v->emoji;
    PyObject *key, *value;
    Py_ssize_t pos = 0;
    while (PyDict_Next(table, &pos, &key, &value)) {
        long c = PyLong_AsLong(key);
        int kind;
        const char *text;
        Py_ssize_t len;
        if (c == -1 && PyErr_Occurred()) return -1;
        if (!PyArg_ParseTuple(value, "is#", &kind, &text, &len)) return -1;
        int in_emoji = c >= EMOJI_FIRST && c <= EMOJI_LAST;
        if ((c < FOLD_FIRST || c > FOLD_LAST) && !in_emoji) continue;  /* read by the Unicode tokenizer */
        if (kind < F_LETTERS || kind > F_KANA || len < 1 || len > (Py_ssize_t)sizeof(f->bytes)
            || (kind >= F_CJK && len != utf8_size((unsigned char)text[0]))) {
            PyErr_SetString(PyExc_ValueError, "folded: a kind from 1 to 6 and 1 to 14 bytes of text (one character "
                            "for 5 and 6)");
            return -1;
        }
        struct Folded *e = in_emoji ? &emoji[c - EMOJI_FIRST] : &f[c - FOLD_FIRST];
        e->kind = (unsigned char)kind;
        e->len = (unsigned char)len;
        memcpy(e->bytes, text, (size_t)len);
    }
    return 0;
}

static int vocab_init(Vocab *v, PyObject *args, PyObject *kwds) {
    PyObject *stops, *elisions, *folded = NULL;
    int nstops;
    unsigned long maxrecs = 1u << 20;
    static char *names[] = {"stops", "languages", "elisions", "folded", "records", NULL};
    if (!PyArg_ParseTupleAndKeywords(args, kwds, "O!iO|O!k", names, &PyDict_Type, &stops, &nstops, &elisions,
                                     &PyDict_Type, &folded, &maxrecs)) return -1;
    if (maxrecs == 0 || maxrecs > (1u << 24)) {
        PyErr_SetString(PyExc_ValueError, "records: 1 to 16,777,216");
        return -1;
    }
    v->maxrecs = (uint32_t)maxrecs;
    if (folded != NULL && vocab_set_folded(v, folded) < 0) return -1;
    if (nstops < 0 || nstops > 32) {
        PyErr_SetString(PyExc_ValueError, "at most 32 word languages");
        return -1;
    }
    PyObject *it = PyObject_GetIter(elisions), *item;
    if (it == NULL) return -1;
    v->nelisions = 0;
    while ((item = PyIter_Next(it)) != NULL) {
        Py_ssize_t len;
        const char *p = PyUnicode_Check(item) ? utf8_of(item, &len) : NULL;
        if (p == NULL || len >= 8 || v->nelisions == MAX_ELISIONS) {
            Py_DECREF(item);
            Py_DECREF(it);
            if (!PyErr_Occurred()) PyErr_SetString(PyExc_ValueError, "elisions: at most 32 strs of up to 7 bytes");
            return -1;
        }
        memcpy(v->elisions[v->nelisions], p, (size_t)len);
        v->elisions[v->nelisions][len] = 0;
        v->nelisions++;
        Py_DECREF(item);
    }
    Py_DECREF(it);
    if (PyErr_Occurred()) return -1;
    Py_INCREF(stops);
    Py_XSETREF(v->stops, stops);
    v->nstops = nstops;
    if (v->slots == NULL) {
        v->slots = PyMem_Calloc(VOCAB_MIN, sizeof(Slot));
        if (v->slots == NULL) { PyErr_NoMemory(); return -1; }
        v->cap = VOCAB_MIN;
    } else {
        vocab_drop_all(v);
    }
    return 0;
}

static void vocab_dealloc(Vocab *v) {
    if (v->slots != NULL) {
        vocab_drop_all(v);
        PyMem_Free(v->slots);
    }
    Py_XDECREF(v->stops);
    PyMem_Free(v->folded);
    PyMem_Free(v->emoji);
    for (int L = 0; L < 32; L++) lang_clear(&v->langs[L]);
    PyMem_Free(v->recs);
    PyMem_Free(v->pool);
    PyMem_Free(v->last);
    PyMem_Free(v->todo);
    PyMem_Free(v->toks);
    PyMem_Free(v->phashes);
    PyMem_Free(v->pstarts);
    Py_TYPE(v)->tp_free((PyObject *)v);
}

static PyMethodDef vocab_methods[] = {
    {"read", (PyCFunction)(void (*)(void))vocab_read, METH_FASTCALL,
     "read(text, choose) -> (to_classify, flags, mask), or None for text the Unicode tokenizer must read."},
    {"read_tokens", (PyCFunction)(void (*)(void))vocab_read_tokens, METH_FASTCALL,
     "read_tokens(tokens, flags, choose): as read(), for tokens found in Python."},
    {"mark", (PyCFunction)vocab_mark, METH_VARARGS,
     "mark(token, languages, records): record what these languages made of a token."},
    {"language", (PyCFunction)vocab_language, METH_VARARGS,
     "language(index, atoms, entries, by_concept, number_led): a lexicon language's entries."},
    {"possible", (PyCFunction)(void (*)(void))vocab_possible, METH_FASTCALL,
     "possible(languages, number) -> the bits of the concepts that could occur in the last text read."},
    {"read_parts", (PyCFunction)(void (*)(void))vocab_read_parts, METH_FASTCALL,
     "read_parts(texts, choose) -> read() of the texts joined by blank lines, and the flags of each text; or None."},
    {"possible_part", (PyCFunction)(void (*)(void))vocab_possible_part, METH_FASTCALL,
     "possible_part(languages, number, part) -> possible() of one text of the last read_parts(), or None when "
     "another text was read since."},
    {"forget", (PyCFunction)vocab_forget, METH_NOARGS, "forget(): every language looks at every token anew."},
    {"fold", (PyCFunction)vocab_fold, METH_O,
     "fold({code point: (kind, text)}): the non-ASCII characters read() folds itself (see plain_characters)."},
    {NULL, NULL, 0, NULL},
};

static PySequenceMethods vocab_as_sequence = {.sq_length = (lenfunc)vocab_len};

static PyTypeObject VocabType = {
    PyVarObject_HEAD_INIT(NULL, 0)
    .tp_name = "listing_lint.engine._tokens.Vocab",
    .tp_basicsize = sizeof(Vocab),
    .tp_flags = Py_TPFLAGS_DEFAULT,
    .tp_new = PyType_GenericNew,
    .tp_init = (initproc)vocab_init,
    .tp_dealloc = (destructor)vocab_dealloc,
    .tp_methods = vocab_methods,
    .tp_as_sequence = &vocab_as_sequence,
    .tp_doc = "Vocab(stops, languages, elisions): the concept gate's table of tokens met (see the comment above).",
};

/* ---- WordTable: where a text's whole words (\w+, as Python's re reads them) are one of a fixed list ----
 *
 * The competitor brand matcher keys its names by their first word: thousands of keys, of which a field holds
 * about one. Finding them as Python does (every word of the field made into a str and looked up in a set)
 * costs a str per word; here each word is hashed as it is read and only the words whose hash is a key's
 * come back, as (start, end). The caller checks each one's text against its keys, so two words sharing a
 * 64-bit hash cost one needless look-up, never a wrong answer. */

/* Most words of a text are no key. The keys' table (thousands of brand names: 128 KB) is out of the faster caches
 * by the time the next field is read, and probing it cost a cache miss a word; a bit map of 8 KB, which stays
 * in them, turns away nine words in ten first. */
#define BIT_SET(map, x) ((map)[(x) >> 3] |= (unsigned char)(1 << ((x) & 7)))
#define BIT_OF(map, x) ((map)[(x) >> 3] >> ((x) & 7) & 1)
#define WORD_FILTER_BITS 65536
#define WORD_FILTER_BIT(h) ((size_t)((h) >> 40) & (WORD_FILTER_BITS - 1))

typedef struct {
    PyObject_HEAD
    uint64_t *hashes;     /* open addressing; 0 is empty */
    size_t cap;
    Py_ssize_t count;
    Py_ssize_t longest;   /* characters in the longest key: a longer word is never one */
    unsigned char filter[WORD_FILTER_BITS / 8];  /* a bit per key, by other bits of its hash than its slot's */
} WordTable;

static int is_word_char(Py_UCS4 c) {
    return c < 128 ? (c == '_' || (c >= '0' && c <= '9') || ((c | 32) >= 'a' && (c | 32) <= 'z'))
                   : Py_UNICODE_ISALNUM(c);
}


static int wordtable_has(WordTable *t, uint64_t h) {
    if (!BIT_OF(t->filter, WORD_FILTER_BIT(h))) return 0;
    size_t at = (size_t)h & (t->cap - 1);
    while (t->hashes[at] != 0) {
        if (t->hashes[at] == h) return 1;
        at = (at + 1) & (t->cap - 1);
    }
    return 0;
}

static int wordtable_init(WordTable *t, PyObject *args, PyObject *kwds) {
    PyObject *keys;
    if (!PyArg_ParseTuple(args, "O", &keys)) return -1;
    PyObject *seq = PySequence_Fast(keys, "WordTable() takes a sequence of words");
    if (seq == NULL) return -1;
    Py_ssize_t n = PySequence_Fast_GET_SIZE(seq);
    size_t cap = 16;
    while (cap < (size_t)n * 2 + 2) cap *= 2;
    PyMem_Free(t->hashes);
    t->hashes = PyMem_Calloc(cap, sizeof(uint64_t));
    if (t->hashes == NULL) { Py_DECREF(seq); PyErr_NoMemory(); return -1; }
    t->cap = cap;
    t->count = 0;
    t->longest = 0;
    memset(t->filter, 0, sizeof t->filter);
    for (Py_ssize_t k = 0; k < n; k++) {
        PyObject *key = PySequence_Fast_GET_ITEM(seq, k);
        if (!PyUnicode_Check(key)) {
            Py_DECREF(seq);
            PyErr_SetString(PyExc_TypeError, "WordTable() takes strs");
            return -1;
        }
        Py_ssize_t len = PyUnicode_GET_LENGTH(key);
        int kind = PyUnicode_KIND(key);
        const void *data = PyUnicode_DATA(key);
        uint64_t h = FNV_START;
        for (Py_ssize_t i = 0; i < len; i++) h = fnv_step(h, PyUnicode_READ(kind, data, i));
        h = fnv_end(h);
        if (wordtable_has(t, h)) continue;
        size_t at = (size_t)h & (cap - 1);
        while (t->hashes[at] != 0) at = (at + 1) & (cap - 1);
        t->hashes[at] = h;
        BIT_SET(t->filter, WORD_FILTER_BIT(h));
        t->count++;
        if (len > t->longest) t->longest = len;
    }
    Py_DECREF(seq);
    return 0;
}

/* Find the next word at or after ``*at``: its start, its hash, and ``*at`` moved to its end; 0 past the last. */
ALWAYS_INLINE int next_word(const int kind, const void *data, Py_ssize_t n, Py_ssize_t *at, Py_ssize_t *start,
                            uint64_t *hash) {
    Py_ssize_t i = *at;
    while (i < n && !is_word_char(PyUnicode_READ(kind, data, i))) i++;
    if (i >= n) return 0;
    *start = i;
    uint64_t h = FNV_START;
    for (; i < n; i++) {
        Py_UCS4 c = PyUnicode_READ(kind, data, i);
        if (!is_word_char(c)) break;
        h = fnv_step(h, c);
    }
    *at = i;
    *hash = fnv_end(h);
    return 1;
}

/* The whole words of ``text`` whose hash is a key's: as (start, end), or, given ``keys`` (a set), only those in it,
 * as (start, end, word). */
static PyObject *wordtable_scan(WordTable *t, PyObject *text, PyObject *keys) {
    Py_ssize_t n = PyUnicode_GET_LENGTH(text);
    int kind = PyUnicode_KIND(text);
    const void *data = PyUnicode_DATA(text);
    PyObject *out = PyList_New(0);
    if (out == NULL || t->hashes == NULL) return out;
    Py_ssize_t i = 0, start;
    uint64_t h;
    while (BY_KIND(kind, next_word(PyUnicode_1BYTE_KIND, data, n, &i, &start, &h),
                   next_word(PyUnicode_2BYTE_KIND, data, n, &i, &start, &h),
                   next_word(PyUnicode_4BYTE_KIND, data, n, &i, &start, &h))) {
        if (i - start > t->longest || !wordtable_has(t, h)) continue;
        PyObject *hit;
        if (keys == NULL) {
            hit = Py_BuildValue("(nn)", start, i);
        } else {
            PyObject *word = PyUnicode_Substring(text, start, i);
            int known = word == NULL ? -1 : PySet_Contains(keys, word);
            if (known != 1) {
                Py_XDECREF(word);
                if (known == 0) continue;
                Py_DECREF(out);
                return NULL;
            }
            hit = Py_BuildValue("(nnN)", start, i, word);
        }
        if (hit == NULL || PyList_Append(out, hit) < 0) { Py_XDECREF(hit); Py_DECREF(out); return NULL; }
        Py_DECREF(hit);
    }
    return out;
}

static PyObject *wordtable_find(WordTable *t, PyObject *text) {
    if (!PyUnicode_Check(text)) {
        PyErr_SetString(PyExc_TypeError, "find() takes a str");
        return NULL;
    }
    return wordtable_scan(t, text, NULL);
}

/* Whether ``keys`` is a set or a frozenset (else a TypeError naming the method). */
static int keys_are_a_set(PyObject *keys, const char *method) {
    if (PyAnySet_Check(keys)) return 1;
    PyErr_Format(PyExc_TypeError, "%s() takes a set or frozenset of keys", method);
    return 0;
}

static PyObject *wordtable_words(WordTable *t, PyObject *const *args, Py_ssize_t nargs) {
    if (!fast_count("words", nargs, 2, 2) || !fast_type("words", args[0], &PyUnicode_Type, 1)
        || !keys_are_a_set(args[1], "words"))
        return NULL;
    PyObject *text = args[0], *keys = args[1];
    return wordtable_scan(t, text, keys);
}

/* words_each(texts, keys): [words(text, keys) for text in texts], in one call: a listing's fields. */
static PyObject *wordtable_words_each(WordTable *t, PyObject *const *args, Py_ssize_t nargs) {
    if (!fast_count("words_each", nargs, 2, 2) || !keys_are_a_set(args[1], "words_each")) return NULL;
    PyObject *texts = args[0], *keys = args[1];
    PyObject *seq = PySequence_Fast(texts, "words_each() takes a sequence of strs");
    if (seq == NULL) return NULL;
    Py_ssize_t count = PySequence_Fast_GET_SIZE(seq);
    PyObject *out = PyList_New(count);
    for (Py_ssize_t k = 0; out != NULL && k < count; k++) {
        PyObject *text = PySequence_Fast_GET_ITEM(seq, k);
        PyObject *words = PyUnicode_Check(text) ? wordtable_scan(t, text, keys) : NULL;
        if (words == NULL) {
            if (!PyErr_Occurred()) PyErr_SetString(PyExc_TypeError, "words_each() takes a sequence of strs");
            Py_CLEAR(out);
            break;
        }
        PyList_SET_ITEM(out, k, words);
    }
    Py_DECREF(seq);
    return out;
}

static void wordtable_dealloc(WordTable *t) {
    PyMem_Free(t->hashes);
    Py_TYPE(t)->tp_free((PyObject *)t);
}

static Py_ssize_t wordtable_len(WordTable *t) { return t->count; }

static PyMethodDef wordtable_methods[] = {
    {"find", (PyCFunction)wordtable_find, METH_O,
     "find(text) -> [(start, end)] of the whole words whose hash is a key's (check each word's text)."},
    {"words", (PyCFunction)(void (*)(void))wordtable_words, METH_FASTCALL,
     "words(text, keys) -> [(start, end, word)] of the whole words that are in the set ``keys``."},
    {"words_each", (PyCFunction)(void (*)(void))wordtable_words_each, METH_FASTCALL,
     "words_each(texts, keys) -> [words(text, keys) for text in texts]."},
    {NULL, NULL, 0, NULL},
};

static PySequenceMethods wordtable_as_sequence = {.sq_length = (lenfunc)wordtable_len};

static PyTypeObject WordTableType = {
    PyVarObject_HEAD_INIT(NULL, 0)
    .tp_name = "listing_lint.engine._tokens.WordTable",
    .tp_basicsize = sizeof(WordTable),
    .tp_flags = Py_TPFLAGS_DEFAULT,
    .tp_new = PyType_GenericNew,
    .tp_init = (initproc)wordtable_init,
    .tp_dealloc = (destructor)wordtable_dealloc,
    .tp_methods = wordtable_methods,
    .tp_as_sequence = &wordtable_as_sequence,
    .tp_doc = "WordTable(words): where a text's whole words are one of these (see the comment above).",
};

/* ---- LiteralTable: which of a fixed set of strings occur in a text, overlapping ones included ----
 *
 * The rule set gates its patterns on literals a match must contain ("www", "review", "5星"): some 7,800 of
 * them (spelled number pairs for the phone detector among them), of which a field holds a few. A literal is
 * filed under its first KEY_CHARS characters (all of them when shorter), in a table of 256 KB, out of the
 * faster caches; only the literals filed under a key are compared, their characters kept side by side in key
 * order so that no str object is read.
 *
 * Each position of the text is asked for its keys of one to four characters in turn, each through a filter
 * that stays in the faster caches: a bit map of the ASCII characters and of the ASCII pairs that are keys of
 * one and two characters, and for three and four characters a bit map of the keys' hashes (two bits a key),
 * the position's characters hashed at once (independent products, not a chain). A position past them is
 * looked up in the table: one in twenty-five on real copy. Filters that test letters one by one (the first
 * letter, then the pair, ...) let a branch go either way at every other letter, and cost more than the
 * reading. */

#define KEY_CHARS 4
#define KEY_FILTER_BITS 65536
#define KEY_FILTER_BIT(h) ((size_t)((h) >> 40) & (KEY_FILTER_BITS - 1))
#define TRI_BITS 16384
#define QUAD_BITS 131072

static inline uint64_t mix_chars(Py_UCS4 a, Py_UCS4 b, Py_UCS4 c, Py_UCS4 d) {
    uint64_t h = (a * 0x9E3779B97F4A7C15ull) ^ (b * 0xC2B2AE3D27D4EB4Full) ^ (c * 0x165667B19E3779F9ull)
                 ^ (d * 0xD6E8FEB86659FD93ull);
    return h ^ (h >> 29);
}
#define FILTER_BIT1(q, bits) ((size_t)((q) >> 20) & ((bits) - 1))
#define FILTER_BIT2(q, bits) ((size_t)((q) >> 44) & ((bits) - 1))
#define FILTER_SET(map, q, bits) (BIT_SET(map, FILTER_BIT1(q, bits)), BIT_SET(map, FILTER_BIT2(q, bits)))
#define FILTER_HAS(map, q, bits) (BIT_OF(map, FILTER_BIT1(q, bits)) && BIT_OF(map, FILTER_BIT2(q, bits)))

typedef struct {
    PyObject_HEAD
    PyObject *literals;       /* tuple of the literal strs */
    Py_UCS4 *chars;           /* each literal's characters, in ``order`` */
    uint32_t *starts;         /* per position of ``order``: where its literal's characters start in ``chars`` */
    unsigned char key_filter[KEY_FILTER_BITS / 8];
    uint64_t *keys;           /* open addressing on the hash of a literal's first characters; 0 is empty */
    uint32_t *first, *count;  /* per key: its literals, order[first .. first + count) */
    size_t cap;
    uint32_t *order;          /* literal indices grouped by key */
    unsigned char quads[QUAD_BITS / 8];       /* the four-character keys, two bits each */
    unsigned char triples[TRI_BITS / 8];      /* the three-character keys, two bits each */
    unsigned char pairs[128 * 128 / 8];       /* ASCII pairs that are a key */
    unsigned char singles[128 / 8];           /* ASCII characters that are a key */
    int wide1, wide2;         /* some key of one or two characters is past ASCII */
    PyObject *marker;         /* added to what ``present`` finds in a text past ASCII, or NULL */
} LiteralTable;

/* A key's hash is built a character at a time, so the text's keys of 1 to KEY_CHARS characters at one
 * position cost one pass over them; the length goes in last. */
static uint64_t literal_key(uint64_t h, int m) { return fnv_end(h + (uint64_t)m); }

static uint64_t literal_hash(int kind, const void *data, Py_ssize_t at, int m) {
    uint64_t h = FNV_START;
    for (int k = 0; k < m; k++) h = fnv_step(h, PyUnicode_READ(kind, data, at + k));
    return literal_key(h, m);
}


static size_t literal_slot(LiteralTable *t, uint64_t key) {
    size_t at = (size_t)key & (t->cap - 1);
    while (t->keys[at] != 0 && t->keys[at] != key) at = (at + 1) & (t->cap - 1);
    return at;
}

static void literaltable_clear(LiteralTable *t) {
    Py_CLEAR(t->literals);
    Py_CLEAR(t->marker);
    PyMem_Free(t->keys);
    PyMem_Free(t->first);
    PyMem_Free(t->count);
    PyMem_Free(t->order);
    PyMem_Free(t->chars);
    PyMem_Free(t->starts);
    t->keys = NULL;
    t->first = t->count = t->order = t->starts = NULL;
    t->chars = NULL;
}

static int literaltable_init(LiteralTable *t, PyObject *args, PyObject *kwds) {
    PyObject *given, *marker = NULL;
    if (!PyArg_ParseTuple(args, "O|O", &given, &marker)) return -1;
    PyObject *literals = PySequence_Tuple(given);
    if (literals == NULL) return -1;
    Py_ssize_t n = PyTuple_GET_SIZE(literals);
    literaltable_clear(t);
    t->literals = literals;
    if (marker != NULL && marker != Py_None) {
        Py_INCREF(marker);
        t->marker = marker;
    }
    memset(t->quads, 0, sizeof t->quads);
    memset(t->triples, 0, sizeof t->triples);
    memset(t->pairs, 0, sizeof t->pairs);
    memset(t->singles, 0, sizeof t->singles);
    memset(t->key_filter, 0, sizeof t->key_filter);
    t->wide1 = t->wide2 = 0;
    for (Py_ssize_t k = 0; k < n; k++) {
        PyObject *lit = PyTuple_GET_ITEM(literals, k);
        if (!PyUnicode_Check(lit) || PyUnicode_GET_LENGTH(lit) == 0) {
            PyErr_SetString(PyExc_TypeError, "LiteralTable() takes non-empty strs");
            return -1;
        }
    }
    size_t cap = 16;
    while (cap < (size_t)n * 2 + 2) cap *= 2;
    t->cap = cap;
    t->keys = PyMem_Calloc(cap, sizeof(uint64_t));
    t->first = PyMem_Calloc(cap, sizeof(uint32_t));
    t->count = PyMem_Calloc(cap, sizeof(uint32_t));
    t->order = PyMem_Calloc((size_t)n + 1, sizeof(uint32_t));
    if (!t->keys || !t->first || !t->count || !t->order) { PyErr_NoMemory(); return -1; }
    /* Count the literals per key, give each key its stretch of ``order``, then fill it. */
    for (int pass = 0; pass < 2; pass++) {
        uint32_t next = 0;
        if (pass == 1) {
            for (size_t at = 0; at < cap; at++) {
                if (t->keys[at] == 0) continue;
                t->first[at] = next;
                next += t->count[at];
                t->count[at] = 0;
            }
        }
        for (Py_ssize_t k = 0; k < n; k++) {
            PyObject *lit = PyTuple_GET_ITEM(literals, k);
            int kind = PyUnicode_KIND(lit);
            const void *data = PyUnicode_DATA(lit);
            Py_ssize_t len = PyUnicode_GET_LENGTH(lit);
            int m = len < KEY_CHARS ? (int)len : KEY_CHARS;
            uint64_t key = literal_hash(kind, data, 0, m);
            size_t at = literal_slot(t, key);
            if (pass == 0) {
                t->keys[at] = key;
                t->count[at]++;
                BIT_SET(t->key_filter, KEY_FILTER_BIT(key));
                Py_UCS4 a = PyUnicode_READ(kind, data, 0), b = m > 1 ? PyUnicode_READ(kind, data, 1) : 0;
                Py_UCS4 c = m > 2 ? PyUnicode_READ(kind, data, 2) : 0, d = m > 3 ? PyUnicode_READ(kind, data, 3) : 0;
                if (m == 4) FILTER_SET(t->quads, mix_chars(a, b, c, d), QUAD_BITS);
                else if (m == 3) FILTER_SET(t->triples, mix_chars(a, b, c, 0), TRI_BITS);
                else if (m == 2 && a < 128 && b < 128) BIT_SET(t->pairs, a << 7 | b);
                else if (m == 2) t->wide2 = 1;
                else if (a < 128) BIT_SET(t->singles, a);
                else t->wide1 = 1;
            } else {
                t->order[t->first[at] + t->count[at]++] = (uint32_t)k;
            }
        }
    }
    Py_ssize_t total = 0;
    for (Py_ssize_t k = 0; k < n; k++) total += PyUnicode_GET_LENGTH(PyTuple_GET_ITEM(literals, k));
    t->chars = PyMem_Malloc(((size_t)total + 1) * sizeof(Py_UCS4));
    t->starts = PyMem_Malloc(((size_t)n + 1) * sizeof(uint32_t));
    if (!t->chars || !t->starts) { PyErr_NoMemory(); return -1; }
    uint32_t at = 0;
    for (Py_ssize_t x = 0; x < n; x++) {
        PyObject *lit = PyTuple_GET_ITEM(literals, t->order[x]);
        int kind = PyUnicode_KIND(lit);
        const void *data = PyUnicode_DATA(lit);
        t->starts[x] = at;
        for (Py_ssize_t j = 0; j < PyUnicode_GET_LENGTH(lit); j++) t->chars[at++] = PyUnicode_READ(kind, data, j);
    }
    t->starts[n] = at;
    return 0;
}

/* Add to ``found`` each literal filed under the key ``h`` (of m characters) that the text holds at i. */
ALWAYS_INLINE int literal_probe(LiteralTable *t, uint64_t h, int m, const int kind, const void *data, Py_ssize_t i,
                                Py_ssize_t n, PyObject *found) {
    uint64_t key = literal_key(h, m);
    if (!BIT_OF(t->key_filter, KEY_FILTER_BIT(key))) return 0;
    size_t at = literal_slot(t, key);
    if (t->keys[at] == 0) return 0;
    for (uint32_t x = t->first[at], end = x + t->count[at]; x < end; x++) {
        const Py_UCS4 *lit = t->chars + t->starts[x];
        Py_ssize_t len = t->starts[x + 1] - t->starts[x];
        if (i + len > n) continue;
        Py_ssize_t j = 0;
        while (j < len && lit[j] == PyUnicode_READ(kind, data, i + j)) j++;
        if (j == len && PySet_Add(found, PyTuple_GET_ITEM(t->literals, t->order[x])) < 0) return -1;
    }
    return 0;
}

ALWAYS_INLINE int literal_scan(LiteralTable *t, const int kind, const void *data, Py_ssize_t n, PyObject *found) {
    for (Py_ssize_t i = 0; i < n; i++) {
        Py_UCS4 a = PyUnicode_READ(kind, data, i);
        if (a < 128 ? BIT_OF(t->singles, a) : t->wide1) {
            if (literal_probe(t, fnv_step(FNV_START, a), 1, kind, data, i, n, found) < 0) return -1;
        }
        if (i + 1 >= n) continue;
        Py_UCS4 b = PyUnicode_READ(kind, data, i + 1);
        if (a < 128 && b < 128 ? BIT_OF(t->pairs, a << 7 | b) : t->wide2) {
            if (literal_probe(t, fnv_step(fnv_step(FNV_START, a), b), 2, kind, data, i, n, found) < 0) return -1;
        }
        if (i + 2 >= n) continue;
        Py_UCS4 c = PyUnicode_READ(kind, data, i + 2);
        if (FILTER_HAS(t->triples, mix_chars(a, b, c, 0), TRI_BITS)) {
            uint64_t h = fnv_step(fnv_step(fnv_step(FNV_START, a), b), c);
            if (literal_probe(t, h, 3, kind, data, i, n, found) < 0) return -1;
        }
        if (i + 3 >= n) continue;
        Py_UCS4 d = PyUnicode_READ(kind, data, i + 3);
        if (FILTER_HAS(t->quads, mix_chars(a, b, c, d), QUAD_BITS)) {
            uint64_t h = fnv_step(fnv_step(fnv_step(fnv_step(FNV_START, a), b), c), d);
            if (literal_probe(t, h, 4, kind, data, i, n, found) < 0) return -1;
        }
    }
    return 0;
}

static int literal_scan_1(LiteralTable *t, const void *d, Py_ssize_t n, PyObject *f) { return literal_scan(t, PyUnicode_1BYTE_KIND, d, n, f); }
static int literal_scan_2(LiteralTable *t, const void *d, Py_ssize_t n, PyObject *f) { return literal_scan(t, PyUnicode_2BYTE_KIND, d, n, f); }
static int literal_scan_4(LiteralTable *t, const void *d, Py_ssize_t n, PyObject *f) { return literal_scan(t, PyUnicode_4BYTE_KIND, d, n, f); }

static PyObject *literaltable_present(LiteralTable *t, PyObject *text) {
    if (!PyUnicode_Check(text)) {
        PyErr_SetString(PyExc_TypeError, "present() takes a str");
        return NULL;
    }
    /* A frozenset, filled before anyone else sees it: the engine keeps each field's answer and shares it. */
    PyObject *found = PyFrozenSet_New(NULL);
    if (found == NULL) return NULL;
    if (t->keys != NULL) {
        Py_ssize_t n = PyUnicode_GET_LENGTH(text);
        int kind = PyUnicode_KIND(text);
        const void *data = PyUnicode_DATA(text);
        if (BY_KIND(kind, literal_scan_1(t, data, n, found), literal_scan_2(t, data, n, found),
                    literal_scan_4(t, data, n, found)) < 0) {
            Py_DECREF(found);
            return NULL;
        }
    }
    if (t->marker != NULL && !PyUnicode_IS_ASCII(text) && PySet_Add(found, t->marker) < 0) {
        Py_DECREF(found);
        return NULL;
    }
    return found;
}

static void literaltable_dealloc(LiteralTable *t) {
    literaltable_clear(t);
    Py_TYPE(t)->tp_free((PyObject *)t);
}

static Py_ssize_t literaltable_len(LiteralTable *t) { return t->literals ? PyTuple_GET_SIZE(t->literals) : 0; }

/* present_each(texts): present(text.lower()) of each text, as a tuple, in one call: the engine's literal pass
 * over a listing's fields. An ASCII text is lowered into a buffer of bytes here, not made into a new str. */
static PyObject *literaltable_present_each(LiteralTable *t, PyObject *texts) {
    PyObject *seq = PySequence_Fast(texts, "present_each() takes a sequence of strs");
    if (seq == NULL) return NULL;
    Py_ssize_t count = PySequence_Fast_GET_SIZE(seq);
    PyObject *out = PyTuple_New(count);
    unsigned char *buf = NULL;
    Py_ssize_t cap = 0;
    if (out == NULL) goto fail;
    for (Py_ssize_t k = 0; k < count; k++) {
        PyObject *text = PySequence_Fast_GET_ITEM(seq, k);
        if (!PyUnicode_Check(text)) {
            PyErr_SetString(PyExc_TypeError, "present_each() takes a sequence of strs");
            goto fail;
        }
        if (!PyUnicode_IS_ASCII(text)) {
            PyObject *lower = PyObject_CallMethod(text, "lower", NULL);
            if (lower == NULL) goto fail;
            PyObject *found = literaltable_present(t, lower);
            Py_DECREF(lower);
            if (found == NULL) goto fail;
            PyTuple_SET_ITEM(out, k, found);
            continue;
        }
        Py_ssize_t n = PyUnicode_GET_LENGTH(text);
        const unsigned char *data = PyUnicode_1BYTE_DATA(text);
        if (n > cap) {
            unsigned char *grown = PyMem_Realloc(buf, (size_t)n);
            if (grown == NULL) { PyErr_NoMemory(); goto fail; }
            buf = grown;
            cap = n;
        }
        for (Py_ssize_t j = 0; j < n; j++) buf[j] = data[j] >= 'A' && data[j] <= 'Z' ? data[j] + 32 : data[j];
        PyObject *found = PyFrozenSet_New(NULL);
        if (found == NULL) goto fail;
        PyTuple_SET_ITEM(out, k, found);
        if (t->keys != NULL && literal_scan_1(t, buf, n, found) < 0) goto fail;
    }
    PyMem_Free(buf);
    Py_DECREF(seq);
    return out;
fail:
    PyMem_Free(buf);
    Py_XDECREF(out);
    Py_DECREF(seq);
    return NULL;
}

static PyMethodDef literaltable_methods[] = {
    {"present", (PyCFunction)literaltable_present, METH_O,
     "present(text) -> the frozenset of the literals occurring in the text, overlapping ones included, and the "
     "marker given to the table when the text is past ASCII."},
    {"present_each", (PyCFunction)literaltable_present_each, METH_O,
     "present_each(texts) -> a tuple of present(text.lower()) for each text."},
    {NULL, NULL, 0, NULL},
};

static PySequenceMethods literaltable_as_sequence = {.sq_length = (lenfunc)literaltable_len};

static PyTypeObject LiteralTableType = {
    PyVarObject_HEAD_INIT(NULL, 0)
    .tp_name = "listing_lint.engine._tokens.LiteralTable",
    .tp_basicsize = sizeof(LiteralTable),
    .tp_flags = Py_TPFLAGS_DEFAULT,
    .tp_new = PyType_GenericNew,
    .tp_init = (initproc)literaltable_init,
    .tp_dealloc = (destructor)literaltable_dealloc,
    .tp_methods = literaltable_methods,
    .tp_as_sequence = &literaltable_as_sequence,
    .tp_doc = "LiteralTable(literals, marker=None): which of these strings occur in a text (see the comment above).",
};

/* ---- screen: what a listing's text could hold, for the detectors' listing gates ----
 *
 * Each bit is a superset of what one detector's gate (engine/detectors/) looks for, found in one pass where
 * the gates make a dozen; a detector whose bits are all clear skips its gate (detectors/screen.py). The text
 * is read as the gates read it: full-width forms, the ideographic space and full stops folded to ASCII
 * (text_forms.ascii_fold), letters compared without case (the Kelvin sign and dotted capital I are k and i,
 * as str.lower makes them).
 *   DIGITS     seven digits or O's (any decimal digit or numeral, and 幺), with at most three separators
 *              between neighbours: \s ( ) . - / and dashes, symbols and emoji (phone.GATE_RUN on
 *              phone.digits_folded, taking every numeral for a digit)
 *   TOLL_FREE  800, 833, 844, 855, 866, 877 or 888 (phone._vanity)
 *   WEB        www, //, dot, punkt, punto, point, pkt, 点, 點, ド, てん; a letter, digit, hyphen or letter-like
 *              symbol (a host's label, hosts.LABEL_CHARS) then a dot and two Latin, Greek, Cyrillic or Armenian
 *              letters, or letters a disguise goes on (disguise_after_dot); a letter or digit then a bullet, a
 *              middle dot or an emoji, then a letter; an opening bracket and a dot; a space or tab before a dot
 *              (url.gate)
 *   MAIL       @, arroba, chiocciola, arobase, atmark, klammeraffe, ä then t, ア, あ, 艾, ★, ☆, an opening
 *              bracket then an a, ä or @, or " at " in text with the WEB bit (email.gate: a spelled "at" needs
 *              a spelled dot, and every one of those sets WEB)
 *   AMAZONISH  an a, 4 or @, an m, n or r, then a z or 2 at most six characters after the first, followed by an
 *              o, 0, m, n or r (what every match of spoofed.AMAZONISH_RAW holds: "amazon", "amzn", "arnaz0n",
 *              not "amazing" or "organize"; look-alike letters are the gate's own ``rest``) */

#define SCREEN_DIGITS 1
#define SCREEN_TOLL_FREE 2
#define SCREEN_WEB 4
#define SCREEN_MAIL 8
#define SCREEN_AMAZONISH 16

static Py_UCS4 screen_fold(Py_UCS4 c) {
    if (c < 128) return c >= 'A' && c <= 'Z' ? c + 32 : c;
    if (c >= 0xFF01 && c <= 0xFF5E) {
        c -= 0xFEE0;
        return c >= 'A' && c <= 'Z' ? c + 32 : c;
    }
    if (c == 0x3002 || c == 0xFF61 || c == 0x2024) return '.';
    if (c == 0x3000) return ' ';
    if (c == 0x212A) return 'k';
    if (c == 0x0130) return 'i';
    return c;
}

static int is_alpha_ascii(Py_UCS4 c) { return c >= 'a' && c <= 'z'; }  /* of a folded (lower-case) character */
/* A letter a top-level domain could start with (url._DOT_LETTERS): Latin, Greek, Cyrillic or Armenian. */
/* A character of hosts.LABEL_CHARS past ASCII: Latin extensions, IPA, Greek, Cyrillic, Armenian, Cherokee,
 * phonetic and letter-like symbols, circled and mathematical letters. */
static int is_label_char(Py_UCS4 c) {
    return (c >= 0xC0 && c <= 0x2AF) || (c >= 0x370 && c <= 0x58F) || (c >= 0x13A0 && c <= 0x13FF)
        || (c >= 0x1D00 && c <= 0x1DBF) || (c >= 0x1E00 && c <= 0x1FFF) || (c >= 0x2100 && c <= 0x214F)
        || (c >= 0x24B6 && c <= 0x24E9) || (c >= 0xA640 && c <= 0xA69F) || (c >= 0xAB30 && c <= 0xAB6F)
        || (c >= 0x1D400 && c <= 0x1D7FF);
}
static int is_tld_letter(Py_UCS4 c) { return is_alpha_ascii(c) || (c >= 0x370 && c <= 0x58F); }
static int is_re_space(Py_UCS4 c) {
    /* \s of Python's re in a str pattern: \t \n \v \f \r, 0x1c-0x1f, space, and Unicode's white space. */
    return c == ' ' || (c >= 9 && c <= 13) || (c >= 0x1c && c <= 0x1f) || (c >= 128 && Py_UNICODE_ISSPACE(c));
}
static int is_digitish(Py_UCS4 c) {
    return (c >= '0' && c <= '9') || c == 'o' || (c >= 128 && (Py_UNICODE_ISDIGIT(c) || Py_UNICODE_ISNUMERIC(c)
                                                               || c == 0x5E7A));
}
static int is_separator(Py_UCS4 c) {
    return is_re_space(c) || c == '(' || c == ')' || c == '.' || c == '-' || c == '/' || (c >= 0x2010 && c <= 0x2015)
        || (c >= 0x2190 && c <= 0x2BFF) || (c >= 0x3200 && c <= 0x32FF) || (c >= 0x1F000 && c <= 0x1FAFF)
        || c == 0xFE0F || c == 0x200D || c == 0x30FC || c == 0x30FB;
}
static int is_dotlike(Py_UCS4 c) {  /* what deobfuscate.EMOJI_DOT takes for a dot */
    return c == 0xB7 || c == 0x2022 || c == 0x2219 || (c >= 0x25A0 && c <= 0x25FF) || (c >= 0x2600 && c <= 0x27BF)
        || (c >= 0x1F300 && c <= 0x1FAFF);
}
static int is_opening(Py_UCS4 c) {
    return c == '[' || c == '(' || c == '{' || c == '<' || c == 0x3010 || c == 0x300C || c == 0x3014;
}

typedef struct { int kind; const void *data; Py_ssize_t n; } ScreenText;

ALWAYS_INLINE Py_UCS4 screen_at(const ScreenText *t, Py_ssize_t i) {
    return i >= 0 && i < t->n ? screen_fold(PyUnicode_READ(t->kind, t->data, i)) : 0;
}

ALWAYS_INLINE int screen_word(const ScreenText *t, Py_ssize_t i, const char *word) {
    for (Py_ssize_t k = 0; word[k]; k++) if (screen_at(t, i + k) != (Py_UCS4)(unsigned char)word[k]) return 0;
    return 1;
}

ALWAYS_INLINE int opening_then(const ScreenText *t, Py_ssize_t i, int mail) {
    /* An opening bracket at i, at most two spaces or tabs, then a dot (mail: an a, ä or @). */
    if (!is_opening(screen_at(t, i))) return 0;
    for (Py_ssize_t k = i + 1; k <= i + 3; k++) {
        Py_UCS4 c = screen_at(t, k);
        if (mail ? (c == 'a' || c == '@' || c == 0xE4 || c == 0xC4) : c == '.') return 1;
        if (c != ' ' && c != '\t') return 0;
    }
    return 0;
}

ALWAYS_INLINE int disguise_after_dot(const ScreenText *t, Py_ssize_t k) {
    /* After a dot, letters a disguise goes on (url._DISGUISED_LABEL): a letter, a space and a letter or digit
     * ("shop.c o m"), or letters up to an opening bracket ("shop.c(o)m", "shop.(c)om"). */
    Py_UCS4 c = screen_at(t, k);
    if (is_alpha_ascii(c) && screen_at(t, k + 1) == ' ') {
        Py_UCS4 d = screen_at(t, k + 2);
        return is_alpha_ascii(d) || (d >= '0' && d <= '9');
    }
    while (is_alpha_ascii(c) || is_label_char(c)) c = screen_at(t, ++k);
    return is_opening(c);
}

/* Of each ASCII character (folded), which checks below it can start: most start none, and each check below
 * is asked only of the characters named here for its bit. */
static const unsigned char SCREEN_STARTS[128] = {
    ['8'] = SCREEN_TOLL_FREE, ['w'] = SCREEN_WEB, ['/'] = SCREEN_WEB, ['d'] = SCREEN_WEB, ['p'] = SCREEN_WEB,
    ['.'] = SCREEN_WEB, ['['] = SCREEN_WEB | SCREEN_MAIL, ['('] = SCREEN_WEB | SCREEN_MAIL,
    ['{'] = SCREEN_WEB | SCREEN_MAIL, ['<'] = SCREEN_WEB | SCREEN_MAIL, ['@'] = SCREEN_MAIL, ['a'] = SCREEN_MAIL,
    ['c'] = SCREEN_MAIL, ['k'] = SCREEN_MAIL, [' '] = SCREEN_MAIL, ['z'] = SCREEN_AMAZONISH, ['2'] = SCREEN_AMAZONISH,
};

static int screen_amazonish_after(Py_UCS4 c) { return c == 'o' || c == '0' || c == 'm' || c == 'n' || c == 'r'; }

ALWAYS_INLINE int screen_next_is(const ScreenText *t, Py_ssize_t i, char a, char b) {
    /* The cheap first test of a word: its second character (one of two). */
    Py_UCS4 c = screen_at(t, i + 1);
    return c == (Py_UCS4)a || c == (Py_UCS4)b;
}

/* ASCII characters the scan below does nothing with but remember, outside a run of digits: no digit (an "O" is
 * one, an "o" is not), and none that starts a check (SCREEN_STARTS). Worked out when the module loads. */
static unsigned char SCREEN_QUIET[256];

static void screen_init(void) {
    for (Py_UCS4 c = 0; c < 128; c++) {
        Py_UCS4 folded = c >= 'A' && c <= 'Z' ? c + 32 : c;
        SCREEN_QUIET[c] = !SCREEN_STARTS[folded] && !(is_digitish(c) && c != 'o') && c != 'O';
    }
}

/* Whether a character of text of one byte a character, outside a run of digits, can do anything in the scan
 * below: one that starts a check does only before the next character that check needs (a space starts only
 * " at ", a "d" only "dot", a "p" only "punkt", "punto", "point" or "pkt", ...). */
ALWAYS_INLINE int screen_stops_at(const Py_UCS1 *s, Py_ssize_t j, Py_ssize_t n) {
    Py_UCS1 x = s[j];
    if (SCREEN_QUIET[x]) return 0;
    Py_UCS1 y = j + 1 < n ? s[j + 1] : 0;
    if (y >= 'A' && y <= 'Z') y += 32;
    switch (x >= 'A' && x <= 'Z' ? x + 32 : x) {
        case ' ': return y == 'a';
        case 'a': return y == 'r' || y == 't';
        case 'c': return y == 'h';
        case 'k': return y == 'l';
        case 'd': return y == 'o';
        case 'p': return y == 'u' || y == 'o' || y == 'k';
        case 'w': return y == 'w';
        case 'z': return y == 'o' || y == '0' || y == 'm' || y == 'n' || y == 'r';
        default: return 1;
    }
}

ALWAYS_INLINE long screen_scan(const int kind, const void *data, Py_ssize_t n) {
    const ScreenText t = {kind, data, n};
    const int all = SCREEN_DIGITS | SCREEN_TOLL_FREE | SCREEN_WEB | SCREEN_MAIL | SCREEN_AMAZONISH;
    long bits = 0;
    int run = 0, gap = 0, spaced_at = 0;
    Py_UCS4 before = 0, raw, c = 0;
    for (Py_ssize_t i = 0; i < t.n && bits != all; before = c, i++) {
        if (kind == PyUnicode_1BYTE_KIND && run == 0) {
            /* Most of a text: words and spaces, read at a byte a step until something could count. */
            const Py_UCS1 *s = data;
            Py_ssize_t j = i;
            while (j < t.n && !screen_stops_at(s, j, t.n)) j++;
            if (j > i) {
                c = screen_fold(s[j - 1]);
                i = j - 1;  /* the loop's step makes the last of them ``before`` */
                continue;
            }
        }
        raw = PyUnicode_READ(t.kind, t.data, i);
        c = screen_fold(raw);
        if (c >= 'a' && c <= 'z' && c != 'o') {
            run = 0;  /* most characters: a letter, which ends a run of digits */
        } else if (is_digitish(c) && (c != 'o' || raw == 'O' || raw == 0xFF2F)) {  /* an O, not an o, is a 0 */
            run = run > 0 && gap <= 3 ? run + 1 : 1;
            gap = 0;
            if (run >= 7) bits |= SCREEN_DIGITS;
        } else if (is_separator(c)) {
            if (run > 0 && ++gap > 3) run = 0;
        } else {
            run = 0;
        }
        long starts = c < 128 ? SCREEN_STARTS[c] & ~bits : all & ~bits;
        if (!starts) continue;
        /* Each check is asked only of the characters that can start it: a space, an "a" or a "c" only the mail
         * check, a "d", "p" or "." only the web address one (any character past ASCII all of them). */
        if ((starts & SCREEN_TOLL_FREE) && raw == '8' && i + 2 < t.n) {
            Py_UCS4 d = PyUnicode_READ(t.kind, t.data, i + 1);
            if (d == PyUnicode_READ(t.kind, t.data, i + 2) && (d == '0' || (d >= '3' && d <= '8')))
                bits |= SCREEN_TOLL_FREE;
        }
        if (starts & SCREEN_WEB) {
            if ((c == 'w' && screen_next_is(&t, i, 'w', 'w') && screen_word(&t, i, "www"))
                || (c == '/' && screen_at(&t, i + 1) == '/')
                || (c == 'd' && screen_next_is(&t, i, 'o', 'o') && screen_word(&t, i, "dot"))
                || (c == 'p' && screen_next_is(&t, i, 'u', 'o') && (screen_word(&t, i, "punkt")
                    || screen_word(&t, i, "punto") || screen_word(&t, i, "point")))
                || (c == 'p' && screen_next_is(&t, i, 'k', 'k') && screen_at(&t, i + 2) == 't')
                || c == 0x70B9 || c == 0x9EDE || c == 0x30C9 || (c == 0x3066 && screen_at(&t, i + 1) == 0x3093)
                || ((c == '.' || (is_dotlike(c) && before < 128)) && (before == '_' || (before >= '0' && before <= '9')
                    || is_alpha_ascii(before) || (before >= 128 && Py_UNICODE_ISALNUM(before))
                    || (c == '.' && (before == '-' || is_label_char(before))))
                    && (c == '.' ? (is_tld_letter(screen_at(&t, i + 1)) && is_tld_letter(screen_at(&t, i + 2)))
                                   || disguise_after_dot(&t, i + 1)
                        : is_alpha_ascii(screen_at(&t, i + 1 + (screen_at(&t, i + 1) == 0xFE0F)))))
                || (c == '.' && (before == ' ' || before == '\t'))
                || (is_opening(c) && opening_then(&t, i, 0)))
                bits |= SCREEN_WEB;
        }
        if ((starts & SCREEN_MAIL) && c == ' ') {  /* most of them: a space, which can only start " at " */
            if (screen_next_is(&t, i, 'a', 'a') && screen_word(&t, i, " at ")) spaced_at = 1;
        } else if (starts & SCREEN_MAIL) {
            if (c == '@' || (c == 'a' && screen_next_is(&t, i, 'r', 't') && (screen_word(&t, i, "arroba")
                                                                            || screen_word(&t, i, "arobase")
                                                                            || screen_word(&t, i, "atmark")))
                || (c == 'c' && screen_next_is(&t, i, 'h', 'h') && screen_word(&t, i, "chiocciola"))
                || (c == 'k' && screen_next_is(&t, i, 'l', 'l') && screen_word(&t, i, "klammeraffe"))
                || ((c == 0xE4 || c == 0xC4) && screen_at(&t, i + 1) == 't')
                || c == 0x30A2 || c == 0x3042 || c == 0x827E || c == 0x2605 || c == 0x2606
                || (is_opening(c) && opening_then(&t, i, 1)))
                bits |= SCREEN_MAIL;
            else if (c == ' ' && screen_next_is(&t, i, 'a', 'a') && screen_word(&t, i, " at "))
                spaced_at = 1;
        }
        if ((starts & SCREEN_AMAZONISH) && (c == 'z' || c == '2') && screen_amazonish_after(screen_at(&t, i + 1))) {
            for (Py_ssize_t k = i - 6 < 0 ? 0 : i - 6; k + 2 <= i; k++) {
                Py_UCS4 a = screen_at(&t, k), b = screen_at(&t, k + 1);
                if ((a == 'a' || a == '4' || a == '@') && (b == 'm' || b == 'n' || b == 'r')) {
                    bits |= SCREEN_AMAZONISH;
                    break;
                }
            }
        }
    }
    /* A spelled " at " is an address only with a disguised dot, each of which sets WEB (email.gate). */
    if (spaced_at && (bits & SCREEN_WEB)) bits |= SCREEN_MAIL;
    return bits;
}

static long screen_scan_1(const void *data, Py_ssize_t n) { return screen_scan(PyUnicode_1BYTE_KIND, data, n); }
static long screen_scan_2(const void *data, Py_ssize_t n) { return screen_scan(PyUnicode_2BYTE_KIND, data, n); }
static long screen_scan_4(const void *data, Py_ssize_t n) { return screen_scan(PyUnicode_4BYTE_KIND, data, n); }

static long screen_of(PyObject *text) {  /* text: a str */
    int kind = PyUnicode_KIND(text);
    const void *data = PyUnicode_DATA(text);
    Py_ssize_t n = PyUnicode_GET_LENGTH(text);
    return BY_KIND(kind, screen_scan_1(data, n), screen_scan_2(data, n), screen_scan_4(data, n));
}

static PyObject *screen_text(PyObject *self, PyObject *text) {
    if (!PyUnicode_Check(text)) {
        PyErr_SetString(PyExc_TypeError, "screen() takes a str");
        return NULL;
    }
    return PyLong_FromLong(screen_of(text));
}

/* screen_each(texts): (the bits of screen() of each text, or-ed; a tuple of each text's bits): a listing's fields,
 * screened one by one (a hit is never spread over two fields), without joining them. A detector whose bits the
 * listing holds then puts through its gate only the fields holding them (kinds/detector.py). */
static PyObject *screen_each(PyObject *self, PyObject *texts) {
    PyObject *seq = PySequence_Fast(texts, "screen_each() takes a sequence of strs");
    if (seq == NULL) return NULL;
    long bits = 0;
    Py_ssize_t count = PySequence_Fast_GET_SIZE(seq);
    PyObject *each = PyTuple_New(count);
    if (each == NULL) {
        Py_DECREF(seq);
        return NULL;
    }
    for (Py_ssize_t k = 0; k < count; k++) {
        PyObject *text = PySequence_Fast_GET_ITEM(seq, k);
        if (!PyUnicode_Check(text)) {
            Py_DECREF(seq);
            Py_DECREF(each);
            PyErr_SetString(PyExc_TypeError, "screen_each() takes a sequence of strs");
            return NULL;
        }
        long one = screen_of(text);
        PyObject *x = PyLong_FromLong(one);
        if (x == NULL) {
            Py_DECREF(seq);
            Py_DECREF(each);
            return NULL;
        }
        PyTuple_SET_ITEM(each, k, x);
        bits |= one;
    }
    Py_DECREF(seq);
    return Py_BuildValue("(lN)", bits, each);
}

/* ---- word frequencies: wordfreq's lists as two sorted arrays (brand_words.ZipfTable) ----
 *
 * A word is looked up by a 64-bit hash of its characters (FNV-1a, then mixed), the same in every process, so a
 * table can be kept in the cache folder. Building the arrays here takes a language's 30,000 words in about two
 * milliseconds, where hashing and sorting them in Python took twenty. */

static int64_t word_hash_of(PyObject *word) {
    int kind = PyUnicode_KIND(word);
    const void *data = PyUnicode_DATA(word);
    Py_ssize_t n = PyUnicode_GET_LENGTH(word);
    uint64_t h = FNV_START;
    for (Py_ssize_t i = 0; i < n; i++) h = fnv_step(h, PyUnicode_READ(kind, data, i));
    return (int64_t)fnv_end(h);
}

static PyObject *word_hash(PyObject *self, PyObject *word) {
    if (!PyUnicode_Check(word)) {
        PyErr_SetString(PyExc_TypeError, "word_hash() takes a str");
        return NULL;
    }
    return PyLong_FromLongLong((long long)word_hash_of(word));
}

typedef struct { int64_t hash; uint16_t bucket; } HashedWord;

static int hashed_word_order(const void *a, const void *b) {
    const HashedWord *x = a, *y = b;
    if (x->hash != y->hash) return x->hash < y->hash ? -1 : 1;
    return (x->bucket > y->bucket) - (x->bucket < y->bucket);
}

static PyObject *zipf_arrays(PyObject *self, PyObject *lists) {
    /* lists[i]: the words of bucket i. Returns (hashes, buckets) as native int64 and uint16 bytes, sorted by
     * hash; a word in two buckets keeps the lower (more frequent) one. */
    PyObject *seq = PySequence_Fast(lists, "zipf_arrays() takes a sequence of lists of words");
    if (seq == NULL) return NULL;
    Py_ssize_t nb = PySequence_Fast_GET_SIZE(seq), total = 0;
    if (nb > 65535) { Py_DECREF(seq); PyErr_SetString(PyExc_ValueError, "too many buckets"); return NULL; }
    for (Py_ssize_t i = 0; i < nb; i++) {
        PyObject *bucket = PySequence_Fast_GET_ITEM(seq, i);
        if (!PyList_Check(bucket)) {
            Py_DECREF(seq);
            PyErr_SetString(PyExc_TypeError, "each bucket must be a list");
            return NULL;
        }
        total += PyList_GET_SIZE(bucket);
    }
    HashedWord *all = PyMem_Malloc((size_t)(total ? total : 1) * sizeof(HashedWord));
    if (all == NULL) { Py_DECREF(seq); return PyErr_NoMemory(); }
    Py_ssize_t n = 0;
    for (Py_ssize_t i = 0; i < nb; i++) {
        PyObject *bucket = PySequence_Fast_GET_ITEM(seq, i);
        for (Py_ssize_t k = 0; k < PyList_GET_SIZE(bucket); k++) {
            PyObject *word = PyList_GET_ITEM(bucket, k);
            if (!PyUnicode_Check(word)) {
                PyMem_Free(all);
                Py_DECREF(seq);
                PyErr_SetString(PyExc_TypeError, "each word must be a str");
                return NULL;
            }
            all[n].hash = word_hash_of(word);
            all[n].bucket = (uint16_t)i;
            n++;
        }
    }
    Py_DECREF(seq);
    qsort(all, (size_t)n, sizeof(HashedWord), hashed_word_order);
    Py_ssize_t kept = 0;
    for (Py_ssize_t i = 0; i < n; i++)
        if (kept == 0 || all[kept - 1].hash != all[i].hash) all[kept++] = all[i];
    PyObject *hashes = PyBytes_FromStringAndSize(NULL, kept * (Py_ssize_t)sizeof(int64_t));
    PyObject *buckets = PyBytes_FromStringAndSize(NULL, kept * (Py_ssize_t)sizeof(uint16_t));
    if (hashes == NULL || buckets == NULL) {
        Py_XDECREF(hashes);
        Py_XDECREF(buckets);
        PyMem_Free(all);
        return NULL;
    }
    int64_t *h = (int64_t *)PyBytes_AS_STRING(hashes);
    uint16_t *b = (uint16_t *)PyBytes_AS_STRING(buckets);
    for (Py_ssize_t i = 0; i < kept; i++) {
        h[i] = all[i].hash;
        b[i] = all[i].bucket;
    }
    PyMem_Free(all);
    return Py_BuildValue("(NN)", hashes, buckets);
}

/* typo_table(words): the misspellings of each word (lexicon.Language.typos, whose Python twin is
 * lexicon.py_typo_table). words maps each word (four letters or more) to its key; the result maps each
 * variant with two letters swapped or, for words of five letters or more, one letter left out (never the
 * first letter) to the key of the word it misspells. A variant of two words with different keys is left
 * out. Made in C because the first copy read in every language (a short title with no stop words) made the
 * seven stemmed languages' variants in Python: 32 ms of its lint. */
static int typo_add(PyObject *typos, PyObject *empty, const Py_UCS4 *buf, Py_ssize_t len, PyObject *key) {
    PyObject *variant = PyUnicode_FromKindAndData(PyUnicode_4BYTE_KIND, buf, len);
    if (variant == NULL) return -1;
    PyObject *known = PyDict_SetDefault(typos, variant, key);  /* one look-up: the key, unless one is there */
    int rc = -1;
    if (known != NULL) {
        int same = known == key ? 1 : PyObject_RichCompareBool(known, key, Py_EQ);
        rc = same < 0 ? -1 : same ? 0 : PyDict_SetItem(typos, variant, empty);
    }
    Py_DECREF(variant);
    return rc;
}

static PyObject *typo_table(PyObject *self, PyObject *words) {
    if (!PyDict_Check(words)) {
        PyErr_SetString(PyExc_TypeError, "typo_table() takes a dict of words to keys");
        return NULL;
    }
    PyObject *typos = PyDict_New(), *empty = PyUnicode_New(0, 0), *out = NULL;
    Py_UCS4 *buf = NULL;
    Py_ssize_t cap = 0, pos = 0;
    PyObject *word, *key;
    if (typos == NULL || empty == NULL) goto done;
    while (PyDict_Next(words, &pos, &word, &key)) {
        if (!PyUnicode_Check(word) || !PyUnicode_Check(key)) {
            PyErr_SetString(PyExc_TypeError, "typo_table() takes a dict of str to str");
            goto done;
        }
        Py_ssize_t n = PyUnicode_GET_LENGTH(word);
        if (n + 1 > cap) {
            PyMem_Free(buf);
            cap = 2 * n + 16;
            buf = PyMem_Malloc((size_t)cap * 2 * sizeof(Py_UCS4));
            if (buf == NULL) { PyErr_NoMemory(); goto done; }
        }
        Py_UCS4 *w = buf + cap, *v = buf;  /* the word, and the variant made from it */
        if (PyUnicode_AsUCS4(word, w, cap, 0) == NULL) goto done;
        for (Py_ssize_t i = 1; i + 1 < n; i++) {
            if (w[i] == w[i + 1]) continue;  /* the word itself is no misspelling of it */
            memcpy(v, w, (size_t)n * sizeof(Py_UCS4));
            v[i] = w[i + 1];
            v[i + 1] = w[i];
            if (typo_add(typos, empty, v, n, key) < 0) goto done;
        }
        if (n >= 5) {
            for (Py_ssize_t i = 1; i < n; i++) {
                memcpy(v, w, (size_t)i * sizeof(Py_UCS4));
                memcpy(v + i, w + i + 1, (size_t)(n - i - 1) * sizeof(Py_UCS4));
                if (typo_add(typos, empty, v, n - 1, key) < 0) goto done;
            }
        }
    }
    out = PyDict_New();
    if (out == NULL) goto done;
    pos = 0;
    PyObject *variant, *meant;
    while (PyDict_Next(typos, &pos, &variant, &meant)) {
        if (PyUnicode_GET_LENGTH(meant) > 0 && PyDict_SetItem(out, variant, meant) < 0) {
            Py_CLEAR(out);
            goto done;
        }
    }
done:
    PyMem_Free(buf);
    Py_XDECREF(typos);
    Py_XDECREF(empty);
    return out;
}

/* file_brands(names, own_keys): the competitor matcher's tables (detectors/brand.py; its Python twin is
 * brand.py_file_brands). names: the competitor names, stripped, each once. A name is kept unless it has no
 * word (a \w+ run as Python's re reads one), its words run together are a number, or, case-folded, one of
 * own_keys. Returns (kept, exact, folded, upper, cjk): the names kept, in order; three dicts keyed by a name's
 * first word as written, and its words run together when it has several (exact), the same case-folded (folded)
 * and in capitals where that differs (upper), each holding the place in kept of the one name it files or a list
 * of the places of the names, longest name first; and the places of names written in CJK characters, which are
 * filed in none. Made in C because a pre-commit hook or an editor with a list of 20,000 names filed them on
 * every start: 86 ms in Python. */
static PyObject *key_cased(PyObject *key, int upper) {
    if (!PyUnicode_IS_ASCII(key)) return PyObject_CallMethod(key, upper ? "upper" : "casefold", NULL);
    Py_ssize_t n = PyUnicode_GET_LENGTH(key);
    PyObject *out = PyUnicode_New(n, 127);
    if (out == NULL) return NULL;
    const Py_UCS1 *src = PyUnicode_1BYTE_DATA(key);
    Py_UCS1 *dst = PyUnicode_1BYTE_DATA(out);
    for (Py_ssize_t i = 0; i < n; i++) {
        Py_UCS1 c = src[i];
        dst[i] = upper ? (c >= 'a' && c <= 'z' ? c - 32 : c) : (c >= 'A' && c <= 'Z' ? c + 32 : c);
    }
    return out;
}

static int file_key(PyObject *table, PyObject *key, PyObject *position) {
    /* A key filing one name holds its place; a list is made for the second (most keys file one name). */
    PyObject *found = PyDict_SetDefault(table, key, position);
    if (found == NULL) return -1;
    if (found == position) return 0;
    if (PyList_CheckExact(found)) return PyList_Append(found, position);
    PyObject *list = PyList_New(2);
    if (list == NULL) return -1;
    Py_INCREF(found);
    Py_INCREF(position);
    PyList_SET_ITEM(list, 0, found);
    PyList_SET_ITEM(list, 1, position);
    int rc = PyDict_SetItem(table, key, list);
    Py_DECREF(list);
    return rc;
}

static int is_cjk(Py_UCS4 c) {  /* brand.CJK */
    return (c >= 0x3040 && c <= 0x30FF) || (c >= 0x3400 && c <= 0x9FFF) || (c >= 0xAC00 && c <= 0xD7AF);
}

typedef struct { Py_ssize_t length, place; PyObject *item; } Filed;

static int longest_first(const void *a, const void *b) {
    const Filed *x = a, *y = b;
    if (x->length != y->length) return x->length > y->length ? -1 : 1;
    return (x->place > y->place) - (x->place < y->place);  /* stable: names of one length keep their order */
}

static int sort_longest_first(PyObject *table, PyObject *kept) {
    Py_ssize_t pos = 0;
    PyObject *key, *list;
    while (PyDict_Next(table, &pos, &key, &list)) {
        if (!PyList_CheckExact(list)) continue;
        Py_ssize_t n = PyList_GET_SIZE(list);
        Filed *order = PyMem_Malloc((size_t)n * sizeof(Filed));
        if (order == NULL) { PyErr_NoMemory(); return -1; }
        for (Py_ssize_t i = 0; i < n; i++) {
            PyObject *item = PyList_GET_ITEM(list, i);
            order[i].length = PyUnicode_GET_LENGTH(PyList_GET_ITEM(kept, PyLong_AsSsize_t(item)));
            order[i].place = i;
            order[i].item = item;
        }
        qsort(order, (size_t)n, sizeof(Filed), longest_first);
        for (Py_ssize_t i = 0; i < n; i++) PyList_SET_ITEM(list, i, order[i].item);  /* the same references */
        PyMem_Free(order);
    }
    return 0;
}

static PyObject *file_brands(PyObject *self, PyObject *args) {
    PyObject *names, *own_keys;
    if (!PyArg_ParseTuple(args, "O!O:file_brands", &PyList_Type, &names, &own_keys)) return NULL;
    if (!PyAnySet_Check(own_keys)) {
        PyErr_SetString(PyExc_TypeError, "file_brands() takes a set of own keys");
        return NULL;
    }
    int check_own = PySet_GET_SIZE(own_keys) > 0;
    PyObject *kept = PyList_New(0), *exact = PyDict_New(), *folded = PyDict_New(), *upper = PyDict_New();
    PyObject *cjk = PyList_New(0), *result = NULL;
    Py_UCS4 *buf = NULL;
    Py_ssize_t cap = 0;
    if (kept == NULL || exact == NULL || folded == NULL || upper == NULL || cjk == NULL) goto done;
    for (Py_ssize_t k = 0; k < PyList_GET_SIZE(names); k++) {
        PyObject *raw = PyList_GET_ITEM(names, k);
        if (!PyUnicode_Check(raw)) {
            PyErr_SetString(PyExc_TypeError, "file_brands() takes a list of str");
            goto done;
        }
        Py_ssize_t n = PyUnicode_GET_LENGTH(raw), runs = 0, words = 0, s0 = -1, e0 = -1;
        int kind = PyUnicode_KIND(raw), digits = 1, wide = 0;
        const void *data = PyUnicode_DATA(raw);
        if (n > cap) {
            PyMem_Free(buf);
            cap = n + 64;
            buf = PyMem_Malloc((size_t)cap * sizeof(Py_UCS4));
            if (buf == NULL) { PyErr_NoMemory(); goto done; }
        }
        for (Py_ssize_t i = 0; i < n;) {
            if (!is_word_char(PyUnicode_READ(kind, data, i))) { i++; continue; }
            Py_ssize_t start = i;
            for (; i < n && is_word_char(PyUnicode_READ(kind, data, i)); i++) {
                Py_UCS4 c = PyUnicode_READ(kind, data, i);
                buf[words++] = c;
                if (!Py_UNICODE_ISDIGIT(c)) digits = 0;
                if (c >= 128 && is_cjk(c)) wide = 1;
            }
            if (runs++ == 0) { s0 = start; e0 = i; }
        }
        if (runs == 0 || digits) continue;  /* no word; or a number ("42"): a size or a count, not a brand */
        if (!wide && !PyUnicode_IS_ASCII(raw))
            for (Py_ssize_t i = 0; i < n && !wide; i++) wide = is_cjk(PyUnicode_READ(kind, data, i));
        PyObject *first = (s0 == 0 && e0 == n) ? (Py_INCREF(raw), raw) : PyUnicode_Substring(raw, s0, e0);
        PyObject *joined = runs == 1 ? (Py_XINCREF(first), first)
                                     : PyUnicode_FromKindAndData(PyUnicode_4BYTE_KIND, buf, words);
        PyObject *position = NULL;
        int rc = -1;
        if (first == NULL || joined == NULL) goto name_done;
        if (check_own) {
            PyObject *key = key_cased(joined, 0);
            if (key == NULL) goto name_done;
            int own = PySet_Contains(own_keys, key);
            Py_DECREF(key);
            if (own < 0) goto name_done;
            if (own) { rc = 0; goto name_done; }
        }
        position = PyLong_FromSsize_t(PyList_GET_SIZE(kept));
        if (position == NULL || PyList_Append(kept, raw) < 0) goto name_done;
        if (wide) {
            rc = PyList_Append(cjk, position);
            goto name_done;
        }
        for (int which = 0; which < (runs == 1 ? 1 : 2); which++) {
            PyObject *key = which == 0 ? first : joined;
            if (file_key(exact, key, position) < 0) goto name_done;
            PyObject *cased = key_cased(key, 0);
            if (cased == NULL) goto name_done;
            int filed = file_key(folded, cased, position);
            Py_DECREF(cased);
            if (filed < 0) goto name_done;
            cased = key_cased(key, 1);
            if (cased == NULL) goto name_done;
            int same = PyUnicode_Compare(cased, key);
            filed = same == -1 && PyErr_Occurred() ? -1 : same != 0 ? file_key(upper, cased, position) : 0;
            Py_DECREF(cased);
            if (filed < 0) goto name_done;
        }
        rc = 0;
    name_done:
        Py_XDECREF(position);
        Py_XDECREF(first);
        Py_XDECREF(joined);
        if (rc < 0) goto done;
    }
    if (sort_longest_first(exact, kept) < 0 || sort_longest_first(folded, kept) < 0
            || sort_longest_first(upper, kept) < 0)
        goto done;
    result = PyTuple_Pack(5, kept, exact, folded, upper, cjk);
done:
    PyMem_Free(buf);
    Py_XDECREF(kept);
    Py_XDECREF(exact);
    Py_XDECREF(folded);
    Py_XDECREF(upper);
    Py_XDECREF(cjk);
    return result;
}

/* TextKey and Classifier: a language's first look at a token of copy it has not met. Their Python twins are
 * lexicon.Language.text_key and concept_gate._Language.classify, which they call for the few tokens they cannot
 * decide alone; the twins alone say what those are. In Python each new token cost about 9 us a language, a
 * quarter of the lint of copy never met before; nine tokens in ten are decided here.
 *
 * TextKey(stem, word_keys, typos, words, heads, slow)(token) is text_key: the token's stem (the token itself
 * when stem is None), unless it may misspell a lexicon word: a misspelling found is judged by word frequencies,
 * so that token goes to slow (text_key itself). */
typedef struct {
    PyObject_HEAD
    vectorcallfunc vectorcall;
    PyObject *stem;          /* the stemmer's stemWord, or None: the token is its own key */
    PyObject *word_keys;     /* set: every key a lexicon word has */
    PyObject *typos;         /* dict: misspelling -> key */
    PyObject *words;         /* dict: lexicon word of four letters or more -> key */
    PyObject *slow;          /* text_key */
    uint64_t *head_slots;    /* the heads set, hashed (heads_fill) */
    size_t head_cap;
} TextKey;

static int all_alpha(PyObject *s) {
    Py_ssize_t n = PyUnicode_GET_LENGTH(s);
    int kind = PyUnicode_KIND(s);
    const void *data = PyUnicode_DATA(s);
    if (n == 0) return 0;
    for (Py_ssize_t i = 0; i < n; i++)
        if (!Py_UNICODE_ISALPHA(PyUnicode_READ(kind, data, i))) return 0;
    return 1;
}

/* The heads set holds (first, second, last letter, length) of each lexicon word; here as 64-bit hashes in an
 * open-addressed table, so a token's three heads are looked up without making a tuple. A hash shared by chance
 * lets a token try its cuts, which finds nothing the heads would not have let it find: a cut that is a lexicon
 * word has one of the three heads. */
static uint64_t head_hash(Py_UCS4 a, Py_UCS4 b, Py_UCS4 z, Py_ssize_t n) {
    uint64_t h = 1469598103934665603ULL;
    uint64_t parts[4] = {a, b, z, (uint64_t)n};
    for (int k = 0; k < 4; k++) h = (h ^ parts[k]) * 1099511628211ULL, h ^= h >> 29;
    return h | 1;  /* never 0, which marks an empty slot */
}

static int heads_has(const TextKey *t, uint64_t h) {
    for (size_t i = (size_t)h & (t->head_cap - 1);; i = (i + 1) & (t->head_cap - 1)) {
        if (t->head_slots[i] == h) return 1;
        if (t->head_slots[i] == 0) return 0;
    }
}

static int heads_fill(TextKey *t, PyObject *heads) {
    Py_ssize_t count = PySet_GET_SIZE(heads);
    size_t cap = 16;
    while (cap < (size_t)count * 2 + 16) cap <<= 1;
    uint64_t *slots = PyMem_Calloc(cap, sizeof(uint64_t));
    if (slots == NULL) { PyErr_NoMemory(); return -1; }
    PyObject *items = PyObject_GetIter(heads), *item;
    if (items == NULL) {
        PyMem_Free(slots);
        return -1;
    }
    while ((item = PyIter_Next(items)) != NULL) {
        Py_ssize_t n = -1;
        Py_UCS4 ch[3];
        int ok = PyTuple_Check(item) && PyTuple_GET_SIZE(item) == 4
                 && (n = PyLong_AsSsize_t(PyTuple_GET_ITEM(item, 3))) >= 0;
        for (int k = 0; k < 3 && ok; k++) {
            PyObject *letter = PyTuple_GET_ITEM(item, k);
            ok = PyUnicode_Check(letter) && PyUnicode_GET_LENGTH(letter) == 1;
            if (ok) ch[k] = PyUnicode_READ_CHAR(letter, 0);
        }
        Py_DECREF(item);
        if (!ok) {
            if (!PyErr_Occurred()) PyErr_SetString(PyExc_TypeError, "TextKey: heads holds (str, str, str, int)");
            break;
        }
        uint64_t h = head_hash(ch[0], ch[1], ch[2], n);
        size_t i = (size_t)h & (cap - 1);
        while (slots[i] != 0 && slots[i] != h) i = (i + 1) & (cap - 1);
        slots[i] = h;
    }
    Py_DECREF(items);
    if (PyErr_Occurred()) {
        PyMem_Free(slots);
        return -1;
    }
    PyMem_Free(t->head_slots);
    t->head_slots = slots;
    t->head_cap = cap;
    return 0;
}

/* Whether the word with one letter but its first cut out is a lexicon word (``words``). */
static int cut_is_word(const TextKey *t, PyObject *word) {
    Py_ssize_t len = PyUnicode_GET_LENGTH(word);
    for (Py_ssize_t i = 1; i < len; i++) {
        PyObject *left = PyUnicode_Substring(word, 0, i), *right = PyUnicode_Substring(word, i + 1, len);
        PyObject *cut = left && right ? PyUnicode_Concat(left, right) : NULL;
        Py_XDECREF(left);
        Py_XDECREF(right);
        if (cut == NULL) return -1;
        int found = PyDict_Contains(t->words, cut);
        Py_DECREF(cut);
        if (found) return found;
    }
    return 0;
}

/* The token's key, as text_key gives it; NULL with *undecided set when it may be a misspelling (text_key's to
 * judge), NULL without it on an error. */
static PyObject *textkey_fast(const TextKey *t, PyObject *word, int *undecided) {
    if (t->stem == Py_None) return Py_NewRef(word);
    PyObject *key = PyObject_CallOneArg(t->stem, word);
    if (key == NULL) return NULL;
    Py_ssize_t len = PyUnicode_GET_LENGTH(word);
    int known = PySet_Contains(t->word_keys, key);
    if (known < 0) goto fail;
    if (known || len < 4 || !all_alpha(word)) return key;
    /* meant = typos.get(word) or typos.get(key) */
    PyObject *meant = PyDict_GetItemWithError(t->typos, word);  /* borrowed */
    int truth = meant == NULL ? 0 : PyObject_IsTrue(meant);
    if (truth < 0 || (meant == NULL && PyErr_Occurred())) goto fail;
    if (!truth) {
        meant = PyDict_GetItemWithError(t->typos, key);
        if (meant == NULL && PyErr_Occurred()) goto fail;
    }
    if (meant != NULL) goto undecided;
    Py_ssize_t n = len - 1;
    if (n >= 4) {
        int kind = PyUnicode_KIND(word);
        const void *data = PyUnicode_DATA(word);
        Py_UCS4 w0 = PyUnicode_READ(kind, data, 0), w1 = PyUnicode_READ(kind, data, 1);
        Py_UCS4 w2 = PyUnicode_READ(kind, data, 2), last = PyUnicode_READ(kind, data, len - 1);
        Py_UCS4 before = PyUnicode_READ(kind, data, len - 2);
        if (heads_has(t, head_hash(w0, w1, last, n)) || heads_has(t, head_hash(w0, w2, last, n))
                || heads_has(t, head_hash(w0, w1, before, n))) {
            int cut = cut_is_word(t, word);
            if (cut < 0) goto fail;
            if (cut) goto undecided;
        }
    }
    return key;
undecided:
    *undecided = 1;
fail:
    Py_DECREF(key);
    return NULL;
}

static int one_str(PyObject *const *args, size_t nargsf, PyObject *kwnames, const char *who) {
    if (PyVectorcall_NARGS(nargsf) == 1 && kwnames == NULL && PyUnicode_Check(args[0])) return 1;
    PyErr_Format(PyExc_TypeError, "a %s takes one token (a str)", who);
    return 0;
}

static PyObject *textkey_call(TextKey *t, PyObject *const *args, size_t nargsf, PyObject *kwnames) {
    if (!one_str(args, nargsf, kwnames, "TextKey")) return NULL;
    int undecided = 0;
    PyObject *key = textkey_fast(t, args[0], &undecided);
    return key != NULL || !undecided ? key : PyObject_CallOneArg(t->slow, args[0]);
}

/* keys(words, memo, limit): [the key of each word], as lexicon.Language.keys makes them: from memo (word -> key)
 * when it holds the word, else made and put there while the memo holds fewer than limit words. */
static PyObject *textkey_keys(TextKey *t, PyObject *const *args, Py_ssize_t nargs) {
    if (nargs != 3 || !PyDict_Check(args[1]) || !PyLong_Check(args[2])) {
        PyErr_SetString(PyExc_TypeError, "keys(words, memo: dict, limit: int)");
        return NULL;
    }
    PyObject *memo = args[1];
    Py_ssize_t limit = PyLong_AsSsize_t(args[2]);
    if (limit == -1 && PyErr_Occurred()) return NULL;
    PyObject *seq = PySequence_Fast(args[0], "keys() takes a sequence of words");
    if (seq == NULL) return NULL;
    Py_ssize_t n = PySequence_Fast_GET_SIZE(seq);
    PyObject *out = PyList_New(n);
    if (out == NULL) goto fail;
    for (Py_ssize_t k = 0; k < n; k++) {
        PyObject *word = PySequence_Fast_GET_ITEM(seq, k);
        PyObject *key = PyDict_GetItemWithError(memo, word);  /* borrowed */
        if (key != NULL && key != Py_None) {
            Py_INCREF(key);
        } else {
            if (PyErr_Occurred()) goto fail;
            if (!PyUnicode_Check(word)) {
                PyErr_SetString(PyExc_TypeError, "keys() takes a sequence of str");
                goto fail;
            }
            int undecided = 0;
            key = textkey_fast(t, word, &undecided);
            if (key == NULL && undecided) key = PyObject_CallOneArg(t->slow, word);
            if (key == NULL) goto fail;
            if (PyDict_GET_SIZE(memo) < limit && PyDict_SetItem(memo, word, key) < 0) {
                Py_DECREF(key);
                goto fail;
            }
        }
        PyList_SET_ITEM(out, k, key);
    }
    Py_DECREF(seq);
    return out;
fail:
    Py_DECREF(seq);
    Py_XDECREF(out);
    return NULL;
}

static PyMethodDef textkey_methods[] = {
    {"keys", (PyCFunction)(void (*)(void))textkey_keys, METH_FASTCALL,
     "keys(words, memo, limit): each word's key, from memo or made (and kept while memo holds under limit)."},
    {NULL, NULL, 0, NULL},
};

static int textkey_init(TextKey *t, PyObject *args, PyObject *kwds) {
    PyObject *stem, *word_keys, *typos, *words, *heads, *slow;
    if (!PyArg_ParseTuple(args, "OO!O!O!O!O:TextKey", &stem, &PyFrozenSet_Type, &word_keys, &PyDict_Type, &typos,
                          &PyDict_Type, &words, &PyFrozenSet_Type, &heads, &slow))
        return -1;
    if ((stem != Py_None && !PyCallable_Check(stem)) || !PyCallable_Check(slow)) {
        PyErr_SetString(PyExc_TypeError, "TextKey: stem (or None) and slow must be callables");
        return -1;
    }
    if (heads_fill(t, heads) < 0) return -1;
    Py_XSETREF(t->stem, Py_NewRef(stem));
    Py_XSETREF(t->word_keys, Py_NewRef(word_keys));
    Py_XSETREF(t->typos, Py_NewRef(typos));
    Py_XSETREF(t->words, Py_NewRef(words));
    Py_XSETREF(t->slow, Py_NewRef(slow));
    t->vectorcall = (vectorcallfunc)textkey_call;
    return 0;
}

static int textkey_traverse(TextKey *t, visitproc visit, void *arg) {
    Py_VISIT(t->stem); Py_VISIT(t->word_keys); Py_VISIT(t->typos); Py_VISIT(t->words); Py_VISIT(t->slow);
    return 0;
}

static int textkey_clear(TextKey *t) {
    Py_CLEAR(t->stem); Py_CLEAR(t->word_keys); Py_CLEAR(t->typos); Py_CLEAR(t->words); Py_CLEAR(t->slow);
    return 0;
}

static void textkey_dealloc(TextKey *t) {
    PyObject_GC_UnTrack(t);
    textkey_clear(t);
    PyMem_Free(t->head_slots);
    Py_TYPE(t)->tp_free((PyObject *)t);
}

static PyTypeObject TextKeyType = {
    PyVarObject_HEAD_INIT(NULL, 0)
    .tp_name = "listing_lint.engine._tokens.TextKey",
    .tp_basicsize = sizeof(TextKey),
    .tp_flags = Py_TPFLAGS_DEFAULT | Py_TPFLAGS_HAVE_GC | Py_TPFLAGS_HAVE_VECTORCALL,
    .tp_doc = "TextKey(stem, word_keys, typos, words, heads, slow)(token): lexicon.Language.text_key (see above).",
    .tp_new = PyType_GenericNew,
    .tp_init = (initproc)textkey_init,
    .tp_traverse = (traverseproc)textkey_traverse,
    .tp_clear = (inquiry)textkey_clear,
    .tp_dealloc = (destructor)textkey_dealloc,
    .tp_call = PyVectorcall_Call,
    .tp_vectorcall_offset = offsetof(TextKey, vectorcall),
    .tp_methods = textkey_methods,
};

/* Classifier(language, keys, atoms, prefixes, atom_prefixes, unaccent, slow)(token) is classify: None for a
 * token whose key (language.key_of: a TextKey, asked for at each token, as the language makes a new one when it
 * compiles more entries) files no entry and no atom and whose first two letters, unaccented, start no prefix;
 * slow(token) (classify itself) for any other. */
typedef struct {
    PyObject_HEAD
    vectorcallfunc vectorcall;
    PyObject *language;      /* lexicon.Language */
    PyObject *keys;          /* dict: key -> the entries it files */
    PyObject *atoms;         /* dict: key -> its atom */
    PyObject *prefixes;      /* dict: first two letters -> [(prefix, entry)] */
    PyObject *atom_prefixes; /* dict: first two letters -> [(prefix, atom)] */
    PyObject *unaccent;      /* normalize.unaccent */
    PyObject *slow;          /* classify */
} Classifier;

/* Whether one of the (prefix, n) pairs' prefixes starts the unaccented token, as classify's bare.startswith. */
static int prefix_starts(PyObject *pairs, PyObject *bare) {
    PyObject *seq = PySequence_Fast(pairs, "Classifier: a prefix table holds lists of (prefix, n)");
    if (seq == NULL) return -1;
    int found = 0;
    Py_ssize_t count = PySequence_Fast_GET_SIZE(seq);
    for (Py_ssize_t k = 0; k < count && !found; k++) {
        PyObject *pair = PySequence_Fast_GET_ITEM(seq, k);
        PyObject *prefix = PyTuple_Check(pair) && PyTuple_GET_SIZE(pair) == 2 ? Py_NewRef(PyTuple_GET_ITEM(pair, 0))
                                                                              : PySequence_GetItem(pair, 0);
        if (prefix == NULL) { found = -1; break; }
        if (!PyUnicode_Check(prefix)) {
            PyErr_SetString(PyExc_TypeError, "Classifier: a prefix is a str");
            found = -1;
        } else {
            Py_ssize_t match = PyUnicode_Tailmatch(bare, prefix, 0, PY_SSIZE_T_MAX, -1);
            found = match < 0 ? -1 : match > 0;
        }
        Py_DECREF(prefix);
    }
    Py_DECREF(seq);
    return found;
}

static PyObject *key_of_name;  /* "key_of", interned */

static PyObject *classifier_call(Classifier *c, PyObject *const *args, size_t nargsf, PyObject *kwnames) {
    if (!one_str(args, nargsf, kwnames, "Classifier")) return NULL;
    PyObject *word = args[0];
    PyObject *key_of = PyObject_GetAttr(c->language, key_of_name);
    if (key_of == NULL) return NULL;
    int undecided = 0;
    PyObject *key = Py_IS_TYPE(key_of, &TextKeyType) ? textkey_fast((TextKey *)key_of, word, &undecided)
                                                    : PyObject_CallOneArg(key_of, word);
    Py_DECREF(key_of);
    if (key == NULL) return undecided ? PyObject_CallOneArg(c->slow, word) : NULL;
    /* list(keyed or ()) and [atom]: an entry the key files, or its atom, is the twin's to record. */
    PyObject *keyed = PyDict_GetItemWithError(c->keys, key);  /* borrowed */
    int filed = keyed == NULL ? (PyErr_Occurred() ? -1 : 0) : keyed == Py_None ? 0 : PyObject_IsTrue(keyed);
    if (filed == 0) {
        PyObject *atom = PyDict_GetItemWithError(c->atoms, key);  /* borrowed */
        filed = atom == NULL ? (PyErr_Occurred() ? -1 : 0) : atom != Py_None;
    }
    Py_DECREF(key);
    if (filed < 0) return NULL;
    if (filed) return PyObject_CallOneArg(c->slow, word);
    if (PyUnicode_GET_LENGTH(word) == 0 || !Py_UNICODE_ISALPHA(PyUnicode_READ_CHAR(word, 0))) Py_RETURN_NONE;
    PyObject *bare = PyUnicode_IS_ASCII(word) ? Py_NewRef(word) : PyObject_CallOneArg(c->unaccent, word);
    if (bare == NULL) return NULL;
    PyObject *head = PyUnicode_Check(bare) ? PyUnicode_Substring(bare, 0, 2) : NULL;
    if (head == NULL) {
        if (!PyErr_Occurred()) PyErr_SetString(PyExc_TypeError, "Classifier: unaccent returns a str");
        Py_DECREF(bare);
        return NULL;
    }
    int starts = 0;
    PyObject *starting[2] = {c->prefixes, c->atom_prefixes};
    for (int t = 0; t < 2 && !starts; t++) {
        PyObject *found = PyDict_GetItemWithError(starting[t], head);  /* borrowed: [(prefix, n)] */
        starts = found == NULL ? (PyErr_Occurred() ? -1 : 0) : prefix_starts(found, bare);
    }
    Py_DECREF(head);
    Py_DECREF(bare);
    if (starts < 0) return NULL;
    if (starts) return PyObject_CallOneArg(c->slow, word);
    Py_RETURN_NONE;
}

static int classifier_init(Classifier *c, PyObject *args, PyObject *kwds) {
    PyObject *language, *keys, *atoms, *prefixes, *atom_prefixes, *unaccent, *slow;
    if (!PyArg_ParseTuple(args, "OO!O!O!O!OO:Classifier", &language, &PyDict_Type, &keys, &PyDict_Type, &atoms,
                          &PyDict_Type, &prefixes, &PyDict_Type, &atom_prefixes, &unaccent, &slow))
        return -1;
    if (!PyCallable_Check(unaccent) || !PyCallable_Check(slow)) {
        PyErr_SetString(PyExc_TypeError, "Classifier: unaccent and slow must be callables");
        return -1;
    }
    Py_XSETREF(c->language, Py_NewRef(language));
    Py_XSETREF(c->keys, Py_NewRef(keys));
    Py_XSETREF(c->atoms, Py_NewRef(atoms));
    Py_XSETREF(c->prefixes, Py_NewRef(prefixes));
    Py_XSETREF(c->atom_prefixes, Py_NewRef(atom_prefixes));
    Py_XSETREF(c->unaccent, Py_NewRef(unaccent));
    Py_XSETREF(c->slow, Py_NewRef(slow));
    c->vectorcall = (vectorcallfunc)classifier_call;
    return 0;
}

static int classifier_traverse(Classifier *c, visitproc visit, void *arg) {
    Py_VISIT(c->language); Py_VISIT(c->keys); Py_VISIT(c->atoms); Py_VISIT(c->prefixes);
    Py_VISIT(c->atom_prefixes); Py_VISIT(c->unaccent); Py_VISIT(c->slow);
    return 0;
}

static int classifier_clear(Classifier *c) {
    Py_CLEAR(c->language); Py_CLEAR(c->keys); Py_CLEAR(c->atoms); Py_CLEAR(c->prefixes);
    Py_CLEAR(c->atom_prefixes); Py_CLEAR(c->unaccent); Py_CLEAR(c->slow);
    return 0;
}

static void classifier_dealloc(Classifier *c) {
    PyObject_GC_UnTrack(c);
    classifier_clear(c);
    Py_TYPE(c)->tp_free((PyObject *)c);
}

static PyTypeObject ClassifierType = {
    PyVarObject_HEAD_INIT(NULL, 0)
    .tp_name = "listing_lint.engine._tokens.Classifier",
    .tp_basicsize = sizeof(Classifier),
    .tp_flags = Py_TPFLAGS_DEFAULT | Py_TPFLAGS_HAVE_GC | Py_TPFLAGS_HAVE_VECTORCALL,
    .tp_doc = "Classifier(language, keys, atoms, prefixes, atom_prefixes, unaccent, slow)(token): "
              "concept_gate._Language.classify (see above).",
    .tp_new = PyType_GenericNew,
    .tp_init = (initproc)classifier_init,
    .tp_traverse = (traverseproc)classifier_traverse,
    .tp_clear = (inquiry)classifier_clear,
    .tp_dealloc = (destructor)classifier_dealloc,
    .tp_call = PyVectorcall_Call,
    .tp_vectorcall_offset = offsetof(Classifier, vectorcall),
};

static PyMethodDef methods[] = {
    {"ascii_tokens", (PyCFunction)(void (*)(void))ascii_tokens, METH_FASTCALL,
     "Return normalize.tokenize's tokens of lower-case ASCII text (see the comment above)."},
    {"ascii_token_texts", ascii_token_texts, METH_O,
     "Return the distinct tokens of lower-case ASCII text (as normalize._ASCII_TOKEN_TEXT finds them)."},
    {"word_hash", word_hash, METH_O, "Return a word's 64-bit hash as the word-frequency tables key it."},
    {"zipf_arrays", zipf_arrays, METH_O,
     "Return (hashes, buckets) of lists of words per bucket as native int64 and uint16 bytes, sorted by hash."},
    {"file_brands", file_brands, METH_VARARGS,
     "Return (kept, exact, folded, upper, cjk): the competitor matcher's tables (see brand.py_file_brands)."},
    {"typo_table", typo_table, METH_O,
     "Return {misspelling: key} for a dict of words to keys (see lexicon.py_typo_table, its Python twin)."},
    {"screen", screen_text, METH_O,
     "Return the bits of what a text could hold for the detectors' listing gates (see the comment above)."},
    {"screen_each", screen_each, METH_O,
     "Return (the bits of screen() of each of a sequence of texts, or-ed together; a tuple of each text's bits)."},
    {NULL, NULL, 0, NULL},
};

static struct PyModuleDef module = {PyModuleDef_HEAD_INIT, "_tokens", NULL, -1, methods};

PyMODINIT_FUNC PyInit__tokens(void) {
    PyTypeObject *types[] = {&VocabType, &WordTableType, &LiteralTableType, &TextKeyType, &ClassifierType};
    PyObject *mod = PyModule_Create(&module);
    if (mod == NULL) return NULL;
    screen_init();
    key_of_name = PyUnicode_InternFromString("key_of");
    kind_word = PyUnicode_InternFromString("word");
    kind_num = PyUnicode_InternFromString("num");
    kind_sym = PyUnicode_InternFromString("sym");
    if (key_of_name == NULL || kind_word == NULL || kind_num == NULL || kind_sym == NULL) {
        Py_DECREF(mod);
        return NULL;
    }
    for (size_t k = 0; k < sizeof types / sizeof types[0]; k++) {
        /* PyModule_AddType readies the type and adds it under its short name (Vocab, WordTable, ...). */
        if (PyModule_AddType(mod, types[k]) < 0) {
            Py_DECREF(mod);
            return NULL;
        }
    }
    return mod;
}
