/* Layer 3 (engine), compiled: what the engine's two C modules (_tokens.c, _heuristics.c) both read text with. */
#ifndef LISTING_LINT_TEXT_H
#define LISTING_LINT_TEXT_H

#include <Python.h>
#include <stdint.h>

static inline int is_lower(unsigned char c) { return c >= 'a' && c <= 'z'; }

/* FNV-1a, a character at a time, then mixed: the hash the word and literal tables file their keys by. */
#define FNV_START 14695981039346656037ull
static inline uint64_t fnv_step(uint64_t h, Py_UCS4 c) { return (h ^ c) * 1099511628211ull; }
static inline uint64_t fnv_end(uint64_t h) {
    h ^= h >> 33;
    h *= 0xff51afd7ed558ccdull;
    h ^= h >> 33;
    return h | 1;
}

/* Arguments of the METH_FASTCALL functions, checked as PyArg_ParseTuple's codes ("U", "O!", "n", "p", "k", "i")
 * check them: the tuple PyArg_ParseTuple reads is made and parsed for every call, and the engine makes a dozen
 * such calls a listing. Each returns 0 with an exception set when the argument is refused. */
static inline int fast_count(const char *fn, Py_ssize_t nargs, Py_ssize_t least, Py_ssize_t most) {
    if (nargs >= least && nargs <= most) return 1;
    if (least == most)
        PyErr_Format(PyExc_TypeError, "%s() takes exactly %zd arguments (%zd given)", fn, least, nargs);
    else
        PyErr_Format(PyExc_TypeError, "%s() takes %zd to %zd arguments (%zd given)", fn, least, most, nargs);
    return 0;
}

static inline int fast_type(const char *fn, PyObject *o, PyTypeObject *type, int n) {
    if (PyObject_TypeCheck(o, type)) return 1;
    PyErr_Format(PyExc_TypeError, "%s() argument %d must be %s, not %.50s", fn, n, type->tp_name, Py_TYPE(o)->tp_name);
    return 0;
}

static inline int fast_ssize(PyObject *o, Py_ssize_t *out) {
    Py_ssize_t v = PyNumber_AsSsize_t(o, PyExc_OverflowError);
    if (v == -1 && PyErr_Occurred()) return 0;
    *out = v;
    return 1;
}

static inline int fast_flag(PyObject *o, int *out) {
    int v = PyObject_IsTrue(o);
    if (v < 0) return 0;
    *out = v;
    return 1;
}

static inline int fast_ulong_mask(PyObject *o, unsigned long *out) {
    if (!PyLong_Check(o)) {
        PyErr_Format(PyExc_TypeError, "an integer is required, not %.50s", Py_TYPE(o)->tp_name);
        return 0;
    }
    unsigned long v = PyLong_AsUnsignedLongMask(o);
    if (v == (unsigned long)-1 && PyErr_Occurred()) return 0;
    *out = v;
    return 1;
}

static inline int fast_int(PyObject *o, int *out) {
    long v = PyLong_AsLong(o);
    if (v == -1 && PyErr_Occurred()) return 0;
    if (v > INT_MAX || v < INT_MIN) {
        PyErr_SetString(PyExc_OverflowError, "signed integer is out of range for a C int");
        return 0;
    }
    *out = (int)v;
    return 1;
}

/* A tuple of exactly n frozensets (the word lists a heuristic reads), each put in out[]. */
static inline int fast_sets(const char *fn, PyObject *tuple, PyObject **out, Py_ssize_t n) {
    if (!PyTuple_Check(tuple) || PyTuple_GET_SIZE(tuple) != n) {
        PyErr_Format(PyExc_TypeError, "%s() takes a tuple of %zd frozensets", fn, n);
        return 0;
    }
    for (Py_ssize_t k = 0; k < n; k++) {
        PyObject *item = PyTuple_GET_ITEM(tuple, k);
        if (!PyFrozenSet_Check(item)) {
            PyErr_Format(PyExc_TypeError, "%s() takes a tuple of %zd frozensets, not %.50s at %zd", fn, n,
                         Py_TYPE(item)->tp_name, k);
            return 0;
        }
        out[k] = item;
    }
    return 1;
}

#endif
