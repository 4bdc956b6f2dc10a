/* Layer 3 (engine), compiled: the concept gate's reader of a listing's words, and the engine's other scans.
 *
 * Vocab (below) reads a text's distinct tokens into a table of every token met, with what the lexicons made
 * of each; WordTable finds where a text's whole words are competitor brand keys, and confirm_prose which names
 * stand there; LiteralTable which of the rules' literals a text holds; screen spares most listings the
 * detectors' gates; ascii_token_texts serves normalize.py_token_set, for the text Vocab leaves to the Unicode
 * tokenizer. Tokens are those of normalize._ASCII_TOKEN_TEXT: [a-z]+('[a-z]+)* | [0-9]+([.,][0-9]+)* |
 * [$%#+=&@?], plus the non-ASCII characters the fold table names. engine/vocab.py, normalize.py and the
 * detectors fall back to Python twins when this module was not built (no C compiler at install); without it,
 * every detector's gate runs.
 */
#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include <stdint.h>
#include <string.h>

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

static int is_lower(unsigned char c) { return c >= 'a' && c <= 'z'; }
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

static int met_add(Vocab *v, Met *m, Py_ssize_t at) {
    Slot *s = &v->slots[at];
    if (s->gen == v->gen) return 0;
    s->gen = v->gen;
    if (m->n == m->cap) {
        Py_ssize_t cap = m->cap ? m->cap * 2 : 256;
        uint64_t *hashes = PyMem_Realloc(m->hashes, (size_t)cap * sizeof(uint64_t));
        if (hashes == NULL) { PyErr_NoMemory(); return -1; }
        m->hashes = hashes;
        m->cap = cap;
    }
    m->hashes[m->n++] = s->hash;
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
static int met_folded(Vocab *v, Met *m, const unsigned char *s, Py_ssize_t n, int *flags) {
    Py_ssize_t i = 0, start, apostrophe, at;
    while (next_token(s, n, &i, &start, &apostrophe, flags, 1)) {
        if (s[start] == SYMBOL_MARK) {
            const struct Folded *f = &v->folded[((size_t)s[start + 1] << 8) | s[start + 2]];
            at = vocab_slot(v, f->bytes, f->len, hash64(f->bytes, f->len), NULL);
            if (at < 0 || met_add(v, m, at) < 0) return -1;
            continue;
        }
        if (apostrophe >= 0 && is_elision(v, s + start, apostrophe - start)) {
            at = vocab_slot(v, s + start, apostrophe - start, hash64(s + start, apostrophe - start), NULL);
            if (at < 0 || met_add(v, m, at) < 0) return -1;
            start = apostrophe + 1;
        }
        at = vocab_slot(v, s + start, i - start, hash64(s + start, i - start), NULL);
        if (at < 0 || met_add(v, m, at) < 0) return -1;
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

static PyObject *vocab_read(Vocab *v, PyObject *args) {
    PyObject *text, *choose;
    if (!PyArg_ParseTuple(args, "UO", &text, &choose)) return NULL;
    Py_ssize_t n = PyUnicode_GET_LENGTH(text);
    int kind = PyUnicode_KIND(text);
    const void *data = PyUnicode_DATA(text);
    unsigned char *buf = PyMem_Malloc((size_t)n * 14 + 1);
    if (buf == NULL) return PyErr_NoMemory();
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
            Py_RETURN_NONE;  /* the Unicode tokenizer reads this text */
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
    Met m = {0};
    int flags = 0;
    PyObject *out = NULL;
    if (vocab_begin(v) == 0 && met_folded(v, &m, buf, len, &flags) == 0) out = vocab_finish(v, &m, flags, choose);
    PyMem_Free(buf);
    met_free(&m);
    return out;
}

static PyObject *vocab_read_tokens(Vocab *v, PyObject *args) {
    PyObject *texts, *choose;
    int flags;
    if (!PyArg_ParseTuple(args, "OiO", &texts, &flags, &choose)) return NULL;
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
static PyObject *vocab_possible(Vocab *v, PyObject *args) {
    unsigned long mask;
    int number;
    if (!PyArg_ParseTuple(args, "kp", &mask, &number)) return NULL;
    if (++v->stamp == 0) {  /* after 4 billion calls: forget which call met which atom */
        for (int L = 0; L < 32; L++)
            if (v->langs[L].ready) memset(v->langs[L].stamp, 0, v->langs[L].natoms * sizeof(uint32_t));
        v->stamp = 1;
    }
    uint32_t stamp = v->stamp;
    uint64_t found = 0;
    for (int L = 0; L < 32; L++) {
        if (!(mask >> L & 1) || !v->langs[L].ready) continue;
        Lang *l = &v->langs[L];
        Py_ssize_t n = 0;
        for (Py_ssize_t k = 0; k < v->nlast; k++) {
            Slot *slot = &v->slots[vocab_find(v, v->last[k])];
            if (slot->str == NULL || !(slot->relevant >> L & 1)) continue;
            for (uint32_t r = slot->rec; r; r = v->recs[r - 1].next) {
                Rec *rec = &v->recs[r - 1];
                if (rec->lang != (uint32_t)L) continue;
                found |= rec->sure;
                for (uint32_t x = 0; x < rec->natoms; x++) l->stamp[v->pool[rec->atoms + x]] = stamp;
                for (uint32_t x = 0; x < rec->nentries; x++)
                    if (todo_add(v, &n, v->pool[rec->entries + x]) < 0) return NULL;
                break;
            }
        }
        if (number)
            for (uint32_t x = 0; x < l->nnumber_led; x++)
                if (todo_add(v, &n, l->atoms[l->number_led + x]) < 0) return NULL;
        for (Py_ssize_t k = 0; k < n; k++) {
            const Entry *e = &l->entries[v->todo[k]];
            if (!(e->bit & found) && entry_holds(l, e, found, number, stamp)) found |= e->bit;
        }
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
    Py_TYPE(v)->tp_free((PyObject *)v);
}

static PyMethodDef vocab_methods[] = {
    {"read", (PyCFunction)vocab_read, METH_VARARGS,
     "read(text, choose) -> (to_classify, flags, mask), or None for text the Unicode tokenizer must read."},
    {"read_tokens", (PyCFunction)vocab_read_tokens, METH_VARARGS,
     "read_tokens(tokens, flags, choose): as read(), for tokens found in Python."},
    {"mark", (PyCFunction)vocab_mark, METH_VARARGS,
     "mark(token, languages, records): record what these languages made of a token."},
    {"language", (PyCFunction)vocab_language, METH_VARARGS,
     "language(index, atoms, entries, by_concept, number_led): a lexicon language's entries."},
    {"possible", (PyCFunction)vocab_possible, METH_VARARGS,
     "possible(languages, number) -> the bits of the concepts that could occur in the last text read."},
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

typedef struct {
    PyObject_HEAD
    uint64_t *hashes;     /* open addressing; 0 is empty */
    size_t cap;
    Py_ssize_t count;
    Py_ssize_t longest;   /* characters in the longest key: a longer word is never one */
} WordTable;

static int is_word_char(Py_UCS4 c) {
    return c < 128 ? (c == '_' || (c >= '0' && c <= '9') || ((c | 32) >= 'a' && (c | 32) <= 'z'))
                   : Py_UNICODE_ISALNUM(c);
}

#define FNV_START 14695981039346656037ull
static uint64_t fnv_step(uint64_t h, Py_UCS4 c) { return (h ^ c) * 1099511628211ull; }
static uint64_t fnv_end(uint64_t h) {
    h ^= h >> 33;
    h *= 0xff51afd7ed558ccdull;
    h ^= h >> 33;
    return h | 1;
}

static int wordtable_has(WordTable *t, uint64_t h) {
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

static PyObject *wordtable_words(WordTable *t, PyObject *args) {
    PyObject *text, *keys;
    if (!PyArg_ParseTuple(args, "UO", &text, &keys)) return NULL;
    if (!PyAnySet_Check(keys)) {
        PyErr_SetString(PyExc_TypeError, "words() takes a set or frozenset of keys");
        return NULL;
    }
    return wordtable_scan(t, text, keys);
}

static void wordtable_dealloc(WordTable *t) {
    PyMem_Free(t->hashes);
    Py_TYPE(t)->tp_free((PyObject *)t);
}

static Py_ssize_t wordtable_len(WordTable *t) { return t->count; }

static PyMethodDef wordtable_methods[] = {
    {"find", (PyCFunction)wordtable_find, METH_O,
     "find(text) -> [(start, end)] of the whole words whose hash is a key's (check each word's text)."},
    {"words", (PyCFunction)wordtable_words, METH_VARARGS,
     "words(text, keys) -> [(start, end, word)] of the whole words that are in the set ``keys``."},
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
 * The rule set gates its patterns on literals a match must contain ("www", "review", "5星"): about 1,200 of
 * them, of which a field holds one or two. A literal is filed under its first KEY_CHARS characters (all of
 * them when shorter); each position of the text is looked up by its first 1 to KEY_CHARS characters, where
 * a bitmap of the ASCII pairs that start literals of that length allows, and only the literals filed so are
 * compared. (By two characters alone, "pr" would compare some seventy literals at every "pr" of the text.) */

#define KEY_CHARS 4

typedef struct {
    PyObject_HEAD
    PyObject *literals;       /* tuple of the literal strs */
    uint64_t *keys;           /* open addressing on the hash of a literal's first characters; 0 is empty */
    uint32_t *first, *count;  /* per key: its literals, order[first .. first + count) */
    size_t cap;
    uint32_t *order;          /* literal indices grouped by key */
    unsigned char pairs[KEY_CHARS - 1][128 * 128 / 8];  /* per key length from 2: ASCII pairs starting one */
    unsigned char later[KEY_CHARS - 2][128 * 128 / 8];  /* per key length from 3: its 2nd and 3rd characters */
    unsigned char last[128 * 128 / 8];                   /* a 4-character key's 3rd and 4th characters */
    unsigned char firsts[128 / 8];                       /* ASCII characters some literal starts with */
    unsigned char singles[128 / 8];                      /* ASCII characters that are a literal */
    int wide;                 /* some literal starts with a non-ASCII character, or has one second */
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

#define BIT_SET(map, x) ((map)[(x) >> 3] |= (unsigned char)(1 << ((x) & 7)))
#define BIT_OF(map, x) ((map)[(x) >> 3] >> ((x) & 7) & 1)

static size_t literal_slot(LiteralTable *t, uint64_t key) {
    size_t at = (size_t)key & (t->cap - 1);
    while (t->keys[at] != 0 && t->keys[at] != key) at = (at + 1) & (t->cap - 1);
    return at;
}

static int literal_filed(LiteralTable *t, int m, Py_UCS4 a, Py_UCS4 b, Py_UCS4 c, Py_UCS4 d) {
    /* Whether some literal's key of m characters could start a, b, c, d (ASCII pairs are looked up; a pair
     * with a character past ASCII is let through). */
    if (a >= 128 || (m > 1 && b >= 128)) return t->wide;
    if (m == 1) return BIT_OF(t->singles, a);
    if (!BIT_OF(t->pairs[m - 2], a << 7 | b)) return 0;
    if (m >= 3 && c < 128 && !BIT_OF(t->later[m - 3], b << 7 | c)) return 0;
    if (m == 4 && c < 128 && d < 128 && !BIT_OF(t->last, c << 7 | d)) return 0;
    return 1;
}

static void literaltable_clear(LiteralTable *t) {
    Py_CLEAR(t->literals);
    Py_CLEAR(t->marker);
    PyMem_Free(t->keys);
    PyMem_Free(t->first);
    PyMem_Free(t->count);
    PyMem_Free(t->order);
    t->keys = NULL;
    t->first = t->count = t->order = NULL;
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
    memset(t->pairs, 0, sizeof t->pairs);
    memset(t->later, 0, sizeof t->later);
    memset(t->last, 0, sizeof t->last);
    memset(t->firsts, 0, sizeof t->firsts);
    memset(t->singles, 0, sizeof t->singles);
    t->wide = 0;
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
                Py_UCS4 a = PyUnicode_READ(kind, data, 0), b = m > 1 ? PyUnicode_READ(kind, data, 1) : 0;
                Py_UCS4 c = m > 2 ? PyUnicode_READ(kind, data, 2) : 0, d = m > 3 ? PyUnicode_READ(kind, data, 3) : 0;
                if (a < 128) BIT_SET(t->firsts, a);
                if (a >= 128 || (m > 1 && b >= 128)) t->wide = 1;
                else if (m == 1) BIT_SET(t->singles, a);
                else BIT_SET(t->pairs[m - 2], a << 7 | b);
                if (m >= 3 && b < 128 && c < 128) BIT_SET(t->later[m - 3], b << 7 | c);
                if (m == 4 && c < 128 && d < 128) BIT_SET(t->last, c << 7 | d);
            } else {
                t->order[t->first[at] + t->count[at]++] = (uint32_t)k;
            }
        }
    }
    return 0;
}

/* Add to ``found`` each literal filed under the key ``h`` (of m characters) that the text holds at i. */
ALWAYS_INLINE int literal_probe(LiteralTable *t, uint64_t h, int m, const int kind, const void *data, Py_ssize_t i,
                                Py_ssize_t n, PyObject *found) {
    size_t at = literal_slot(t, literal_key(h, m));
    if (t->keys[at] == 0) return 0;
    for (uint32_t x = 0; x < t->count[at]; x++) {
        PyObject *lit = PyTuple_GET_ITEM(t->literals, t->order[t->first[at] + x]);
        Py_ssize_t len = PyUnicode_GET_LENGTH(lit);
        if (i + len > n) continue;
        int lkind = PyUnicode_KIND(lit);
        const void *ldata = PyUnicode_DATA(lit);
        Py_ssize_t j = 0;
        while (j < len && PyUnicode_READ(lkind, ldata, j) == PyUnicode_READ(kind, data, i + j)) j++;
        if (j == len && PySet_Add(found, lit) < 0) return -1;
    }
    return 0;
}

ALWAYS_INLINE int literal_scan(LiteralTable *t, const int kind, const void *data, Py_ssize_t n, PyObject *found) {
    /* The keys at a position are tried shortest first, each character read and hashed once; the bitmaps end
     * the position as soon as no longer key can start with what was read. */
    for (Py_ssize_t i = 0; i < n; i++) {
        Py_UCS4 a = PyUnicode_READ(kind, data, i);
        if (a < 128 ? !BIT_OF(t->firsts, a) : !t->wide) continue;  /* most positions: no literal starts here */
        uint64_t h = fnv_step(FNV_START, a);
        if (literal_filed(t, 1, a, 0, 0, 0) && literal_probe(t, h, 1, kind, data, i, n, found) < 0) return -1;
        if (i + 1 >= n) continue;
        Py_UCS4 b = PyUnicode_READ(kind, data, i + 1);
        if (a < 128 && b < 128 && !BIT_OF(t->pairs[0], a << 7 | b) && !BIT_OF(t->pairs[1], a << 7 | b)
            && !BIT_OF(t->pairs[2], a << 7 | b)) continue;
        h = fnv_step(h, b);
        if (literal_filed(t, 2, a, b, 0, 0) && literal_probe(t, h, 2, kind, data, i, n, found) < 0) return -1;
        if (i + 2 >= n) continue;
        Py_UCS4 c = PyUnicode_READ(kind, data, i + 2);
        h = fnv_step(h, c);
        if (literal_filed(t, 3, a, b, c, 0) && literal_probe(t, h, 3, kind, data, i, n, found) < 0) return -1;
        if (i + 3 >= n) continue;
        Py_UCS4 d = PyUnicode_READ(kind, data, i + 3);
        h = fnv_step(h, d);
        if (literal_filed(t, 4, a, b, c, d) && literal_probe(t, h, 4, kind, data, i, n, found) < 0) return -1;
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

static PyMethodDef literaltable_methods[] = {
    {"present", (PyCFunction)literaltable_present, METH_O,
     "present(text) -> the frozenset of the literals occurring in the text, overlapping ones included, and the "
     "marker given to the table when the text is past ASCII."},
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
 *   WEB        www, //, dot, punkt, punto, point, 点, 點, ド, a letter or digit then a dot (or a bullet, a
 *              middle dot or an emoji) then two letters, an opening bracket and a dot, or a space or tab
 *              before a dot (url.gate)
 *   MAIL       @, arroba, chiocciola, arobase, atmark, klammeraffe, ä then t, ア, あ, 艾, ★, ☆, " at ", or an
 *              opening bracket then an a, ä or @ (email.gate)
 *   AMAZONISH  an a, 4 or @, an m, n or r, then a z or 2 at most six characters after the first (what every
 *              match of spoofed.AMAZONISH_RAW holds; look-alike letters are the gate's own ``rest``) */

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

/* Of each ASCII character (folded), which checks below it can start: most start none. */
static const unsigned char SCREEN_STARTS[128] = {
    ['8'] = SCREEN_TOLL_FREE, ['w'] = SCREEN_WEB, ['/'] = SCREEN_WEB, ['d'] = SCREEN_WEB, ['p'] = SCREEN_WEB,
    ['.'] = SCREEN_WEB, ['['] = SCREEN_WEB | SCREEN_MAIL, ['('] = SCREEN_WEB | SCREEN_MAIL,
    ['{'] = SCREEN_WEB | SCREEN_MAIL, ['<'] = SCREEN_WEB | SCREEN_MAIL, ['@'] = SCREEN_MAIL, ['a'] = SCREEN_MAIL,
    ['c'] = SCREEN_MAIL, ['k'] = SCREEN_MAIL, [' '] = SCREEN_MAIL, ['z'] = SCREEN_AMAZONISH, ['2'] = SCREEN_AMAZONISH,
};

ALWAYS_INLINE int screen_next_is(const ScreenText *t, Py_ssize_t i, char a, char b) {
    /* The cheap first test of a word: its second character (one of two). */
    Py_UCS4 c = screen_at(t, i + 1);
    return c == (Py_UCS4)a || c == (Py_UCS4)b;
}

ALWAYS_INLINE long screen_scan(const int kind, const void *data, Py_ssize_t n) {
    const ScreenText t = {kind, data, n};
    const int all = SCREEN_DIGITS | SCREEN_TOLL_FREE | SCREEN_WEB | SCREEN_MAIL | SCREEN_AMAZONISH;
    long bits = 0;
    int run = 0, gap = 0;
    Py_UCS4 before = 0, raw, c = 0;
    for (Py_ssize_t i = 0; i < t.n && bits != all; before = c, i++) {
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
        if (raw == '8' && i + 2 < t.n) {
            Py_UCS4 d = PyUnicode_READ(t.kind, t.data, i + 1);
            if (d == PyUnicode_READ(t.kind, t.data, i + 2) && (d == '0' || (d >= '3' && d <= '8')))
                bits |= SCREEN_TOLL_FREE;
        }
        if (!(bits & SCREEN_WEB)) {
            if ((c == 'w' && screen_next_is(&t, i, 'w', 'w') && screen_word(&t, i, "www"))
                || (c == '/' && screen_at(&t, i + 1) == '/')
                || (c == 'd' && screen_next_is(&t, i, 'o', 'o') && screen_word(&t, i, "dot"))
                || (c == 'p' && screen_next_is(&t, i, 'u', 'o') && (screen_word(&t, i, "punkt")
                    || screen_word(&t, i, "punto") || screen_word(&t, i, "point")))
                || c == 0x70B9 || c == 0x9EDE || c == 0x30C9
                || ((c == '.' || (is_dotlike(c) && before < 128)) && (before == '_' || (before >= '0' && before <= '9')
                    || is_alpha_ascii(before) || (before >= 128 && Py_UNICODE_ISALNUM(before)))
                    && (c == '.' ? is_alpha_ascii(screen_at(&t, i + 1)) && is_alpha_ascii(screen_at(&t, i + 2))
                        : is_alpha_ascii(screen_at(&t, i + 1 + (screen_at(&t, i + 1) == 0xFE0F)))))
                || (c == '.' && (before == ' ' || before == '\t'))
                || (is_opening(c) && opening_then(&t, i, 0)))
                bits |= SCREEN_WEB;
        }
        if (!(bits & SCREEN_MAIL)) {
            if (c == '@' || (c == 'a' && screen_next_is(&t, i, 'r', 't') && (screen_word(&t, i, "arroba")
                                                                            || screen_word(&t, i, "arobase")
                                                                            || screen_word(&t, i, "atmark")))
                || (c == 'c' && screen_next_is(&t, i, 'h', 'h') && screen_word(&t, i, "chiocciola"))
                || (c == 'k' && screen_next_is(&t, i, 'l', 'l') && screen_word(&t, i, "klammeraffe"))
                || ((c == 0xE4 || c == 0xC4) && screen_at(&t, i + 1) == 't')
                || c == 0x30A2 || c == 0x3042 || c == 0x827E || c == 0x2605 || c == 0x2606
                || (c == ' ' && screen_next_is(&t, i, 'a', 'a') && screen_word(&t, i, " at "))
                || (is_opening(c) && opening_then(&t, i, 1)))
                bits |= SCREEN_MAIL;
        }
        if ((c == 'z' || c == '2') && !(bits & SCREEN_AMAZONISH)) {
            for (Py_ssize_t k = i - 6 < 0 ? 0 : i - 6; k + 2 <= i; k++) {
                Py_UCS4 a = screen_at(&t, k), b = screen_at(&t, k + 1);
                if ((a == 'a' || a == '4' || a == '@') && (b == 'm' || b == 'n' || b == 'r')) {
                    bits |= SCREEN_AMAZONISH;
                    break;
                }
            }
        }
    }
    return bits;
}

static long screen_scan_1(const void *data, Py_ssize_t n) { return screen_scan(PyUnicode_1BYTE_KIND, data, n); }
static long screen_scan_2(const void *data, Py_ssize_t n) { return screen_scan(PyUnicode_2BYTE_KIND, data, n); }
static long screen_scan_4(const void *data, Py_ssize_t n) { return screen_scan(PyUnicode_4BYTE_KIND, data, n); }

static PyObject *screen_text(PyObject *self, PyObject *text) {
    if (!PyUnicode_Check(text)) {
        PyErr_SetString(PyExc_TypeError, "screen() takes a str");
        return NULL;
    }
    int kind = PyUnicode_KIND(text);
    const void *data = PyUnicode_DATA(text);
    Py_ssize_t n = PyUnicode_GET_LENGTH(text);
    return PyLong_FromLong(BY_KIND(kind, screen_scan_1(data, n), screen_scan_2(data, n), screen_scan_4(data, n)));
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

/* confirm_prose: the confirming step of the competitor matcher for prose (brand.BrandMatcher._confirm with the
 * registered-casing and capitals tables; brand.py keeps the Python twin, which decides whatever this leaves).
 *
 * Each word ``prose_hits`` found is looked up in both tables; each name filed under it is tried in the table's
 * order, longest first, and the first that matches where the word stands is kept. The kept matches are then
 * read from left to right, longest first at one place, without overlaps. An ASCII name is compared with the
 * text piece by piece as brand._ascii_match does; where that leaves the answer to the name's pattern (a name
 * or a neighbouring character past ASCII), the whole field is left to the Python twin: None is returned. */

#define NAME_UNDECIDED (-2)
#define NAME_NO_MATCH (-1)

typedef struct { Py_ssize_t start, end, place, seq; } BrandFound;

static int is_ascii_word(Py_UCS4 c) {  /* brand._ASCII_WORD */
    return c < 128 && (c == '_' || (c >= '0' && c <= '9') || ((c | 32) >= 'a' && (c | 32) <= 'z'));
}
static int is_ascii_space(Py_UCS4 c) { return c == ' ' || (c >= '\t' && c <= '\r'); }  /* brand._ASCII_SPACE */
static Py_UCS4 ascii_lower(Py_UCS4 c) { return c >= 'A' && c <= 'Z' ? c + 32 : c; }
static Py_UCS4 ascii_upper(Py_UCS4 c) { return c >= 'a' && c <= 'z' ? c - 32 : c; }

/* Match an ASCII name (``name``, ``m`` characters) at ``at`` as brand._ascii_match matches its parts: the end,
 * NAME_NO_MATCH, or NAME_UNDECIDED where the text is not ASCII there. */
static Py_ssize_t match_ascii_name(const Py_UCS1 *name, Py_ssize_t m, int kind, const void *data, Py_ssize_t n,
                                   Py_ssize_t at, int ignore_case) {
    if (at > 0) {
        Py_UCS4 before = PyUnicode_READ(kind, data, at - 1);
        if (before >= 128) return NAME_UNDECIDED;
        if (is_ascii_word(before)) return NAME_NO_MATCH;
    }
    Py_ssize_t pos = at;
    for (Py_ssize_t i = 0; i < m;) {
        int word = is_ascii_word(name[i]);
        Py_ssize_t j = i;
        while (j < m && is_ascii_word(name[j]) == word) j++;
        int flexible = 0;
        if (!word && i > 0 && j < m) {  /* between two words: spaces or hyphens only match any, or none */
            flexible = 1;
            for (Py_ssize_t k = i; k < j; k++) if (name[k] != ' ' && name[k] != '-') flexible = 0;
        }
        if (flexible) {
            Py_ssize_t p = pos;
            while (p < n && is_ascii_space(PyUnicode_READ(kind, data, p))) p++;
            if (p < n && PyUnicode_READ(kind, data, p) == '-') {
                p++;
                while (p < n && is_ascii_space(PyUnicode_READ(kind, data, p))) p++;
            } else if (p < n && PyUnicode_READ(kind, data, p) >= 128) {
                return NAME_UNDECIDED;
            }
            pos = p;
        } else {
            Py_ssize_t len = j - i, have = pos + len <= n ? len : (n > pos ? n - pos : 0);
            for (Py_ssize_t k = 0; k < have; k++)
                if (PyUnicode_READ(kind, data, pos + k) >= 128) return NAME_UNDECIDED;
            if (have < len) return NAME_NO_MATCH;
            for (Py_ssize_t k = 0; k < len; k++) {
                Py_UCS4 c = PyUnicode_READ(kind, data, pos + k), w = name[i + k];
                if (ignore_case ? ascii_lower(c) != ascii_lower(w) : c != w) return NAME_NO_MATCH;
            }
            pos += len;
        }
        i = j;
    }
    if (m > 0 && is_ascii_word(name[m - 1]) && name[m - 1] != '_' && pos < n) {  /* name[-1:].isalnum() */
        Py_UCS4 after = PyUnicode_READ(kind, data, pos);
        if (after >= 128) return NAME_UNDECIDED;
        if (is_ascii_word(after)) return NAME_NO_MATCH;
    }
    return pos;
}

/* Tell whether text[start:start + len] equals name[from:from + len], the name's letters in capitals if asked. */
static int text_equals(int kind, const void *data, Py_ssize_t start, Py_ssize_t len, const Py_UCS1 *name,
                       Py_ssize_t from, int upper) {
    for (Py_ssize_t k = 0; k < len; k++) {
        Py_UCS4 w = name[from + k];
        if (PyUnicode_READ(kind, data, start + k) != (upper ? ascii_upper(w) : w)) return 0;
    }
    return 1;
}

/* Try the names filed at ``places`` for the word at [pos, end): append the first that matches to ``found``.
 * Return 0, or NAME_UNDECIDED to leave the field to Python, or -1 on an error. */
static int confirm_at(PyObject *places, PyObject *names, int kind, const void *data, Py_ssize_t n,
                      Py_ssize_t pos, Py_ssize_t end, int capitals, BrandFound **found, Py_ssize_t *count,
                      Py_ssize_t *cap) {
    Py_ssize_t total = PyList_GET_SIZE(places);
    for (Py_ssize_t k = 0; k < total; k++) {
        Py_ssize_t place = PyLong_AsSsize_t(PyList_GET_ITEM(places, k));
        if (place == -1 && PyErr_Occurred()) return -1;
        if (place < 0 || place >= PyList_GET_SIZE(names)) {
            PyErr_SetString(PyExc_IndexError, "confirm_prose(): a place past the names");
            return -1;
        }
        PyObject *raw = PyList_GET_ITEM(names, place);
        if (!PyUnicode_Check(raw) || !PyUnicode_IS_ASCII(raw)) return NAME_UNDECIDED;
        const Py_UCS1 *name = PyUnicode_1BYTE_DATA(raw);
        Py_ssize_t m = PyUnicode_GET_LENGTH(raw), s0 = 0, e0, s1, e1;
        while (s0 < m && !is_ascii_word(name[s0])) s0++;
        for (e0 = s0; e0 < m && is_ascii_word(name[e0]); e0++) {}
        for (s1 = e0; s1 < m && !is_ascii_word(name[s1]); s1++) {}
        for (e1 = s1; e1 < m && is_ascii_word(name[e1]); e1++) {}
        Py_ssize_t at = pos - s0, match_end = NAME_NO_MATCH;
        if (at < 0) continue;
        if (s0 == 0 && e0 == m && (capitals || (end - pos == m && text_equals(kind, data, pos, m, name, 0, 0)))) {
            match_end = end;  /* a name of one plain word: the whole word is the match */
            at = pos;
        } else {
            if (e1 > s1 && end - pos == e0 - s0 && text_equals(kind, data, pos, e0 - s0, name, s0, capitals)) {
                /* "Google" is followed by "Play" within a separator or two, or it is not Google Play. */
                Py_ssize_t len = e1 - s1, stop = end + len + 4 < n ? end + len + 4 : n, seen = 0;
                for (Py_ssize_t p = end; p < stop && capitals; p++)
                    if (PyUnicode_READ(kind, data, p) >= 128) return NAME_UNDECIDED;  /* casefold may differ */
                for (Py_ssize_t p = end; p + len <= stop && !seen; p++) {
                    seen = 1;
                    for (Py_ssize_t q = 0; q < len && seen; q++) {
                        Py_UCS4 c = PyUnicode_READ(kind, data, p + q), w = name[s1 + q];
                        seen = capitals ? ascii_lower(c) == ascii_lower(w) : c == w;
                    }
                }
                if (!seen) continue;
            }
            match_end = match_ascii_name(name, m, kind, data, n, at, capitals);
            if (match_end == NAME_UNDECIDED) return NAME_UNDECIDED;
        }
        if (match_end >= 0) {
            if (*count == *cap) {
                Py_ssize_t bigger = *cap * 2 + 8;
                BrandFound *grown = PyMem_Realloc(*found, (size_t)bigger * sizeof(BrandFound));
                if (grown == NULL) { PyErr_NoMemory(); return -1; }
                *found = grown;
                *cap = bigger;
            }
            (*found)[*count] = (BrandFound){at, match_end, place, *count};
            (*count)++;
            return 0;
        }
    }
    return 0;
}

static int found_order(const void *a, const void *b) {  /* by start, longest first, then as found */
    const BrandFound *x = a, *y = b;
    if (x->start != y->start) return x->start < y->start ? -1 : 1;
    if (x->end != y->end) return x->end > y->end ? -1 : 1;
    return (x->seq > y->seq) - (x->seq < y->seq);
}

static PyObject *confirm_prose(PyObject *self, PyObject *args) {
    PyObject *text, *hits, *exact, *upper, *names, *crowded;
    if (!PyArg_ParseTuple(args, "UO!O!O!O!O:confirm_prose", &text, &PyList_Type, &hits, &PyDict_Type, &exact,
                          &PyDict_Type, &upper, &PyList_Type, &names, &crowded))
        return NULL;
    int kind = PyUnicode_KIND(text);
    const void *data = PyUnicode_DATA(text);
    Py_ssize_t n = PyUnicode_GET_LENGTH(text), count = 0, cap = 0;
    BrandFound *found = NULL;
    PyObject *out = NULL;
    for (Py_ssize_t h = 0; h < PyList_GET_SIZE(hits); h++) {
        PyObject *hit = PyList_GET_ITEM(hits, h);
        Py_ssize_t pos, end;
        PyObject *word;
        if (!PyArg_ParseTuple(hit, "nnU:confirm_prose", &pos, &end, &word)) goto done;
        for (int capitals = 0; capitals < 2; capitals++) {
            PyObject *table = capitals ? upper : exact;
            PyObject *filed = PyDict_GetItemWithError(table, word);
            if (filed == NULL) {
                if (PyErr_Occurred()) goto done;
                continue;
            }
            PyObject *places;
            if (PyList_CheckExact(filed) && PyList_GET_SIZE(filed) <= 2) {
                places = filed;
                Py_INCREF(places);
            } else if (PyList_CheckExact(filed)) {  /* a crowded key: the matcher picks by the next word */
                places = PyObject_CallFunction(crowded, "OOiOn", table, word, capitals, text, end);
                if (places == NULL) goto done;
                if (!PyList_Check(places)) {
                    Py_DECREF(places);
                    PyErr_SetString(PyExc_TypeError, "confirm_prose(): crowded() must return a list");
                    goto done;
                }
            } else {
                places = PyList_New(1);
                if (places == NULL) goto done;
                Py_INCREF(filed);
                PyList_SET_ITEM(places, 0, filed);
            }
            int rc = confirm_at(places, names, kind, data, n, pos, end, capitals, &found, &count, &cap);
            Py_DECREF(places);
            if (rc == -1) goto done;
            if (rc == NAME_UNDECIDED) {
                out = Py_None;
                Py_INCREF(out);
                goto done;
            }
        }
    }
    qsort(found, (size_t)count, sizeof(BrandFound), found_order);
    out = PyList_New(0);
    Py_ssize_t resume = 0;
    for (Py_ssize_t k = 0; out != NULL && k < count; k++) {
        if (found[k].start < resume) continue;
        resume = found[k].end;
        PyObject *item = Py_BuildValue("(nnn)", found[k].start, found[k].end, found[k].place);
        if (item == NULL || PyList_Append(out, item) < 0) Py_CLEAR(out);
        Py_XDECREF(item);
    }
done:
    PyMem_Free(found);
    return out;
}

/* ascii_shapes: the fix guard's count of broken-copy shapes in ASCII text (wellformed.py_shapes, its Python
 * twin, reads any text; this reads ASCII text as the twin's patterns do, each scan written out). */

static int is_regex_space(Py_UCS1 c) { return c == ' ' || (c >= '\t' && c <= '\r'); }  /* regex's \s in ASCII */
static int in_set(Py_UCS1 c, const char *set) { return c != 0 && strchr(set, c) != NULL; }
static int is_candidate_char(Py_UCS1 c) { return is_ascii_word(c) ? ((c | 32) >= 'a' && (c | 32) <= 'z') : (c == '\'' || c == '-'); }
static int line_end(const Py_UCS1 *s, Py_ssize_t n, Py_ssize_t i) { return i == n || s[i] == '\n'; }  /* $ */
static int line_start(const Py_UCS1 *s, Py_ssize_t i) { return i == 0 || s[i - 1] == '\n'; }  /* ^ */
static Py_ssize_t skip_blanks(const Py_UCS1 *s, Py_ssize_t n, Py_ssize_t i) {  /* [ \t]* */
    while (i < n && (s[i] == ' ' || s[i] == '\t')) i++;
    return i;
}

static int count_shape(PyObject *found, const char *shape, Py_ssize_t add) {
    if (add == 0) return 0;
    PyObject *key = PyUnicode_FromString(shape);
    if (key == NULL) return -1;
    PyObject *had = PyDict_GetItemWithError(found, key);
    Py_ssize_t before = had == NULL ? 0 : PyLong_AsSsize_t(had);
    PyObject *total = (had == NULL && PyErr_Occurred()) ? NULL : PyLong_FromSsize_t(before + add);
    int rc = total == NULL ? -1 : PyDict_SetItem(found, key, total);
    Py_XDECREF(total);
    Py_DECREF(key);
    return rc;
}

/* The word after a dangling candidate as FOLLOW reads it: 1 with *word set (NULL: punctuation or the line's end
 * follows), 0 where neither follows. */
static int follow_word(const Py_UCS1 *s, Py_ssize_t n, Py_ssize_t at, Py_ssize_t *from, Py_ssize_t *to) {
    Py_ssize_t j = skip_blanks(s, n, at);
    if (line_end(s, n, j) || in_set(s[j], ".!?,;:")) {
        *from = *to = -1;
        return 1;
    }
    if (j == at) return 0;  /* [ \t]+ */
    Py_ssize_t r = j;
    while (r < n && is_candidate_char(s[r])) r++;
    for (; r > j; r--)  /* ([A-Za-z'-]+)\b, backing off to a word boundary */
        if (is_ascii_word(s[r - 1]) != (r < n && is_ascii_word(s[r]))) {
            *from = j;
            *to = r;
            return 1;
        }
    return 0;
}

static PyObject *lowered_str(const Py_UCS1 *s, Py_ssize_t from, Py_ssize_t to) {
    PyObject *out = PyUnicode_New(to - from, 127);
    if (out == NULL) return NULL;
    Py_UCS1 *d = PyUnicode_1BYTE_DATA(out);
    for (Py_ssize_t k = from; k < to; k++) d[k - from] = (Py_UCS1)ascii_lower(s[k]);
    return out;
}

/* Count "dangling 'word'": a word that cannot end a clause before punctuation, the line's end, a conjunction,
 * another hard preposition or (after an article) a preposition. */
static int count_dangling(PyObject *found, const Py_UCS1 *s, Py_ssize_t n, PyObject *words) {
    PyObject *dangling, *conjunctions, *hard, *hard_after, *pairs;
    Py_ssize_t longest;
    if (!PyArg_ParseTuple(words, "OOOOOn:ascii_shapes", &dangling, &conjunctions, &hard, &hard_after, &pairs,
                          &longest))
        return -1;
    for (Py_ssize_t p = 0; p < n;) {
        Py_ssize_t q = p;
        while (q < n && is_candidate_char(s[q])) q++;
        if (q == p) {
            if (s[p] == '&' && (p == 0 || !is_candidate_char(s[p - 1])) && (p + 1 == n || !is_candidate_char(s[p + 1])))
                q = p + 1;  /* an "&" standing alone */
            else {
                p++;
                continue;
            }
        }
        Py_ssize_t start = p, from, to;
        p = q;
        if (q - start > longest || !follow_word(s, n, q, &from, &to)) continue;
        PyObject *word = lowered_str(s, start, q);
        if (word == NULL) return -1;
        int known = PySet_Contains(dangling, word), is_dangling = 0;
        if (known == 1 && from < 0) {
            is_dangling = 1;
        } else if (known == 1) {
            PyObject *next = lowered_str(s, from, to);
            PyObject *pair = next == NULL ? NULL : PyTuple_Pack(2, word, next);
            if (pair == NULL) {
                Py_XDECREF(next);
                Py_DECREF(word);
                return -1;
            }
            is_dangling = PySet_Contains(conjunctions, next);
            if (is_dangling == 0 && (is_dangling = PySet_Contains(hard, word)) == 1)
                is_dangling = PySet_Contains(hard_after, next);
            if (is_dangling == 0) is_dangling = PySet_Contains(pairs, pair);
            Py_DECREF(pair);
            Py_DECREF(next);
        }
        if (known < 0 || is_dangling < 0) {
            Py_DECREF(word);
            return -1;
        }
        if (is_dangling) {
            PyObject *key = PyUnicode_FromFormat("dangling '%U'", word);
            PyObject *had = key == NULL ? NULL : PyDict_GetItemWithError(found, key);
            PyObject *total = (key == NULL || (had == NULL && PyErr_Occurred())) ? NULL
                              : PyLong_FromSsize_t((had == NULL ? 0 : PyLong_AsSsize_t(had)) + 1);
            int rc = total == NULL ? -1 : PyDict_SetItem(found, key, total);
            Py_XDECREF(total);
            Py_XDECREF(key);
            if (rc < 0) {
                Py_DECREF(word);
                return -1;
            }
        }
        Py_DECREF(word);
    }
    return 0;
}

/* Each shape's pattern, as findall counts its matches: tried at each position, the first alternative that
 * matches taken, the next try from its end. Each returns the end of the match at i, or -1. */
static Py_ssize_t label_at(const Py_UCS1 *s, Py_ssize_t n, Py_ssize_t i) {  /* LABEL_AT_END */
    if (s[i] != ':') return -1;
    Py_ssize_t j = skip_blanks(s, n, i + 1);
    return line_end(s, n, j) ? j : -1;
}

static Py_ssize_t doubled_at(const Py_UCS1 *s, Py_ssize_t n, Py_ssize_t i) {  /* DOUBLED */
    int dot_before = i > 0 && s[i - 1] == '.';
    if (s[i] == '.' && i + 1 < n && s[i + 1] == '.' && !dot_before && !(i + 2 < n && s[i + 2] == '.')) return i + 2;
    if (in_set(s[i], ",;:")) {
        Py_ssize_t j = skip_blanks(s, n, i + 1);
        if (j < n && in_set(s[j], ",;:.!?")) return j + 1;
    }
    if (s[i] == '.' && !dot_before) {
        Py_ssize_t j = skip_blanks(s, n, i + 1);
        if (j < n && in_set(s[j], ",;:")) return j + 1;
    }
    if (s[i] == '.' && !dot_before && !(i > 0 && s[i - 1] >= '0' && s[i - 1] <= '9')) {
        Py_ssize_t j = skip_blanks(s, n, i + 1);
        if (j > i + 1 && j < n && s[j] == '.' && !(j + 1 < n && s[j + 1] == '.')) return j + 1;
    }
    return -1;
}

static Py_ssize_t space_before_at(const Py_UCS1 *s, Py_ssize_t n, Py_ssize_t i) {  /* SPACE_BEFORE */
    if (i > 0 && !is_regex_space(s[i - 1]) && (s[i] == ' ' || s[i] == '\t')) {
        Py_ssize_t j = skip_blanks(s, n, i);
        if (j < n && in_set(s[j], ",.;:!?)]") && !(j + 1 < n && (s[j + 1] == '.' || is_ascii_word(s[j + 1]))))
            return j + 1;
    }
    if (in_set(s[i], "([")) {
        Py_ssize_t j = skip_blanks(s, n, i + 1);
        if (j > i + 1) return j;
    }
    return -1;
}

static Py_ssize_t empty_pair_at(const Py_UCS1 *s, Py_ssize_t n, Py_ssize_t i) {  /* EMPTY_PAIR */
    const char *opens = "([{\"", *closes = ")]}\"";
    const char *at = s[i] ? strchr(opens, s[i]) : NULL;
    if (at == NULL) return -1;
    Py_ssize_t j = skip_blanks(s, n, i + 1);
    return j < n && s[j] == (Py_UCS1)closes[at - opens] ? j + 1 : -1;
}

static Py_ssize_t edge_separator_at(const Py_UCS1 *s, Py_ssize_t n, Py_ssize_t i) {  /* EDGE_SEPARATOR */
    if (line_start(s, i)) {
        Py_ssize_t j = skip_blanks(s, n, i);
        if (j < n && in_set(s[j], ",;:.!?|/")) return j + 1;
    }
    if (in_set(s[i], ",;|/-")) {
        Py_ssize_t j = skip_blanks(s, n, i + 1);
        if (line_end(s, n, j)) return j;
    }
    return -1;
}

static Py_ssize_t lower_start_at(const Py_UCS1 *s, Py_ssize_t n, Py_ssize_t i) {  /* LOWER_START */
    if (!in_set(s[i], ".!?")) return -1;
    Py_ssize_t j = skip_blanks(s, n, i + 1);
    return j > i + 1 && j < n && is_lower(s[j]) ? j + 1 : -1;
}

static Py_ssize_t count_matches(const Py_UCS1 *s, Py_ssize_t n, Py_ssize_t (*at)(const Py_UCS1 *, Py_ssize_t, Py_ssize_t)) {
    Py_ssize_t count = 0;
    for (Py_ssize_t i = 0; i < n;) {
        Py_ssize_t end = at(s, n, i);
        if (end > i) {
            count++;
            i = end;
        } else {
            i++;
        }
    }
    return count;
}

static PyObject *ascii_shapes(PyObject *self, PyObject *args) {
    PyObject *text, *words;
    int clauses, sentences;
    if (!PyArg_ParseTuple(args, "UppO!:ascii_shapes", &text, &clauses, &sentences, &PyTuple_Type, &words)) return NULL;
    if (!PyUnicode_IS_ASCII(text)) {
        PyErr_SetString(PyExc_ValueError, "ascii_shapes() reads ASCII text only");
        return NULL;
    }
    const Py_UCS1 *s = PyUnicode_1BYTE_DATA(text);
    Py_ssize_t n = PyUnicode_GET_LENGTH(text);
    PyObject *found = PyDict_New();
    if (found == NULL) return NULL;
    Py_ssize_t spaces = 0, edges = 0, opened[4] = {0}, closed[4] = {0};
    for (Py_ssize_t i = 0; i < n;) {  /* DOUBLE_SPACE and EDGE_SPACE: runs of spaces and tabs */
        if (s[i] != ' ' && s[i] != '\t') {
            const char *o = strchr("([{\"", s[i]), *c = strchr(")]}", s[i]);
            if (s[i] && o) opened[o - "([{\""]++;
            if (s[i] && c) closed[c - ")]}"]++;
            i++;
            continue;
        }
        Py_ssize_t j = skip_blanks(s, n, i);
        if (j - i >= 2 && i > 0 && !is_regex_space(s[i - 1]) && j < n && !is_regex_space(s[j])) spaces++;
        if (line_start(s, i) || line_end(s, n, j)) edges++;
        i = j;
    }
    Py_ssize_t unbalanced = (opened[0] != closed[0]) + (opened[1] != closed[1]) + (opened[2] != closed[2])
                            + (opened[3] % 2);
    if ((clauses && (count_dangling(found, s, n, words) < 0
                     || count_shape(found, "label with nothing after it", count_matches(s, n, label_at)) < 0
                     || count_shape(found, "doubled punctuation", count_matches(s, n, doubled_at)) < 0
                     || count_shape(found, "space before punctuation", count_matches(s, n, space_before_at)) < 0
                     || count_shape(found, "empty brackets or quotes", count_matches(s, n, empty_pair_at)) < 0
                     || count_shape(found, "separator at an end", count_matches(s, n, edge_separator_at)) < 0))
        || count_shape(found, "double space", spaces) < 0 || count_shape(found, "space at an end", edges) < 0
        || count_shape(found, "unbalanced brackets", unbalanced) < 0
        || (sentences && count_shape(found, "sentence starts in lower case",
                                     count_matches(s, n, lower_start_at)
                                     + (n > skip_blanks(s, n, 0) && is_lower(s[skip_blanks(s, n, 0)]))) < 0)) {
        Py_DECREF(found);
        return NULL;
    }
    return found;
}

/* brand_evidence: why an everyday-word competitor name reads as the brand where it stands, for a name and the
 * text around it in ASCII (brand_evidence.brand_evidence, its Python twin, reads any text and is the reference;
 * each pattern it uses is written out here as it matches ASCII). Returns the reason, None, or NotImplemented
 * where the text within 60 characters of the name, or the name, is past ASCII: the twin decides those. */

#define EVIDENCE_REACH 60

typedef struct { Py_ssize_t start, end; } Span;

static int ev_word(Py_UCS1 c) { return is_ascii_word(c); }  /* regex's \w in ASCII */

/* WORD (\w+(?:['’]\w+)?) at i in [i, stop): its end, or -1 where no word starts at i. */
static Py_ssize_t word_at(const Py_UCS1 *s, Py_ssize_t i, Py_ssize_t stop) {
    if (i >= stop || !ev_word(s[i])) return -1;
    while (i < stop && ev_word(s[i])) i++;
    if (i + 1 < stop && s[i] == '\'' && ev_word(s[i + 1])) {
        i++;
        while (i < stop && ev_word(s[i])) i++;
    }
    return i;
}

/* _prev_word: the last word in the 40 characters before ``start`` (an empty span at ``start``: none), and in
 * ``sep`` what follows it up to ``start`` (all 40 characters where there is none). */
static Span prev_word(const Py_UCS1 *s, Py_ssize_t start, Span *sep) {
    Py_ssize_t from = start - 40 > 0 ? start - 40 : 0;
    Span last = {start, start};
    *sep = (Span){from, start};
    int apostrophe = 0;
    for (Py_ssize_t i = from; i < start; i++) apostrophe |= s[i] == '\'';
    if (!apostrophe) {  /* the last run of word characters */
        Py_ssize_t e = start;
        while (e > from && !ev_word(s[e - 1])) e--;
        Py_ssize_t b = e;
        while (b > from && ev_word(s[b - 1])) b--;
        if (e > b) {
            last = (Span){b, e};
            *sep = (Span){e, start};
        }
        return last;
    }
    for (Py_ssize_t i = from; i < start;) {  /* WORD.finditer: the last match */
        Py_ssize_t e = word_at(s, i, start);
        if (e < 0) {
            i++;
            continue;
        }
        last = (Span){i, e};
        *sep = (Span){e, start};
        i = e;
    }
    return last;
}

/* _next_words: up to three (separator, word) pairs after ``end``, read within 60 characters. Returns how many. */
static int next_words(const Py_UCS1 *s, Py_ssize_t n, Py_ssize_t end, Span sep[3], Span word[3]) {
    Py_ssize_t stop = end + EVIDENCE_REACH < n ? end + EVIDENCE_REACH : n, i = end;
    int count = 0;
    while (count < 3) {
        Py_ssize_t j = i;
        while (j < stop && !ev_word(s[j])) j++;
        Py_ssize_t e = word_at(s, j, stop);
        if (e < 0) break;
        sep[count] = (Span){i, j};
        word[count] = (Span){j, e};
        count++;
        i = e;
    }
    return count;
}

static int span_is(const Py_UCS1 *s, Span x, const char *literal) {
    Py_ssize_t len = (Py_ssize_t)strlen(literal);
    return x.end - x.start == len && memcmp(s + x.start, literal, (size_t)len) == 0;
}
static int all_space(const Py_UCS1 *s, Span x) {  /* str.strip() == "" */
    for (Py_ssize_t i = x.start; i < x.end; i++) if (!Py_UNICODE_ISSPACE(s[i])) return 0;
    return 1;
}
static int span_cased(const Py_UCS1 *s, Span x, int upper) {  /* str.isupper() / str.islower() */
    int cased = 0;
    for (Py_ssize_t i = x.start; i < x.end; i++) {
        if (s[i] >= 'a' && s[i] <= 'z') { if (upper) return 0; cased = 1; }
        else if (s[i] >= 'A' && s[i] <= 'Z') { if (!upper) return 0; cased = 1; }
    }
    return cased;
}
static int capitalised(const Py_UCS1 *s, Span x) { return x.end > x.start && s[x.start] >= 'A' && s[x.start] <= 'Z'; }
static int span_alnum(const Py_UCS1 *s, Span x) {  /* letters and digits */
    int count = 0;
    for (Py_ssize_t i = x.start; i < x.end; i++) count += ev_word(s[i]) && s[i] != '_';
    return count;
}

/* _in: the word, or its singular without -s or -es, lower-cased, is in the set. -1 on an error. */
static int in_words(const Py_UCS1 *s, Span x, PyObject *words) {
    Py_ssize_t len = x.end - x.start;
    PyObject *w = lowered_str(s, x.start, x.end);
    if (w == NULL) return -1;
    int found = PySet_Contains(words, w);
    const Py_UCS1 *d = PyUnicode_1BYTE_DATA(w);
    for (int cut = 1; found == 0 && cut <= 2 && len > cut; cut++) {
        if (d[len - 1] != 's' || (cut == 2 && d[len - 2] != 'e')) break;
        PyObject *singular = PyUnicode_Substring(w, 0, len - cut);
        found = singular == NULL ? -1 : PySet_Contains(words, singular);
        Py_XDECREF(singular);
    }
    Py_DECREF(w);
    return found;
}
static int lowered_in(const Py_UCS1 *s, Span x, PyObject *words) {  /* word.casefold() in words */
    PyObject *w = lowered_str(s, x.start, x.end);
    if (w == NULL) return -1;
    int found = PySet_Contains(words, w);
    Py_DECREF(w);
    return found;
}

/* MODEL: a token of word characters (and hyphens or dots) holding a digit. */
static int is_model(const Py_UCS1 *s, Span x) {
    int digit = 0;
    for (Py_ssize_t i = x.start; i < x.end; i++) {
        if (!ev_word(s[i]) && s[i] != '.' && s[i] != '-') return 0;
        digit |= s[i] >= '0' && s[i] <= '9';
    }
    return x.end > x.start && ev_word(s[x.start]) && digit;
}

/* MEASURE: a count or a measurement ("300pc", "12", "16cm"). */
static int is_measure(const Py_UCS1 *s, Span x) {
    static const char *units[] = {"", "pc", "pcs", "piece", "pieces", "cm", "mm", "m", "in", "ft", "oz", "ml", "l", "g",
                                  "kg", "lb", "lbs", "x", "pk", "pack", "ct", "mah", "w", NULL};
    Py_ssize_t i = x.start;
    while (i < x.end && s[i] >= '0' && s[i] <= '9') i++;
    if (i == x.start) return 0;
    if (i < x.end && (s[i] == '.' || s[i] == ',') && i + 1 < x.end && s[i + 1] >= '0' && s[i + 1] <= '9') {
        i++;
        while (i < x.end && s[i] >= '0' && s[i] <= '9') i++;
    }
    Py_ssize_t len = x.end - i;
    for (int u = 0; units[u]; u++) {
        if ((Py_ssize_t)strlen(units[u]) != len) continue;
        Py_ssize_t k = 0;
        while (k < len && ascii_lower(s[i + k]) == (Py_UCS1)units[u][k]) k++;
        if (k == len) return 1;
    }
    return 0;
}

/* _model: a model number is the next word (with the word after it, not a count). -1 on an error. */
static int model_after(const Py_UCS1 *s, Span *sep, Span *word, int count, int letters, PyObject *count_words) {
    if (count == 0) return 0;
    int dash = 0;
    for (Py_ssize_t i = sep[0].start; i < sep[0].end; i++) {
        if (Py_UNICODE_ISSPACE(s[i])) continue;
        if (s[i] == '-' && !dash) { dash = 1; continue; }
        return 0;
    }
    if (dash) {  /* .strip() in ("", "-"): one hyphen between spaces only */
        Py_ssize_t a = sep[0].start, b = sep[0].end;
        while (a < b && Py_UNICODE_ISSPACE(s[a])) a++;
        while (b > a && Py_UNICODE_ISSPACE(s[b - 1])) b--;
        if (b - a != 1) return 0;
    }
    Span token = word[0];
    Py_ssize_t len = token.end - token.start;
    if (!is_model(s, token) || (letters < 3 && len < 2)) return 0;
    int digits = 1;
    for (Py_ssize_t i = token.start; i < token.end; i++) digits &= s[i] >= '0' && s[i] <= '9';
    if (is_measure(s, token) && !(digits && len >= 3)) return 0;
    if (count > 1) {
        int counted = in_words(s, word[1], count_words);
        if (counted != 0) return counted < 0 ? -1 : 0;
    }
    return 1;
}

/* _in_title_run: the nearest word before the name in its sentence, small words aside, is capitalised. */
static int in_title_run(const Py_UCS1 *s, Py_ssize_t start, PyObject *not_in_run) {
    Py_ssize_t from = start - EVIDENCE_REACH > 0 ? start - EVIDENCE_REACH : 0, cut = from;
    for (Py_ssize_t i = start; i > from; i--)
        if (in_set(s[i - 1], ".!?;:|\n")) { cut = i; break; }
    Span words[EVIDENCE_REACH];
    int count = 0;
    for (Py_ssize_t i = cut; i < start;) {
        Py_ssize_t e = word_at(s, i, start);
        if (e < 0) { i++; continue; }
        words[count++] = (Span){i, e};
        i = e;
    }
    for (int k = count - 1; k >= 0; k--) {
        int small = lowered_in(s, words[k], not_in_run);
        if (small < 0) return -1;
        if (!small) {
            Py_UCS1 c = s[words[k].start];
            return (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
        }
    }
    return 0;
}

static Py_UCS4 char_before(PyObject *text, Py_ssize_t start) {  /* _char_before; 0 at the start */
    int kind = PyUnicode_KIND(text);
    const void *data = PyUnicode_DATA(text);
    Py_ssize_t i = start - 1;
    while (i >= 0 && Py_UNICODE_ISSPACE(PyUnicode_READ(kind, data, i))) i--;
    return i >= 0 ? PyUnicode_READ(kind, data, i) : 0;
}

static int sentence_start(PyObject *text, Py_ssize_t start) {  /* _sentence_start */
    static const Py_UCS4 starts[] = {'.', '!', '?', 0x3002, 0xFF01, 0xFF1F, ':', ';', '-', 0x2013, 0x2014, 0x2022, '*',
                                     '|', '(', '[', '{', 0x3010, 0x300C, '"', 0x201C, '\'', 0x2018, '/'};
    Py_UCS4 c = char_before(text, start);
    if (c == 0) return 1;
    for (size_t k = 0; k < sizeof starts / sizeof starts[0]; k++) if (starts[k] == c) return 1;
    return 0;
}

/* BRAND_AFTER at ``end``: "'s" and up to two words, spaces or a hyphen, then "brand", "trademark", "Marke"... */
static int brand_after(const Py_UCS1 *s, Py_ssize_t n, Py_ssize_t end) {
    static const char *keys[] = {"brand", "branded", "brands", "trademark", "marke", "marque", "marca", "marchio", NULL};
    Py_ssize_t stop = end + EVIDENCE_REACH < n ? end + EVIDENCE_REACH : n, i = end;
    int words_allowed = 0;
    if (i + 1 < stop && s[i] == '\'' && (s[i + 1] | 32) == 's') {
        i += 2;
        words_allowed = 2;
    } else if (i < stop && s[i] == '-') {
        i++;
        words_allowed = -1;  /* the keyword right after the hyphen */
    }
    for (int k = 0; k <= (words_allowed > 0 ? words_allowed : 0); k++) {
        if (words_allowed >= 0) {
            Py_ssize_t j = i;
            while (j < stop && is_regex_space(s[j])) j++;
            if (j == i) return 0;
            i = j;
        }
        Py_ssize_t e = i;
        while (e < stop && ev_word(s[e])) e++;
        if (e == i) return 0;
        for (int q = 0; keys[q]; q++) {
            Py_ssize_t len = (Py_ssize_t)strlen(keys[q]), m = 0;
            if (len != e - i) continue;
            while (m < len && ascii_lower(s[i + m]) == (Py_UCS1)keys[q][m]) m++;
            if (m == len) return 1;
        }
        if (words_allowed <= 0) return 0;
        i = e;
    }
    return 0;
}

/* The text a name's reading looks at: ``reach`` characters either side of the name, which must be ASCII, as
 * must the name. Only that window is read (but for the spaces _char_before skips, read in the text itself): a
 * wider text's characters there are copied to one byte each, and the offsets below are then the window's. */
typedef struct {
    const Py_UCS1 *s;
    Py_ssize_t start, end, n;  /* the name's span and the end of what may be read, as ``s`` is indexed */
    Py_UCS1 *copy;             /* to free, when the window did not fit in ``local`` */
    Py_UCS1 local[512];        /* room for two reaches of 100 and a name */
} AsciiWindow;

/* Fill ``w``: 1, 0 where the name or the window is past ASCII (the Python twin decides), -1 on an error. */
static int ascii_window(AsciiWindow *w, const char *caller, PyObject *text, Py_ssize_t start, Py_ssize_t end,
                        PyObject *name, Py_ssize_t reach) {
    Py_ssize_t n = PyUnicode_GET_LENGTH(text);
    w->copy = NULL;
    if (start < 0 || end < start || end > n) {
        PyErr_Format(PyExc_ValueError, "%s(): the span is not in the text", caller);
        return -1;
    }
    int kind = PyUnicode_KIND(text);
    const void *data = PyUnicode_DATA(text);
    Py_ssize_t lo = start - reach > 0 ? start - reach : 0, hi = end + reach < n ? end + reach : n;
    if (!PyUnicode_IS_ASCII(name) || PyUnicode_GET_LENGTH(name) == 0) return 0;
    if (!PyUnicode_IS_ASCII(text))
        for (Py_ssize_t i = lo; i < hi; i++)
            if (PyUnicode_READ(kind, data, i) >= 128) return 0;
    if (kind == PyUnicode_1BYTE_KIND) {
        w->s = PyUnicode_1BYTE_DATA(text);
        w->start = start;
        w->end = end;
        w->n = n;
        return 1;
    }
    Py_UCS1 *buf = hi - lo <= (Py_ssize_t)sizeof w->local ? w->local : (w->copy = PyMem_Malloc((size_t)(hi - lo)));
    if (buf == NULL) {
        PyErr_NoMemory();
        return -1;
    }
    for (Py_ssize_t i = lo; i < hi; i++) buf[i - lo] = (Py_UCS1)PyUnicode_READ(kind, data, i);
    w->s = buf;
    w->start = start - lo;
    w->end = end - lo;
    w->n = hi - lo;  /* the reads stop at ``hi`` and start at ``lo`` whichever way they are indexed */
    return 1;
}

static PyObject *evidence_ascii(PyObject *self, PyObject *args) {
    PyObject *text, *name, *lists, *product_line, *lang;
    Py_ssize_t start, end;
    int title, noun_first;
    if (!PyArg_ParseTuple(args, "UnnUpOpO!O:evidence_ascii", &text, &start, &end, &name, &title, &lang, &noun_first,
                          &PyTuple_Type, &lists, &product_line))
        return NULL;
    PyObject *cues_before, *product_nouns, *event_words, *work_words, *count_words, *small_words, *not_in_run,
        *definite_articles;
    if (!PyArg_ParseTuple(lists, "O!O!O!O!O!O!O!O!:evidence_ascii", &PyFrozenSet_Type, &cues_before,
                          &PyFrozenSet_Type, &product_nouns, &PyFrozenSet_Type, &event_words, &PyFrozenSet_Type,
                          &work_words, &PyFrozenSet_Type, &count_words, &PyFrozenSet_Type, &small_words,
                          &PyFrozenSet_Type, &not_in_run, &PyFrozenSet_Type, &definite_articles))
        return NULL;
    AsciiWindow w;
    int ascii = ascii_window(&w, "evidence_ascii", text, start, end, name, EVIDENCE_REACH);
    if (ascii <= 0) return ascii < 0 ? NULL : Py_NewRef(Py_NotImplemented);
    const Py_UCS1 *s = w.s;
    Py_ssize_t at = start, n = w.n;  /* ``start`` in the text, for _char_before; ``s`` is read from the window */
    start = w.start, end = w.end;
    const Py_UCS1 *nm = PyUnicode_1BYTE_DATA(name);
    Span name_span = {0, PyUnicode_GET_LENGTH(name)};
    Span matched = {start, end};
    PyObject *out = NULL;
    int rc;
#define EV_TRY(call) do { rc = (call); if (rc < 0) goto done; } while (0)
#define EV_RETURN(reason) do { out = PyUnicode_FromString(reason); goto done; } while (0)
    int letters = span_alnum(s, matched);
    Span sep;
    Span prev = prev_word(s, start, &sep);
    if (brand_after(s, n, end)) {
        int longer = 0;  /* "Rainbow Loom Brand": a capitalised word right before makes the brand a longer name */
        if (span_is(s, sep, " ") && capitalised(s, prev)) {
            int cue, small;
            EV_TRY(cue = in_words(s, prev, cues_before));
            EV_TRY(small = lowered_in(s, prev, small_words));
            longer = !cue && !small;
        }
        if (!longer) EV_RETURN("'brand' after it");
    }
    if (prev.end > prev.start && all_space(s, sep)) {
        EV_TRY(in_words(s, prev, cues_before));
        if (rc) {
            PyObject *word = PyUnicode_FromStringAndSize((const char *)s + prev.start, prev.end - prev.start);
            if (word != NULL) out = PyUnicode_FromFormat("'%U' before it", word);
            Py_XDECREF(word);
            goto done;
        }
    }
    int name_lower = span_cased(nm, name_span, 0);
    if (letters < 2 || (name_lower && span_cased(s, matched, 0))) { out = Py_None; Py_INCREF(out); goto done; }
    if (name_lower && span_cased(s, matched, 1) && letters <= 4) { out = Py_None; Py_INCREF(out); goto done; }
    Span gaps[3], words[3];
    int count = next_words(s, n, end, gaps, words);
    int initial = sentence_start(text, at);
    Py_UCS4 before = char_before(text, at);
    int opens_title = title && before == 0;
    int run = -1;  /* _in_title_run, worked out when first needed */
#define IN_RUN() (run < 0 ? (run = in_title_run(s, start, not_in_run)) : run)
    Py_ssize_t name_len = name_span.end;
    int plain_name = name_len > 1 && nm[0] >= 'A' && nm[0] <= 'Z';  /* _plain_capitalised */
    for (Py_ssize_t i = 0; i < name_len && plain_name; i++)
        plain_name = ((nm[i] | 32) >= 'a' && (nm[i] | 32) <= 'z') && (i == 0 || (nm[i] >= 'a' && nm[i] <= 'z'));
    if (count > 0) {
        Span gap = gaps[0], nxt = words[0];
        int joined = span_is(s, gap, " ") || span_is(s, gap, "-") || gap.end == gap.start;
        int plain_initial = initial && !opens_title && plain_name;
        if (joined && letters >= 3 && !plain_initial) {
            EV_TRY(model_after(s, gaps, words, count, letters, count_words));
            if (rc) {
                EV_TRY(IN_RUN());
                if (!run) EV_RETURN("model number after it");
            }
        }
        if (joined && letters >= 2 && count > 1 && is_model(s, nxt) && span_is(s, gaps[1], " ")
                && span_cased(s, words[1], 0)) {
            EV_TRY(in_words(s, words[1], product_nouns));
            if (rc) EV_RETURN("model number and product noun after it");
        }
        if (joined && letters >= 2) {
            int noun;
            EV_TRY(noun = in_words(s, nxt, product_nouns));
            if (noun && !span_cased(s, nxt, 0)) EV_TRY(noun = !IN_RUN());
            /* "Messenger bag" opening a sentence is a noun phrase: a name spelt like a capitalised word there */
            int plain_word = name_len > 0 && nm[0] >= 'A' && nm[0] <= 'Z' && span_cased(nm, (Span){1, name_len}, 0);
            if (noun && initial && !opens_title && plain_word) noun = 0;
            if (noun && before == ':') noun = 0;
            if (noun && count > 1 && capitalised(s, words[1])) {
                EV_TRY(in_words(s, words[1], event_words));
                if (rc) noun = 0;
            }
            if (noun && count > 1 && span_is(s, gaps[1], " ")) {
                EV_TRY(in_words(s, words[1], work_words));
                if (rc) noun = 0;
            }
            if (noun) EV_RETURN("product noun after it");
        }
        if (joined && letters >= 3 && capitalised(s, nxt)) {
            int event;
            EV_TRY(event = in_words(s, nxt, event_words));
            if (!event) {
                EV_TRY(IN_RUN());
                if (!run) {
                    if (count >= 2 && !initial) {
                        EV_TRY(model_after(s, gaps + 1, words + 1, count - 1, letters, count_words));
                        if (rc) EV_RETURN("product line and model number after it");
                    }
                    int definite;
                    EV_TRY(definite = lowered_in(s, prev, definite_articles));
                    int digit = 0;
                    for (Py_ssize_t i = nxt.start; i < nxt.end; i++) digit |= s[i] >= '0' && s[i] <= '9';
                    if (span_is(s, gap, " ") && !initial && !definite && !span_cased(s, nxt, 1) && !digit
                            && nxt.end - nxt.start > 2) {
                        /* The word lists and frequencies (first names, Zipf, everyday forms) are the twin's. */
                        PyObject *m = PyUnicode_FromStringAndSize((const char *)s + start, end - start);
                        PyObject *w = m == NULL ? NULL : PyUnicode_FromStringAndSize((const char *)s + nxt.start,
                                                                                   nxt.end - nxt.start);
                        PyObject *line = w == NULL ? NULL : PyObject_CallFunctionObjArgs(product_line, m, w, lang, NULL);
                        Py_XDECREF(m);
                        Py_XDECREF(w);
                        if (line == NULL) goto done;
                        rc = PyObject_IsTrue(line);
                        Py_DECREF(line);
                        if (rc < 0) goto done;
                        if (rc) EV_RETURN("product line after it");
                    }
                }
            }
        }
    }
    if (noun_first && prev.end > prev.start && all_space(s, sep) && span_cased(s, prev, 0) && !initial) {
        EV_TRY(in_words(s, prev, product_nouns));
        if (rc) EV_RETURN("product noun before it");
    }
    if (letters >= 3 && !initial && end - start == name_len && memcmp(s + start, nm, (size_t)name_len) == 0) {
        int distinctive = 0, seen_letter = 0;  /* _distinctive_casing: a capital after the first letter */
        for (Py_ssize_t i = 0; i < name_len; i++) {
            int letter = (nm[i] | 32) >= 'a' && (nm[i] | 32) <= 'z';
            if (letter && seen_letter && nm[i] <= 'Z') distinctive = 1;
            seen_letter |= letter;
        }
        if (distinctive) {
            int caps_run = 0;  /* _all_caps_run: a neighbouring word in capitals too */
            if (span_cased(nm, name_span, 1)) {
                Span around[2] = {prev, count > 0 ? words[0] : (Span){0, 0}};
                for (int k = 0; k < 2; k++) {
                    int alpha = 0;
                    for (Py_ssize_t i = around[k].start; i < around[k].end; i++)
                        alpha |= (s[i] | 32) >= 'a' && (s[i] | 32) <= 'z';
                    if (alpha && span_cased(s, around[k], 1) && around[k].end - around[k].start > 1) caps_run = 1;
                }
            }
            if (!caps_run) EV_RETURN("registered casing");
        }
    }
    out = Py_None;
    Py_INCREF(out);
done:
#undef EV_TRY
#undef EV_RETURN
#undef IN_RUN
    PyMem_Free(w.copy);
    return out;
}

/* named_entity: whether a competitor name stands in a named entity that is not the brand (an event, a person, a
 * place, a craft), read in ASCII copy as brand_evidence.py_named_entity, its Python twin, reads any copy. Returns
 * True, False, or NotImplemented where the text within 100 characters of the name, or the name, is past ASCII. */

#define ENTITY_REACH 100

static int ci_equals(const Py_UCS1 *s, Py_ssize_t at, Py_ssize_t len, const char *word, int ignore_case) {
    if ((Py_ssize_t)strlen(word) != len) return 0;
    for (Py_ssize_t k = 0; k < len; k++)
        if (ignore_case ? ascii_lower(s[at + k]) != (Py_UCS1)word[k] : s[at + k] != (Py_UCS1)word[k]) return 0;
    return 1;
}
static int one_of(const Py_UCS1 *s, Py_ssize_t at, Py_ssize_t len, const char *const *words, int ignore_case) {
    for (int k = 0; words[k]; k++) if (ci_equals(s, at, len, words[k], ignore_case)) return 1;
    return 0;
}
static int is_upper_ascii(Py_UCS1 c) { return c >= 'A' && c <= 'Z'; }
static int is_letter_ascii(Py_UCS1 c) { return (c | 32) >= 'a' && (c | 32) <= 'z'; }

/* The ends a pattern ending in "$" may end at, searched up to ``stop``: ``stop``, and before a final newline. */
static int dollar_ends(const Py_UCS1 *s, Py_ssize_t stop, Py_ssize_t ends[2]) {
    ends[0] = stop;
    if (stop > 0 && s[stop - 1] == '\n') { ends[1] = stop - 1; return 2; }
    return 1;
}

/* A word of ``words`` ends at ``e`` after at least one space, with a word boundary before it at or after
 * ``from``: "\b(?:like|...)\s+$" and the like, read back from the end. */
static int word_then_spaces_before(const Py_UCS1 *s, Py_ssize_t from, Py_ssize_t stop, const char *const *words,
                                   int ignore_case, int boundary_in_text) {
    Py_ssize_t ends[2];
    int count = dollar_ends(s, stop, ends);
    for (int k = 0; k < count; k++) {
        Py_ssize_t e = ends[k], w = e;
        while (w > from && is_regex_space(s[w - 1])) w--;
        if (w == e) continue;
        Py_ssize_t b = w;
        while (b > from && ev_word(s[b - 1])) b--;
        /* the word must start at a boundary: the character before is no word character (or the text starts) */
        if (b == from && from > 0 && boundary_in_text && ev_word(s[from - 1])) continue;
        if (b > from && ev_word(s[b - 1])) continue;
        if (one_of(s, b, w - b, words, ignore_case)) return 1;
    }
    return 0;
}

/* Whether a pattern ending in "$", searched in [from, stop), matches: ``ending_at`` tells whether it matches ending
 * at one place, and "$" stands at ``stop`` and before a final newline. */
static int before_dollar(const Py_UCS1 *s, Py_ssize_t from, Py_ssize_t stop,
                         int (*ending_at)(const Py_UCS1 *, Py_ssize_t, Py_ssize_t)) {
    return ending_at(s, from, stop) || (stop > 0 && s[stop - 1] == '\n' && ending_at(s, from, stop - 1));
}

/* ORIGIN_BEFORE: "made in", "product of", "hergestellt in"... then spaces (and "the"), ending at ``e``. */
static int origin_ending_at(const Py_UCS1 *s, Py_ssize_t from, Py_ssize_t e) {
    static const char *const made[] = {"made", "manufactured", "produced", "assembled", "printed", "grown", "sourced",
                                       "imported", "crafted", "bottled", "brewed", NULL};
    static const char *const in_from[] = {"in", "from", NULL}, *const of[] = {"of", NULL}, *const in[] = {"in", NULL};
    static const char *const en[] = {"en", NULL}, *const en_au[] = {"en", "au", "aux", NULL};
    static const char *const product[] = {"product", NULL}, *const de[] = {"hergestellt", "produziert", NULL};
    static const char *const fr[] = {"produit", NULL}, *const es[] = {"fabricado", "hecho", "producido", NULL};
    static const char *const it[] = {"prodotto", "fatto", "realizzato", "fabbricato", NULL};
    static const char *const *const firsts[] = {made, product, de, fr, es, it};
    static const char *const *const seconds[] = {in_from, of, in, en_au, en, in};
    Py_ssize_t w = e;
    while (w > from && is_regex_space(s[w - 1])) w--;
    if (w == e) return 0;
    Py_ssize_t tails[2] = {w, -1};  /* the phrase ends at w, or before "the" and its spaces */
    if (w - 3 >= from && ci_equals(s, w - 3, 3, "the", 1)) {
        Py_ssize_t t = w - 3;
        while (t > from && is_regex_space(s[t - 1])) t--;
        if (t < w - 3) tails[1] = t;
    }
    for (int q = 0; q < 2; q++) {
        Py_ssize_t y_end = tails[q];
        if (y_end < 0) continue;
        for (int a = 0; a < 6; a++) {
            for (int y = 0; seconds[a][y]; y++) {
                Py_ssize_t len = (Py_ssize_t)strlen(seconds[a][y]), y0 = y_end - len;
                if (y0 <= from || !ci_equals(s, y0, len, seconds[a][y], 1) || !is_regex_space(s[y0 - 1])) continue;
                Py_ssize_t x_end = y0;
                while (x_end > from && is_regex_space(s[x_end - 1])) x_end--;
                for (int x = 0; firsts[a][x]; x++) {
                    Py_ssize_t xl = (Py_ssize_t)strlen(firsts[a][x]), x0 = x_end - xl;
                    if (x0 < from || !ci_equals(s, x0, xl, firsts[a][x], 1)) continue;
                    if (x0 > 0 && ev_word(s[x0 - 1])) continue;  /* \b, looking before the search's start too */
                    return 1;
                }
            }
        }
    }
    return 0;
}

/* DESIGNATION_BEFORE: "AH-64 ", "F-16 ", "UH-60A ", ending at ``e``. */
static int designation_ending_at(const Py_UCS1 *s, Py_ssize_t from, Py_ssize_t e) {
    if (e - 1 < from || !is_regex_space(s[e - 1])) return 0;
    Py_ssize_t p = e - 1;
    for (int letter = 0; letter < 2; letter++) {  /* with the optional capital after the digits, and without */
        Py_ssize_t d_end = letter ? p - 1 : p;
        if (letter && (d_end < from || !is_upper_ascii(s[d_end]))) continue;
        Py_ssize_t d0 = d_end;
        while (d0 > from && d_end - d0 < 3 && s[d0 - 1] >= '0' && s[d0 - 1] <= '9') d0--;
        for (Py_ssize_t digits_start = d0; digits_start < d_end; digits_start++) {
            if (digits_start - 1 < from || s[digits_start - 1] != '-') continue;
            Py_ssize_t l_end = digits_start - 1, l0 = l_end;
            while (l0 > from && l_end - l0 < 3 && is_upper_ascii(s[l0 - 1])) l0--;
            for (Py_ssize_t ls = l0; ls < l_end; ls++)
                if (!(ls > 0 && ev_word(s[ls - 1]))) return 1;
        }
    }
    return 0;
}

/* POSSESSIVE_BEFORE: "Leonardo's ", ending at ``e``. */
static int possessive_ending_at(const Py_UCS1 *s, Py_ssize_t from, Py_ssize_t e) {
    if (e - 3 < from || !is_regex_space(s[e - 1]) || s[e - 2] != 's' || s[e - 3] != '\'') return 0;
    Py_ssize_t l = e - 3;
    while (l > from && s[l - 1] >= 'a' && s[l - 1] <= 'z') l--;
    if (l == e - 3 || l - 1 < from || !is_upper_ascii(s[l - 1])) return 0;
    return !(l - 1 > 0 && ev_word(s[l - 2]));
}

/* "[ -](?:\d{1,2}|[IVX]{1,4}|[A-Z])" at ``at`` within ``stop``: each way a designation can end, in the order the
 * pattern tries them (longest first); returns how many, in ``out``. */
static int designations_at(const Py_UCS1 *s, Py_ssize_t at, Py_ssize_t stop, Py_ssize_t out[7]) {
    int count = 0;
    if (at >= stop || (s[at] != ' ' && s[at] != '-')) return 0;
    Py_ssize_t p = at + 1, q = p;
    while (q < stop && q - p < 2 && s[q] >= '0' && s[q] <= '9') q++;
    for (Py_ssize_t e = q; e > p; e--) out[count++] = e;
    q = p;
    while (q < stop && q - p < 4 && (s[q] == 'I' || s[q] == 'V' || s[q] == 'X')) q++;
    for (Py_ssize_t e = q; e > p; e--) out[count++] = e;
    if (p < stop && is_upper_ascii(s[p])) out[count++] = p + 1;
    return count;
}

static PyObject *entity_ascii(PyObject *self, PyObject *args) {
    PyObject *text, *name, *lists, *callbacks;
    Py_ssize_t start, end;
    int title;
    if (!PyArg_ParseTuple(args, "UnnUpO!O!:entity_ascii", &text, &start, &end, &name, &title, &PyTuple_Type, &lists,
                          &PyTuple_Type, &callbacks))
        return NULL;
    PyObject *person_titles, *craft_roles, *craft_words, *event_words, *product_nouns, *cues_before, *count_words,
        *small_words, *eponyms, *first_names, *compared_before, *plural_in, *ambiguous;
    if (!PyArg_ParseTuple(lists, "O!O!O!O!O!O!O!O!O!O!O!:entity_ascii", &PyFrozenSet_Type, &person_titles,
                          &PyFrozenSet_Type, &craft_roles, &PyFrozenSet_Type, &craft_words, &PyFrozenSet_Type,
                          &event_words, &PyFrozenSet_Type, &product_nouns, &PyFrozenSet_Type, &cues_before,
                          &PyFrozenSet_Type, &count_words, &PyFrozenSet_Type, &small_words, &PyFrozenSet_Type,
                          &eponyms, &PyFrozenSet_Type, &first_names, &PyFrozenSet_Type, &compared_before)
        || !PyArg_ParseTuple(callbacks, "OO:entity_ascii", &plural_in, &ambiguous))
        return NULL;
    AsciiWindow w;
    int ascii = ascii_window(&w, "entity_ascii", text, start, end, name, ENTITY_REACH);
    if (ascii <= 0) return ascii < 0 ? NULL : Py_NewRef(Py_NotImplemented);
    const Py_UCS1 *s = w.s;
    Py_ssize_t at = start, n = w.n;  /* ``start`` in the text, for _char_before; ``s`` is read from the window */
    start = w.start, end = w.end;
    const Py_UCS1 *nm = PyUnicode_1BYTE_DATA(name);
    Py_ssize_t name_len = PyUnicode_GET_LENGTH(name);
    Span name_span = {0, name_len}, matched = {start, end};
    int rc, found = 0;
#define EN_TRY(call) do { rc = (call); if (rc < 0) goto fail; } while (0)
#define EN_FOUND() do { found = 1; goto done; } while (0)
    int exact = end - start == name_len && memcmp(s + start, nm, (size_t)name_len) == 0;
    int cap_matched = end > start && is_upper_ascii(s[start]);
    int plain_name = name_len > 1 && is_upper_ascii(nm[0]);  /* _plain_capitalised */
    for (Py_ssize_t i = 1; i < name_len && plain_name; i++) plain_name = nm[i] >= 'a' && nm[i] <= 'z';
    /* "R/C", "V.Smile", "X-Shot", "'C' shape": a letter inside a longer token (_glued) */
    if (span_alnum(nm, name_span) < 3) {
        static const char joiners[] = "/-.'&+";
        int glued = 0;
        if (start >= 2 && strchr(joiners, s[start - 1]) && s[start - 1] && ev_word(s[start - 2]) && s[start - 2] != '_')
            glued = 1;
        if (end + 2 <= n && s[end] && strchr(joiners, s[end]) && ev_word(s[end + 1]) && s[end + 1] != '_') glued = 1;
        int quote_before = start < 2 || s[start - 1] == '\'' || s[start - 1] == '"';
        int quote_after = end >= n || s[end] == '\'' || s[end] == '"';
        if (glued || (quote_before && quote_after)) EN_FOUND();
    }
    /* "we.Org", "Vue.js": part of a domain or a file name */
    if (!memchr(nm, '.', (size_t)name_len)
            && ((start >= 2 && ev_word(s[start - 2]) && s[start - 1] == '.')
                || (end + 1 < n && s[end] == '.' && ev_word(s[end + 1]))))
        EN_FOUND();
    {   /* "the Nike of Samothrace", "die Venus von Milo" */
        static const char *const articles[] = {"the", "der", "die", "das", "le", "la", "el", "il", "lo", NULL};
        Py_ssize_t from = start - 12 > 0 ? start - 12 : 0;
        if (word_then_spaces_before(s, from, start, articles, 1, 0)) {
            static const char *const ofs[] = {"of", "von", "de", "di", "del", "della", "du", "des", NULL};
            static const char *const the_la_le[] = {"the", "la", "le", NULL};
            Py_ssize_t stop = end + 40 < n ? end + 40 : n, p = end;
            while (p < stop && is_regex_space(s[p])) p++;
            Py_ssize_t w = p;
            while (w < stop && ev_word(s[w])) w++;
            if (p > end && w > p && one_of(s, p, w - p, ofs, 0)) {
                Py_ssize_t q = w;
                while (q < stop && is_regex_space(s[q])) q++;
                if (q > w) {
                    Py_ssize_t r = q;
                    while (r < stop && ev_word(s[r])) r++;
                    Py_ssize_t t = r;
                    while (t < stop && is_regex_space(s[t])) t++;
                    if (r > q && t > r && one_of(s, q, r - q, the_la_le, 0) && t < stop && is_upper_ascii(s[t])) EN_FOUND();
                    if (q < stop && is_upper_ascii(s[q])) EN_FOUND();
                }
            }
        }
    }
    Span sep;
    Span prev = prev_word(s, start, &sep);
    int sep_blank = all_space(s, sep), sep_dot = 0;
    {   /* sep.strip() == "." */
        Py_ssize_t a = sep.start, b = sep.end;
        while (a < b && Py_UNICODE_ISSPACE(s[a])) a++;
        while (b > a && Py_UNICODE_ISSPACE(s[b - 1])) b--;
        sep_dot = b - a == 1 && s[a] == '.';
    }
    if (prev.end > prev.start && (sep_blank || sep_dot) && cap_matched) {
        EN_TRY(in_words(s, prev, person_titles));
        if (rc) EN_FOUND();  /* "goddess Nike", "St. Julia" */
    }
    {
        static const char *const ofs[] = {"of", "von", "de", "du", "di", "del", NULL};
        if (one_of(s, prev.start, prev.end - prev.start, ofs, 1) && sep_blank && cap_matched) {
            Span role_sep;
            Span role = prev_word(s, prev.start, &role_sep);
            if (role.end > role.start && all_space(s, role_sep)) {
                EN_TRY(in_words(s, role, craft_roles));
                if (rc) EN_FOUND();  /* "the pilot of Thunderbird 1": a craft */
            }
        }
    }
    if (span_cased(s, matched, 1) && end - start <= 4) {  /* "NFC-enabled device" */
        static const char *const abilities[] = {"enabled", "capable", "ready", "compliant", "certified", "compatible",
                                                "equipped", NULL};
        Py_ssize_t stop = end + 14 < n ? end + 14 : n, w = end + 1;
        while (w < stop && ev_word(s[w])) w++;
        if (end < stop && s[end] == '-' && one_of(s, end + 1, w - end - 1, abilities, 1)) EN_FOUND();
    }
    {   /* "Kuma-chan", "Hana-san" */
        static const char *const honorifics[] = {"chan", "kun", "san", "sama", "senpai", "sensei", "tan", NULL};
        Py_ssize_t stop = end + 8 < n ? end + 8 : n, w = end + 1;
        while (w < stop && ev_word(s[w])) w++;
        if (end < stop && s[end] == '-' && one_of(s, end + 1, w - end - 1, honorifics, 0)) EN_FOUND();
    }
    if (cap_matched && before_dollar(s, start - 16 > 0 ? start - 16 : 0, start, designation_ending_at)) EN_FOUND();  /* "AH-64 Apache" */
    /* _shouted_word: "STICK LIKE MAGIC", "for use with GO!!!" */
    if (span_cased(s, matched, 1) && !span_cased(nm, name_span, 1) && is_upper_ascii(nm[0])) {
        static const char *const likes[] = {"like", "wie", "comme", "como", "come", NULL};
        int shouted = 0;
        if (word_then_spaces_before(s, start - 8 > 0 ? start - 8 : 0, start, likes, 1, 1)) {
            shouted = 1;
        } else if (end < n && s[end] == '!') {
            EN_TRY(lowered_in(s, prev, compared_before));
            shouted = !rc;
        }
        if (shouted) {
            PyObject *yes = PyObject_CallFunction(ambiguous, "Os", name, "en");
            if (yes == NULL) goto fail;
            rc = PyObject_IsTrue(yes);
            Py_DECREF(yes);
            if (rc < 0) goto fail;
            if (rc) EN_FOUND();
        }
    }
    if (cap_matched && before_dollar(s, start - 40 > 0 ? start - 40 : 0, start, origin_ending_at)) EN_FOUND();  /* "Made in Iceland" */
    Span gaps[3], words[3];
    if (plain_name && exact) {
        /* "Conan The Brigand", "Jake the Snake": a character's name and epithet */
        static const char *const articles[] = {"the", "der", "die", "das", "le", "la", "el", "il", "lo", NULL};
        Py_ssize_t stop = end + 30 < n ? end + 30 : n, p = end + 1, w = p;
        while (w < stop && is_letter_ascii(s[w])) w++;
        if (end < stop && is_regex_space(s[end]) && w < stop && is_regex_space(s[w]) && one_of(s, p, w - p, articles, 1)) {
            Py_ssize_t e = w + 1;
            while (e < stop && is_letter_ascii(s[e])) e++;
            if (e - (w + 1) >= 2) {
                int count = next_words(s, n, e, gaps, words), product = 0;
                if (count > 0 && span_is(s, gaps[0], " ")) {
                    EN_TRY(in_words(s, words[0], product_nouns));
                    product = rc;
                    if (!product) EN_TRY(product = model_after(s, gaps, words, count, 3, count_words));
                }
                if (!product) EN_FOUND();
            }
        }
        Py_ssize_t ends[7];
        Py_ssize_t stop6 = end + 6 < n ? end + 6 : n;
        int ways = designations_at(s, end, stop6, ends), designated = 0;
        for (int k = 0; k < ways && !designated; k++) {  /* (?!\w|[.,/:-]\w), within the six characters */
            Py_ssize_t e = ends[k];
            designated = !(e < stop6 && ev_word(s[e]))
                         && !(e + 1 < stop6 && s[e] && strchr(".,/:-", s[e]) && ev_word(s[e + 1]));
        }
        if (designated) {  /* "the Thunderbirds ... Thunderbird 2": one numbered member of a team or fleet */
            PyObject *yes = PyObject_CallFunctionObjArgs(plural_in, text, name, NULL);
            if (yes == NULL) goto fail;
            rc = PyObject_IsTrue(yes);
            Py_DECREF(yes);
            if (rc < 0) goto fail;
            if (rc) EN_FOUND();
        }
    }
    {   /* "the Saturn V rocket": one vehicle's name */
        Py_ssize_t stop = end + 40 < n ? end + 40 : n, ends[7];
        int ways = designations_at(s, end, stop, ends);
        for (int k = 0; k < ways; k++) {
            Py_ssize_t e = ends[k];
            if (e < stop && (s[e] == ' ' || s[e] == '-') && e + 1 < stop && is_letter_ascii(s[e + 1])) {
                Py_ssize_t w = e + 1;
                while (w < stop && is_letter_ascii(s[w])) w++;
                EN_TRY(in_words(s, (Span){e + 1, w}, craft_words));
                if (rc) EN_FOUND();
                break;  /* the first way the pattern matches decides */
            }
        }
    }
    int sep_space = span_is(s, sep, " ");
    if (sep_space && plain_name && before_dollar(s, start - 40 > 0 ? start - 40 : 0, start, possessive_ending_at)) EN_FOUND();
    int count = next_words(s, n, end, gaps, words);
    if (!title && sep_space && plain_name && exact && capitalised(s, prev) && !span_cased(s, prev, 1)) {
        /* "Donkey Kong", "Hong Kong": the last word of a longer proper name */
        int digit = 0, longer = 1;
        for (Py_ssize_t i = prev.start; i < prev.end; i++) digit |= s[i] >= '0' && s[i] <= '9';
        if (digit) longer = 0;
        if (longer) { EN_TRY(in_words(s, prev, cues_before)); longer = !rc; }
        if (longer) { EN_TRY(lowered_in(s, prev, small_words)); longer = !rc; }
        if (longer) { EN_TRY(model_after(s, gaps, words, count < 2 ? count : 2, 3, count_words)); longer = !rc; }
        if (longer && brand_after(s, n, end)) longer = 0;
        if (longer && sentence_start(text, at + (prev.start - start))) longer = 0;  /* "Like Nike" opening a sentence */
        if (longer) EN_FOUND();
    }
    if (count > 0 && (span_is(s, gaps[0], " ") || span_is(s, gaps[0], "-"))) {
        /* "Gatling gun", "Phillips screwdriver": a thing named after someone (_eponym) */
        Py_ssize_t len = name_len + 1 + (words[0].end - words[0].start);
        PyObject *phrase = PyUnicode_New(len, 127);
        if (phrase == NULL) goto fail;
        Py_UCS1 *d = PyUnicode_1BYTE_DATA(phrase);
        for (Py_ssize_t i = 0; i < name_len; i++) d[i] = (Py_UCS1)ascii_lower(nm[i]);
        d[name_len] = ' ';
        for (Py_ssize_t i = words[0].start; i < words[0].end; i++) d[name_len + 1 + i - words[0].start] = (Py_UCS1)ascii_lower(s[i]);
        rc = PySet_Contains(eponyms, phrase);
        for (int cut = 1; rc == 0 && cut <= 2 && len > cut; cut++) {
            if (d[len - 1] != 's' || (cut == 2 && d[len - 2] != 'e')) break;
            PyObject *shorter = PyUnicode_Substring(phrase, 0, len - cut);
            rc = shorter == NULL ? -1 : PySet_Contains(eponyms, shorter);
            Py_XDECREF(shorter);
        }
        Py_DECREF(phrase);
        if (rc < 0) goto fail;
        if (rc) EN_FOUND();
    }
    if (count > 0 && all_space(s, gaps[0]) && capitalised(s, words[0]) && !span_cased(s, words[0], 1)) {
        EN_TRY(in_words(s, words[0], event_words));
        if (rc) EN_FOUND();  /* "the Stanley Cup", "Ford Museum" */
        int person;
        EN_TRY(person = in_words(nm, name_span, person_titles));
        if (!person) EN_TRY(person = lowered_in(nm, name_span, first_names));
        if (person) {
            EN_TRY(in_words(s, words[0], product_nouns));
            if (!rc) {
                EN_TRY(model_after(s, gaps + 1, words + 1, (count < 2 ? count : 2) - 1, 3, count_words));
                if (!rc) EN_FOUND();  /* "Coach Ron", "Julia Donaldson" */
            }
        }
    }
done:
#undef EN_TRY
#undef EN_FOUND
    PyMem_Free(w.copy);
    return PyBool_FromLong(found);
fail:
    PyMem_Free(w.copy);
    return NULL;
}

/* ascii_repeats: how many uses of a word in lower-cased ASCII text repeat an earlier one, its words read as
 * repetition.ASCII_WORD ([a-z0-9][a-z0-9'-]*) reads them; words are told apart by a 64-bit hash, so two words
 * sharing one count as a repeat (the caller then counts in Python: never fewer repeats than there are). */
static int repeat_start(Py_UCS1 c) { return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'); }

static PyObject *ascii_repeats(PyObject *self, PyObject *text) {
    if (!PyUnicode_Check(text) || !PyUnicode_IS_ASCII(text)) {
        PyErr_SetString(PyExc_TypeError, "ascii_repeats() takes an ASCII str");
        return NULL;
    }
    const Py_UCS1 *s = PyUnicode_1BYTE_DATA(text);
    Py_ssize_t n = PyUnicode_GET_LENGTH(text), words = 0, repeats = 0;
    size_t cap = 64;
    while (cap < (size_t)n + 2) cap *= 2;  /* at most n / 1 words: the table never fills */
    uint64_t local[64], *seen = cap == 64 ? local : PyMem_Calloc(cap, sizeof(uint64_t));
    if (seen == NULL) return PyErr_NoMemory();
    if (seen == local) memset(local, 0, sizeof local);
    for (Py_ssize_t i = 0; i < n;) {
        Py_UCS1 c = (Py_UCS1)ascii_lower(s[i]);
        if (!repeat_start(c)) { i++; continue; }
        uint64_t h = FNV_START;
        for (; i < n; i++) {
            c = (Py_UCS1)ascii_lower(s[i]);
            if (!repeat_start(c) && c != '\'' && c != '-') break;
            h = fnv_step(h, c);
        }
        h = fnv_end(h);
        words++;
        size_t at = (size_t)h & (cap - 1);
        while (seen[at] != 0 && seen[at] != h) at = (at + 1) & (cap - 1);
        if (seen[at] == h) repeats++;
        else seen[at] = h;
    }
    if (seen != local) PyMem_Free(seen);
    return PyLong_FromSsize_t(repeats);
}

static PyMethodDef methods[] = {
    {"ascii_token_texts", ascii_token_texts, METH_O,
     "Return the distinct tokens of lower-case ASCII text (as normalize._ASCII_TOKEN_TEXT finds them)."},
    {"word_hash", word_hash, METH_O, "Return a word's 64-bit hash as the word-frequency tables key it."},
    {"zipf_arrays", zipf_arrays, METH_O,
     "Return (hashes, buckets) of lists of words per bucket as native int64 and uint16 bytes, sorted by hash."},
    {"file_brands", file_brands, METH_VARARGS,
     "Return (kept, exact, folded, upper, cjk): the competitor matcher's tables (see brand.py_file_brands)."},
    {"typo_table", typo_table, METH_O,
     "Return {misspelling: key} for a dict of words to keys (see lexicon.py_typo_table, its Python twin)."},
    {"confirm_prose", confirm_prose, METH_VARARGS,
     "Return [(start, end, place)] of the competitor names confirmed at prose_hits' words, or None to leave the "
     "text to brand.BrandMatcher._confirm, its Python twin."},
    {"ascii_shapes", ascii_shapes, METH_VARARGS,
     "Return {shape: count} of the broken-copy shapes in ASCII text (see wellformed.py_shapes, its Python twin)."},
    {"evidence_ascii", evidence_ascii, METH_VARARGS,
     "Return why an everyday-word name reads as the brand in ASCII copy, None, or NotImplemented past ASCII (see "
     "brand_evidence.py_brand_evidence, its Python twin)."},
    {"entity_ascii", entity_ascii, METH_VARARGS,
     "Tell whether a competitor name in ASCII copy stands in a named entity, or NotImplemented past ASCII (see "
     "brand_evidence.py_named_entity, its Python twin)."},
    {"ascii_repeats", ascii_repeats, METH_O,
     "Return how many uses of a word in ASCII text repeat an earlier one (see repetition.Repetition._repeats)."},
    {"screen", screen_text, METH_O,
     "Return the bits of what a text could hold for the detectors' listing gates (see the comment above)."},
    {NULL, NULL, 0, NULL},
};

static struct PyModuleDef module = {PyModuleDef_HEAD_INIT, "_tokens", NULL, -1, methods};

PyMODINIT_FUNC PyInit__tokens(void) {
    PyTypeObject *types[] = {&VocabType, &WordTableType, &LiteralTableType};
    PyObject *mod = PyModule_Create(&module);
    if (mod == NULL) return NULL;
    for (size_t k = 0; k < sizeof types / sizeof types[0]; k++) {
        /* PyModule_AddType readies the type and adds it under its short name (Vocab, WordTable, ...). */
        if (PyModule_AddType(mod, types[k]) < 0) {
            Py_DECREF(mod);
            return NULL;
        }
    }
    return mod;
}
