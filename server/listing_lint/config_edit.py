"""Layer 3 (settings): edit a config file as TOML (with ``tomlkit``), keeping its layout and comments.

"Add 'X' to own brands" used to splice text into the file with regular expressions, which broke it in
most layouts: a multi-line ``own`` list got a second ``own`` key, a name with ``[`` ended the array early,
and a name matched across a line break put a raw newline inside a TOML string. tomlkit edits the parsed
document and writes it back as it was, with only the new name added.
"""

from __future__ import annotations

import sys
from typing import Any, Optional

import tomlkit
from tomlkit.exceptions import TOMLKitError

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - exercised only on 3.10
    import tomli as tomllib


def brand_name(text: str) -> str:
    """Return a flagged text as a brand name: whitespace runs (line breaks included) collapsed to one space."""
    return " ".join(text.split())


def _own_table(root: Any) -> Optional[Any]:
    """Return the ``brands`` table under ``root``, adding it when absent; None when it is not a table."""
    brands = root.get("brands")
    if brands is None:
        root["brands"] = tomlkit.table()
        return root["brands"]
    return brands if isinstance(brands, dict) else None


def add_own_brand(text: str, name: str, pyproject: bool = False) -> Optional[str]:
    """Return ``text`` (a listing-lint.toml, or a pyproject.toml when ``pyproject``) with ``name`` in ``brands.own``.

    Every layout of ``own`` is handled: no file (empty ``text``), no ``[brands]`` table, an inline list,
    a multi-line list with comments, a dotted ``brands.own`` key, an inline ``brands = {...}`` table or a
    single string. Return None when the name is empty or already listed, or when the file is not valid
    TOML or its ``brands``/``own`` has a shape the config loader would refuse anyway: nothing to offer.
    """
    name = brand_name(name)
    if not name:
        return None
    try:
        doc = tomlkit.parse(text)
        root: Any = doc
        if pyproject:
            tool = doc.get("tool")
            if tool is None:
                doc["tool"] = tomlkit.table(is_super_table=True)
                tool = doc["tool"]
            section = tool.get("listing-lint") if isinstance(tool, dict) else None
            if section is None and isinstance(tool, dict):
                tool["listing-lint"] = tomlkit.table()
                section = tool["listing-lint"]
            if not isinstance(section, dict):
                return None
            root = section
        elif text.strip() and "brands" not in doc:
            # A blank line before the new [brands] table, as a person would write it.
            for _ in range(0 if text.endswith("\n\n") else 1 if text.endswith("\n") else 2):
                doc.add(tomlkit.nl())
        brands = _own_table(root)
        if brands is None:
            return None
        own = brands.get("own")
        if own is None:
            brands["own"] = tomlkit.array()
            own = brands["own"]
        elif isinstance(own, str):  # `own = "Vantora"` is a one-name list to the loader
            brands["own"] = tomlkit.array()
            brands["own"].append(str(own))
            own = brands["own"]
        if not isinstance(own, list) or not all(isinstance(v, str) for v in own):
            return None
        if name in own:
            return None
        own.append(name)
        new_text = tomlkit.dumps(doc)
        if "\r\n" in text and text.count("\n") == text.count("\r\n"):  # keep a Windows file's line ends
            new_text = new_text.replace("\r\n", "\n").replace("\n", "\r\n")
    except (TOMLKitError, ValueError, TypeError, KeyError, RecursionError):
        return None
    return new_text if _really_added(new_text, name, pyproject) else None


def _really_added(text: str, name: str, pyproject: bool) -> bool:
    """Check the edited file with the standard parser (the one the config loader uses): it holds the name."""
    try:
        data = tomllib.loads(text)
    except (tomllib.TOMLDecodeError, RecursionError):
        return False
    if pyproject:
        data = data.get("tool", {}).get("listing-lint", {})
    own = data.get("brands", {}).get("own") if isinstance(data, dict) else None
    return isinstance(own, list) and name in own
