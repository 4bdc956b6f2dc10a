"""Build step setuptools cannot read from pyproject.toml without experimental options: two C extensions."""

from setuptools import Extension, setup

# Both optional: without a C compiler the install still succeeds and the engine uses their Python twins, which
# find the same, more slowly. engine/_tokens.c holds the scans (the concept gate's tokenizer, the word and
# literal tables, the detectors' screen); engine/_heuristics.c the rules' per-listing heuristics.
_ENGINE = "server/listing_lint/engine/"
_SHARED = [_ENGINE + "_text.h"]
setup(ext_modules=[
    Extension("listing_lint.engine._tokens", [_ENGINE + "_tokens.c"], depends=_SHARED, optional=True),
    Extension("listing_lint.engine._heuristics", [_ENGINE + "_heuristics.c"], depends=_SHARED, optional=True),
])
