"""Layer 5b (CLI adapter): the ``listing-lint`` command; argparse and output formats live only here."""
