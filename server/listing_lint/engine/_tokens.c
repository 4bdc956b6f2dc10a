/* Layer 3 (engine), compiled: the distinct tokens of lower-case ASCII text, for the concept gate.
 *
 * The same tokens as normalize._ASCII_TOKEN_TEXT finds: [a-z]+('[a-z]+)* | [0-9]+([.,][0-9]+)* | [$%#+=&@?].
 * The concept gate reads every listing's whole text this way; in Python that is most of its cost.
 * normalize.py falls back to its own code when this module was not built (no C compiler at install).
 */
#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include <stdint.h>
#include <string.h>

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

/* Tokens of lower-case ASCII bytes, added to a set; *flags gets 1 for a letter, 2 for a digit, 4 for a token
 * holding an apostrophe. Returns -1 with an exception set on failure. */
static int add_tokens(PyObject *out, const unsigned char *s, Py_ssize_t n, int *flags) {
    Py_ssize_t i = 0;
    while (i < n) {
        unsigned char c = s[i];
        Py_ssize_t start = i;
        if (is_lower(c)) {
            *flags |= 1;
            while (i < n && is_lower(s[i])) i++;
            while (i + 1 < n && s[i] == '\'' && is_lower(s[i + 1])) {
                *flags |= 4;
                i++;
                while (i < n && is_lower(s[i])) i++;
            }
        } else if (is_digit(c)) {
            *flags |= 2;
            while (i < n && is_digit(s[i])) i++;
            while (i + 1 < n && (s[i] == '.' || s[i] == ',') && is_digit(s[i + 1])) {
                i++;
                while (i < n && is_digit(s[i])) i++;
            }
        } else if (is_symbol(c)) {
            i++;
        } else {
            i++;
            continue;
        }
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
    int flags = 0;
    if (out == NULL) return NULL;
    if (add_tokens(out, (const unsigned char *)PyUnicode_DATA(arg), PyUnicode_GET_LENGTH(arg), &flags) < 0) {
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

static PyObject *plain_token_set(PyObject *self, PyObject *arg) {
    if (!PyUnicode_Check(arg)) {
        PyErr_SetString(PyExc_TypeError, "plain_token_set() takes a str");
        return NULL;
    }
    Py_ssize_t n = PyUnicode_GET_LENGTH(arg);
    int kind = PyUnicode_KIND(arg);
    const void *data = PyUnicode_DATA(arg);
    unsigned char *buf = PyMem_Malloc((size_t)n * 3 + 1);  /* "…" becomes three characters */
    if (buf == NULL) return PyErr_NoMemory();
    Py_ssize_t m = 0;
    for (Py_ssize_t i = 0; i < n; i++) {
        Py_UCS4 c = PyUnicode_READ(kind, data, i);
        if (c < 128) {
            buf[m++] = (unsigned char)(c >= 'A' && c <= 'Z' ? c + 32 : c);
            continue;
        }
        const char *a = as_ascii(c);
        if (a == NULL) {
            PyMem_Free(buf);
            Py_RETURN_NONE;
        }
        while (*a) buf[m++] = (unsigned char)*a++;
    }
    PyObject *out = PySet_New(NULL);
    int flags = 0;
    if (out == NULL || add_tokens(out, buf, m, &flags) < 0) {
        PyMem_Free(buf);
        Py_XDECREF(out);
        return NULL;
    }
    PyMem_Free(buf);
    return Py_BuildValue("(NNNN)", out, PyBool_FromLong(flags & 1), PyBool_FromLong(flags & 2),
                         PyBool_FromLong(flags & 4));
}

static PyMethodDef methods[] = {
    {"ascii_token_texts", ascii_token_texts, METH_O,
     "Return the distinct tokens of lower-case ASCII text (as normalize._ASCII_TOKEN_TEXT finds them)."},
    {"plain_token_set", plain_token_set, METH_O,
     "Return (tokens, has a letter, has a digit, a token holds an apostrophe) of a text that is ASCII but for "
     "characters the tokenizer reads as ASCII or as separators, or None for any other text."},
    {NULL, NULL, 0, NULL},
};

static struct PyModuleDef module = {PyModuleDef_HEAD_INIT, "_tokens", NULL, -1, methods};

PyMODINIT_FUNC PyInit__tokens(void) { return PyModule_Create(&module); }
