"""Build step setuptools cannot read from pyproject.toml without experimental options: one C extension."""

from setuptools import Extension, setup

# The concept gate's tokenizer in C (engine/_tokens.c). Optional: without a C compiler the install still
# succeeds and engine/normalize.py uses its Python twin, which finds the same tokens, more slowly.
setup(ext_modules=[Extension("listing_lint.engine._tokens", ["server/listing_lint/engine/_tokens.c"], optional=True)])
