/* Layer 3 (engine), compiled: the rules' per-listing heuristics, each the twin of a Python function that stays
 * the reference (tests compare the two on the real corpus and on made-up text):
 *
 * - confirm_prose: which competitor names stand where prose_hits found their first words
 *   (detectors/brand.py, BrandMatcher._confirm);
 * - ascii_shapes: the fix guard's count of broken-copy shapes (wellformed.py, py_shapes);
 * - evidence_ascii: why an everyday-word name reads as the brand (detectors/brand_evidence.py,
 *   py_brand_evidence);
 * - entity_ascii: whether a name stands in another named entity (brand_evidence.py, py_named_entity);
 * - ascii_most_uses: how often a title's most used word is used (kinds/repetition.py, Repetition._repeats).
 *
 * Each reads ASCII text (and ASCII names) and leaves the rest to its twin, which is also what an install
 * without a C compiler runs.
 */
#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include <stdint.h>
#include <string.h>

#include "_text.h"

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

static int is_re_word(Py_UCS4 c) { return Py_UNICODE_ISALNUM(c) || c == '_'; }  /* the re module's \w */

/* The places filed under a crowded key when the text's next word files none of its names (most of the time:
 * "The" before an everyday word), from the matcher's index of the key (brand.py ``_places_at``: (the names
 * that need no next word, {next word: names}), by key, one dict per table); NULL without an error when the
 * matcher must pick (the key not indexed yet, or a name filed under the next word), NULL with one on a failure.
 * The next word is ``NEXT_WORD``'s (``\W*(\w+)``), case-folded for the capitals table. */
static PyObject *crowded_places(PyObject *index, PyObject *word, PyObject *text, Py_ssize_t end, int capitals) {
    PyObject *entry = PyDict_GetItemWithError(index, word);
    if (entry == NULL) return NULL;
    if (!PyTuple_Check(entry) || PyTuple_GET_SIZE(entry) != 2 || !PyList_Check(PyTuple_GET_ITEM(entry, 0))
        || !PyDict_Check(PyTuple_GET_ITEM(entry, 1))) {
        PyErr_SetString(PyExc_TypeError, "confirm_prose(): a crowded key's index must be (list, dict)");
        return NULL;
    }
    PyObject *plain = PyTuple_GET_ITEM(entry, 0), *by_second = PyTuple_GET_ITEM(entry, 1);
    int kind = PyUnicode_KIND(text);
    const void *data = PyUnicode_DATA(text);
    Py_ssize_t n = PyUnicode_GET_LENGTH(text), i = end;
    while (i < n && !is_re_word(PyUnicode_READ(kind, data, i))) i++;
    if (i < n) {
        Py_ssize_t j = i;
        while (j < n && is_re_word(PyUnicode_READ(kind, data, j))) j++;
        PyObject *next = PyUnicode_Substring(text, i, j);
        if (next == NULL) return NULL;
        if (capitals) {
            PyObject *folded = PyObject_CallMethod(next, "casefold", NULL);
            Py_DECREF(next);
            if (folded == NULL) return NULL;
            next = folded;
        }
        PyObject *more = PyDict_GetItemWithError(by_second, next);
        Py_DECREF(next);
        if (more != NULL) return NULL;  /* some name goes on with the next word: the matcher picks */
        if (PyErr_Occurred()) return NULL;
    }
    Py_INCREF(plain);
    return plain;
}

static PyObject *confirm_prose(PyObject *self, PyObject *const *args, Py_ssize_t nargs) {
    static const char *fn = "confirm_prose";
    if (!fast_count(fn, nargs, 6, 7) || !fast_type(fn, args[0], &PyUnicode_Type, 1)
        || !fast_type(fn, args[1], &PyList_Type, 2) || !fast_type(fn, args[2], &PyDict_Type, 3)
        || !fast_type(fn, args[3], &PyDict_Type, 4) || !fast_type(fn, args[4], &PyList_Type, 5)
        || (nargs == 7 && !fast_type(fn, args[6], &PyTuple_Type, 7)))
        return NULL;
    PyObject *text = args[0], *hits = args[1], *exact = args[2], *upper = args[3], *names = args[4],
        *crowded = args[5], *crowds = nargs == 7 ? args[6] : NULL;
    if (crowds != NULL && (PyTuple_GET_SIZE(crowds) != 2 || !PyDict_Check(PyTuple_GET_ITEM(crowds, 0))
                           || !PyDict_Check(PyTuple_GET_ITEM(crowds, 1)))) {
        PyErr_SetString(PyExc_TypeError, "confirm_prose(): crowds must be two dicts, by table");
        return NULL;
    }
    int kind = PyUnicode_KIND(text);
    const void *data = PyUnicode_DATA(text);
    Py_ssize_t n = PyUnicode_GET_LENGTH(text), count = 0, cap = 0;
    BrandFound *found = NULL;
    PyObject *out = NULL;
    for (Py_ssize_t h = 0; h < PyList_GET_SIZE(hits); h++) {
        PyObject *hit = PyList_GET_ITEM(hits, h);
        Py_ssize_t pos, end;
        if (!PyTuple_Check(hit) || PyTuple_GET_SIZE(hit) != 3) {
            PyErr_SetString(PyExc_TypeError, "confirm_prose() takes hits of (start, end, word)");
            goto done;
        }
        PyObject *word = PyTuple_GET_ITEM(hit, 2);
        if (!fast_ssize(PyTuple_GET_ITEM(hit, 0), &pos) || !fast_ssize(PyTuple_GET_ITEM(hit, 1), &end)
            || !fast_type(fn, word, &PyUnicode_Type, 3))
            goto done;
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
                places = crowds != NULL ? crowded_places(PyTuple_GET_ITEM(crowds, capitals), word, text, end, capitals)
                                        : NULL;
                if (places == NULL && PyErr_Occurred()) goto done;
                if (places == NULL) places = PyObject_CallFunction(crowded, "OOiOn", table, word, capitals, text, end);
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
    Py_ssize_t longest;
    if (!PyTuple_Check(words) || PyTuple_GET_SIZE(words) != 6 || !fast_ssize(PyTuple_GET_ITEM(words, 5), &longest)) {
        if (!PyErr_Occurred()) PyErr_SetString(PyExc_TypeError, "ascii_shapes() takes six word tables");
        return -1;
    }
    PyObject *dangling = PyTuple_GET_ITEM(words, 0), *conjunctions = PyTuple_GET_ITEM(words, 1),
        *hard = PyTuple_GET_ITEM(words, 2), *hard_after = PyTuple_GET_ITEM(words, 3), *pairs = PyTuple_GET_ITEM(words, 4);
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

static PyObject *ascii_shapes(PyObject *self, PyObject *const *args, Py_ssize_t nargs) {
    static const char *fn = "ascii_shapes";
    int clauses, sentences;
    if (!fast_count(fn, nargs, 4, 4) || !fast_type(fn, args[0], &PyUnicode_Type, 1) || !fast_flag(args[1], &clauses)
        || !fast_flag(args[2], &sentences) || !fast_type(fn, args[3], &PyTuple_Type, 4))
        return NULL;
    PyObject *text = args[0], *words = args[3];
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

static PyObject *evidence_ascii(PyObject *self, PyObject *const *args, Py_ssize_t nargs) {
    static const char *fn = "evidence_ascii";
    Py_ssize_t start, end;
    int title, noun_first;
    PyObject *sets[8];
    if (!fast_count(fn, nargs, 9, 9) || !fast_type(fn, args[0], &PyUnicode_Type, 1) || !fast_ssize(args[1], &start)
        || !fast_ssize(args[2], &end) || !fast_type(fn, args[3], &PyUnicode_Type, 4) || !fast_flag(args[4], &title)
        || !fast_flag(args[6], &noun_first) || !fast_sets(fn, args[7], sets, 8))
        return NULL;
    PyObject *text = args[0], *name = args[3], *lang = args[5], *product_line = args[8];
    PyObject *cues_before = sets[0], *product_nouns = sets[1], *event_words = sets[2], *work_words = sets[3],
        *count_words = sets[4], *small_words = sets[5], *not_in_run = sets[6], *definite_articles = sets[7];
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

static PyObject *entity_ascii(PyObject *self, PyObject *const *args, Py_ssize_t nargs) {
    static const char *fn = "entity_ascii";
    Py_ssize_t start, end;
    int title;
    PyObject *sets[11];
    if (!fast_count(fn, nargs, 7, 7) || !fast_type(fn, args[0], &PyUnicode_Type, 1) || !fast_ssize(args[1], &start)
        || !fast_ssize(args[2], &end) || !fast_type(fn, args[3], &PyUnicode_Type, 4) || !fast_flag(args[4], &title)
        || !fast_sets(fn, args[5], sets, 11) || !fast_type(fn, args[6], &PyTuple_Type, 7))
        return NULL;
    PyObject *text = args[0], *name = args[3], *callbacks = args[6];
    if (PyTuple_GET_SIZE(callbacks) != 2) {
        PyErr_SetString(PyExc_TypeError, "entity_ascii() takes two callbacks");
        return NULL;
    }
    PyObject *person_titles = sets[0], *craft_roles = sets[1], *craft_words = sets[2], *event_words = sets[3],
        *product_nouns = sets[4], *cues_before = sets[5], *count_words = sets[6], *small_words = sets[7],
        *eponyms = sets[8], *first_names = sets[9], *compared_before = sets[10],
        *plural_in = PyTuple_GET_ITEM(callbacks, 0), *ambiguous = PyTuple_GET_ITEM(callbacks, 1);
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

/* ascii_most_uses: how many times the word used most is used in lower-cased ASCII text, its words read as
 * repetition.ASCII_WORD ([a-z0-9][a-z0-9'-]*) reads them; words are told apart by a 64-bit hash, so two words
 * sharing one count as one (the caller then counts in Python: never fewer uses than there are). */
static int repeat_start(Py_UCS1 c) { return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'); }

static PyObject *ascii_most_uses(PyObject *self, PyObject *text) {
    if (!PyUnicode_Check(text) || !PyUnicode_IS_ASCII(text)) {
        PyErr_SetString(PyExc_TypeError, "ascii_most_uses() takes an ASCII str");
        return NULL;
    }
    const Py_UCS1 *s = PyUnicode_1BYTE_DATA(text);
    Py_ssize_t n = PyUnicode_GET_LENGTH(text), most = 0;
    size_t cap = 64;
    while (cap < (size_t)n + 2) cap *= 2;  /* at most n / 1 words: the table never fills */
    uint64_t local[64], *seen = cap == 64 ? local : PyMem_Calloc(cap, sizeof(uint64_t));
    uint32_t local_uses[64], *uses = cap == 64 ? local_uses : PyMem_Calloc(cap, sizeof(uint32_t));
    if (seen == NULL || uses == NULL) {
        if (seen != local) PyMem_Free(seen);
        if (uses != local_uses) PyMem_Free(uses);
        return PyErr_NoMemory();
    }
    if (seen == local) {
        memset(local, 0, sizeof local);
        memset(local_uses, 0, sizeof local_uses);
    }
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
        size_t at = (size_t)h & (cap - 1);
        while (seen[at] != 0 && seen[at] != h) at = (at + 1) & (cap - 1);
        seen[at] = h;
        if (++uses[at] > most) most = uses[at];
    }
    if (seen != local) PyMem_Free(seen);
    if (uses != local_uses) PyMem_Free(uses);
    return PyLong_FromSsize_t(most);
}

static PyMethodDef methods[] = {
    {"confirm_prose", (PyCFunction)(void (*)(void))confirm_prose, METH_FASTCALL,
     "Return [(start, end, place)] of the competitor names confirmed at prose_hits' words, or None to leave the "
     "text to brand.BrandMatcher._confirm, its Python twin."},
    {"ascii_shapes", (PyCFunction)(void (*)(void))ascii_shapes, METH_FASTCALL,
     "Return {shape: count} of the broken-copy shapes in ASCII text (see wellformed.py_shapes, its Python twin)."},
    {"evidence_ascii", (PyCFunction)(void (*)(void))evidence_ascii, METH_FASTCALL,
     "Return why an everyday-word name reads as the brand in ASCII copy, None, or NotImplemented past ASCII (see "
     "brand_evidence.py_brand_evidence, its Python twin)."},
    {"entity_ascii", (PyCFunction)(void (*)(void))entity_ascii, METH_FASTCALL,
     "Tell whether a competitor name in ASCII copy stands in a named entity, or NotImplemented past ASCII (see "
     "brand_evidence.py_named_entity, its Python twin)."},
    {"ascii_most_uses", ascii_most_uses, METH_O,
     "Return how many times the word used most in ASCII text is used (see repetition.Repetition._repeats)."},
    {NULL, NULL, 0, NULL},
};

static struct PyModuleDef module = {PyModuleDef_HEAD_INIT, "_heuristics", NULL, -1, methods};

PyMODINIT_FUNC PyInit__heuristics(void) { return PyModule_Create(&module); }
