"""Layer 3 (engine): the rule schema, and the loader that reads and validates rule packs from TOML."""

from __future__ import annotations

import json
import os
import re
import sys
from collections.abc import Callable, Mapping
from pathlib import Path
from types import MappingProxyType
from typing import Any, NamedTuple, Optional

from ..diagnostics import Applicability, Severity
from ..digests import blake2b
from ..model import FieldKind
from ..names import close_matches
from . import prebuilt
from .files import InputFileError, read_input_bytes

RULE_ID = re.compile(r"^[A-Z]{2,5}\d{3}$")
RULE_NAME = re.compile(r"^[a-z][a-z0-9]*(?:-[a-z0-9]+)*$")
KINDS = ("existence", "detector", "length", "count", "repetition", "concept")
FIX_KINDS = ("remove", "remove-contact", "remove-sentence", "replace", "replace-sentence")
STATUSES = ("stable", "preview", "deprecated", "removed")
LANGUAGES = ("en", "zh", "de", "fr", "es", "it", "ja", "pt", "nl", "any")


class SpecError(Exception):
    """A rule pack or config file is malformed; carries the file, line and key."""

    def __init__(self, path: str, message: str, line: Optional[int] = None, key: Optional[str] = None):
        self.path = path
        self.line = line
        self.key = key
        self.detail = message
        where = f"{path}:{line}" if line else path
        super().__init__(f"{where}: {f'{key}: ' if key else ''}{message}")


def line_of_key(text: str, key: Optional[str]) -> Optional[int]:
    """Return the 1-based line where a (possibly dotted) key is defined in TOML text, if it can be found.

    ``patterns.en`` is looked for as ``en``, then as ``patterns``: a list written inline has no line of its own.
    """
    if not key:
        return None
    for part in reversed(key.split(".")):
        name = part.split("[")[0]
        pattern = re.compile(r'^\s*(?:\[+\s*)?(?:"?[\w.-]+"?\.)*"?' + re.escape(name) + r'"?\s*(?:=|\]|\.)', re.M)
        m = pattern.search(text)
        if m:
            return text.count("\n", 0, m.start()) + 1
    return None


_PARSED: dict[str, str] = {}
"""Digest of a TOML file's bytes -> its parsed data as JSON, for files read more than once in a process."""
_USED: set[str] = set()
"""Digests of the files read in this process, which are what a kept store needs."""
_STORE: list = [None, False, False]
"""[loader of a kept store's entries or None, whether a file was parsed since the store was loaded, whether a
keeper is in use (``keep_parsed``)]."""
_LOADED: list[Mapping[str, str]] = [{}]
"""The kept store's entries, once loaded (each decoded when first used, then held in ``_PARSED``)."""


def keep_parsed(loader: Optional[Callable[[], Mapping[str, str]]]) -> None:
    """Take parsed TOML from ``loader`` (digest -> JSON text) on the first file not parsed in this process.

    The command line keeps the parsed rule packs and lexicons in its cache folder: parsing them is the dearest
    part of starting a run. Entries are keyed on the bytes they were parsed from, so an edited file is parsed
    again; and they are data (JSON), checked when used: one that does not decode to a table is parsed again.
    """
    _STORE[0], _STORE[1], _STORE[2] = loader, False, loader is not None
    _LOADED[0] = {}


def parsed_kept() -> None:
    """Note that what ``parsed_to_keep`` returned is kept: it returns None again until a file is parsed anew."""
    _STORE[1] = False


def parsed_to_keep() -> Optional[dict[str, str]]:
    """Return the parsed data of every file read in this process, if one was parsed anew (else None: unchanged)."""
    if not _STORE[1]:
        return None
    return {k: _PARSED[k] for k in sorted(_USED) if k in _PARSED}


def kept_data(key_text: str, make: Callable[[bool], tuple[Any, Any]], convert: Callable[[Any], Any]) -> Any:
    """Return a value that ``make`` works out, or that ``convert`` rebuilds from what an earlier run kept.

    ``make(keep)`` returns ``(data, value)``: ``data`` is JSON-shaped (None unless ``keep``) and
    ``convert(data)`` must equal ``value``.
    While a run keeps parsed files (``keep_parsed``), ``data`` is kept as JSON with them, under a digest of
    ``key_text``, which must name all it is made from (the code that makes it included): the command line and
    the language server keep it in the cache folder, so the next run takes it from there. Kept data that
    ``convert`` refuses (raising ``ValueError``, ``TypeError``, ``KeyError`` or ``IndexError``) is made again.
    Without a keeper (``--no-cache``) nothing is kept, and only what the package holds prebuilt (``prebuilt``)
    is converted: otherwise ``make`` alone does the work.
    """
    keeping = _STORE[2]
    key = blake2b(key_text.encode("utf-8", "surrogatepass"), digest_size=16).hexdigest()
    known = _known(key) if keeping else prebuilt.known(key)
    if known is not None:
        try:
            converted = convert(json.loads(known))
        except (ValueError, TypeError, KeyError, IndexError, RecursionError):
            _forget(key)
        else:
            _USED.add(key)
            return converted
    if not keeping:
        return make(False)[1]
    data, value = make(True)
    _remember(key, json.dumps(data, ensure_ascii=False, separators=(",", ":")))
    return value


def _forget(key: str) -> None:
    """Drop a kept or prebuilt entry its user refused: it is made afresh (and kept, with a keeper) from then on."""
    _PARSED.pop(key, None)
    _LOADED[0].pop(key, None)  # type: ignore[attr-defined]  # a dict or indexed.Entries
    prebuilt.forget(key)


def _known(key: str) -> Optional[str]:
    """Return the JSON kept under a key, from this process, the kept store (read on the first key missing) or
    the package's prebuilt entries. A prebuilt one is not copied into the kept store: the package holds it."""
    known = _PARSED.get(key)
    if known is None:
        if _STORE[0] is not None:
            loader, _STORE[0] = _STORE[0], None
            _LOADED[0] = loader()
        known = _LOADED[0].get(key)
        if known is not None:
            _PARSED[key] = known  # what this run uses of the store is kept again (``parsed_to_keep``)
    return known if known is not None else prebuilt.known(key)


def _remember(key: str, dumped: str) -> None:
    if len(_PARSED) > 512:
        _PARSED.clear()
        _USED.clear()
    _PARSED[key] = dumped
    _USED.add(key)
    _STORE[1] = True


def toml_parser():
    """Return the TOML parser module (tomllib, or tomli before Python 3.11), imported on first use."""
    if sys.version_info >= (3, 11):
        import tomllib
    else:  # pragma: no cover - exercised only on 3.10
        import tomli as tomllib
    return tomllib


def read_toml(path: Path) -> tuple[dict[str, Any], str]:
    """Read a TOML file, turning decode and syntax errors into a SpecError with the line."""
    try:
        raw = read_input_bytes(path)
    except InputFileError as exc:
        raise SpecError(str(path), f"cannot read file: it {exc.detail}") from None
    except OSError as exc:
        raise SpecError(str(path), f"cannot read file: {exc.strerror or exc}") from None
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw.count(b"\n", 0, exc.start) + 1
        raise SpecError(str(path), "file is not valid UTF-8", line=line) from None
    # The packs are read twice per run (rule names for --select checks, then the rule set) and the pure-Python
    # TOML parser is the dear part. Keyed on the bytes, so an edited file is parsed again; handed out as fresh
    # objects from JSON, so no caller sees another's changes.
    key = blake2b(raw, digest_size=16).hexdigest()
    known = _known(key)
    if known is not None:
        try:
            data = json.loads(known)
        except (ValueError, RecursionError):
            data = None
        if isinstance(data, dict):
            _USED.add(key)
            return data, text
        _forget(key)
    data = _parse_toml(path, text)
    dumped = _as_json(data)
    if dumped is not None:
        _remember(key, dumped)
    return data, text


def _as_json(data: dict[str, Any]) -> Optional[str]:
    """Return the data as JSON if JSON gives it back unchanged (no dates, no NaN), else None."""
    try:
        dumped = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    except (TypeError, ValueError, RecursionError):
        return None
    try:
        same = json.loads(dumped) == data
    except (ValueError, RecursionError):
        return None
    return dumped if same else None


def _parse_toml(path: Path, text: str) -> dict[str, Any]:
    tomllib = toml_parser()
    try:
        return tomllib.loads(text)
    except RecursionError:  # arrays or inline tables nested thousands deep
        raise SpecError(str(path), "not valid TOML: values are nested too deeply") from None
    except tomllib.TOMLDecodeError as exc:
        m = re.search(r"\(at line (\d+), column (\d+)\)", str(exc))
        line = int(m.group(1)) if m else None
        msg = re.sub(r"\s*\(at line \d+, column \d+\)", "", str(exc))
        raise SpecError(str(path), f"not valid TOML: {msg}", line=line) from None


class FixSpec(NamedTuple):
    """How a rule's finding is fixed: the edit kind, its title and how safe it is."""

    kind: str
    title: str
    applicability: Applicability
    safety: Optional[str] = None
    templates: Mapping[str, str] = MappingProxyType({})
    """Replacement text by language (``en`` is the fallback); may use ``{match}`` and ``{1}``."""


class Example(NamedTuple):
    """A bad or good example from a rule's spec; the test suite runs every one."""

    text: str
    bad: bool
    fixed: Optional[str] = None
    field: Optional[FieldKind] = None
    config: Mapping[str, Any] = MappingProxyType({})
    severity: Optional[Severity] = None
    """For a ``bad`` example: the severity the finding must have (info for a compatibility statement)."""


class RuleSpec(NamedTuple):
    """One rule as written in its pack: identity, scope, wording, options and examples."""

    id: str
    name: str
    pack: str
    kind: str
    fields: tuple[FieldKind, ...]
    severity: Severity
    message: str
    rationale: str
    policy: str
    sources: tuple[str, ...]
    options: dict[str, Any]
    fix: Optional[FixSpec]
    examples: tuple[Example, ...]
    status: str = "stable"
    since: str = "0.1.0"
    path: str = ""


class Pack(NamedTuple):
    """A named set of rules plus the config its examples run with."""

    name: str
    description: str
    rules: tuple[RuleSpec, ...]
    example_config: dict[str, Any]
    path: str


COMMON_KEYS = {
    "id", "name", "kind", "fields", "severity", "message", "rationale", "policy", "sources",
    "fix", "examples", "status", "since",
}


class _Reader:
    """Pull typed values out of one TOML table, reporting mistakes with file, line and key."""

    def __init__(self, path: str, text: str, data: dict[str, Any], prefix: str = ""):
        self.path, self.text, self.data, self.prefix = path, text, data, prefix

    def fail(self, key: str, message: str) -> SpecError:
        full = f"{self.prefix}{key}"
        return SpecError(self.path, message, line=line_of_key(self.text, full), key=full)

    def get(self, key: str, typ: type | tuple[type, ...], default: Any = ..., what: str = "") -> Any:
        if key not in self.data:
            if default is ...:
                # A misspelt required key ("mesage") is more likely than a forgotten one: point at it.
                typo = close_matches(key, [k for k in self.data if k not in COMMON_KEYS])
                if typo:
                    raise self.fail(typo[0], f"unknown key; did you mean {key!r}? ({key!r} is required)")
                raise SpecError(self.path, "required key is missing", line=None, key=f"{self.prefix}{key}")
            return default
        value = self.data[key]
        if not isinstance(value, typ) or (isinstance(value, bool) and typ is int):
            raise self.fail(key, f"expected {what or _type_name(typ)}, got {type(value).__name__}")
        return value

    def str_list(self, key: str, default: Any = ...) -> list[str]:
        value = self.get(key, list, default, "a list of strings")
        if not all(isinstance(v, str) for v in value):
            raise self.fail(key, "expected a list of strings")
        return value


def _type_name(typ: Any) -> str:
    if isinstance(typ, tuple):
        return " or ".join(t.__name__ for t in typ)
    return {str: "a string", int: "an integer", bool: "true or false", dict: "a table", list: "a list"}.get(
        typ, typ.__name__
    )


def parse_rule(path: str, text: str, data: dict[str, Any], pack: str) -> RuleSpec:
    """Validate one rule table and return its spec; raise SpecError naming the line and key."""
    r = _Reader(path, text, data)
    rule_id = r.get("id", str)
    if not RULE_ID.match(rule_id):
        raise r.fail("id", f"{rule_id!r} is not a rule id (2-5 capitals and three digits, e.g. POL001)")
    name = r.get("name", str)
    if not RULE_NAME.match(name):
        raise r.fail("name", f"{name!r} is not kebab-case")
    kind = r.get("kind", str)
    if kind not in KINDS:
        raise r.fail("kind", f"unknown kind {kind!r} (expected one of {', '.join(KINDS)})")
    field_names = r.str_list("fields", [k.value for k in FieldKind])
    fields = []
    for f in field_names:
        try:
            fields.append(FieldKind(f))
        except ValueError:
            raise r.fail("fields", f"unknown field {f!r} (expected {', '.join(k.value for k in FieldKind)})") from None
    try:
        severity = Severity.parse(r.get("severity", str))
    except ValueError as exc:
        raise r.fail("severity", str(exc)) from None
    policy = r.get("policy", str)
    if not policy.startswith("https://"):
        raise r.fail("policy", "the policy link must be an https:// address")
    status = r.get("status", str, "stable")
    if status not in STATUSES:
        raise r.fail("status", f"unknown status {status!r} (expected one of {', '.join(STATUSES)})")
    fix = _parse_fix(r, data.get("fix"))
    options = {k: v for k, v in data.items() if k not in COMMON_KEYS}
    examples = _parse_examples(r, data.get("examples"), fix)
    return RuleSpec(
        id=rule_id,
        name=name,
        pack=pack,
        kind=kind,
        fields=tuple(fields),
        severity=severity,
        message=r.get("message", str),
        rationale=r.get("rationale", str).strip(),
        policy=policy,
        sources=tuple(r.str_list("sources", [])),
        options=options,
        fix=fix,
        examples=examples,
        status=status,
        since=r.get("since", str, "0.1.0"),
        path=path,
    )


def _parse_fix(r: _Reader, raw: Any) -> Optional[FixSpec]:
    if raw is None:
        return None
    if not isinstance(raw, dict):
        raise r.fail("fix", "expected a table")
    f = _Reader(r.path, r.text, raw, "fix.")
    kind = f.get("kind", str)
    if kind not in FIX_KINDS:
        raise f.fail("kind", f"unknown fix kind {kind!r} (expected one of {', '.join(FIX_KINDS)})")
    try:
        applicability = Applicability.parse(f.get("applicability", str))
    except ValueError as exc:
        raise f.fail("applicability", str(exc)) from None
    safety = f.get("safety", str, None)
    if applicability is not Applicability.SAFE and not safety:
        raise f.fail("safety", "a fix that is not safe must say why in `safety`")
    templates = f.get("template", (str, dict), None)
    if isinstance(templates, str):
        templates = {"en": templates}
    templates = templates or {}
    for lang, tmpl in templates.items():
        if lang not in LANGUAGES or not isinstance(tmpl, str):
            raise f.fail("template", f"template keys are languages ({', '.join(LANGUAGES)}) with string values")
    if kind in ("replace", "replace-sentence") and "en" not in templates and "any" not in templates:
        raise f.fail("template", f"fix kind {kind!r} needs a template (at least `en`)")
    return FixSpec(kind=kind, title=f.get("title", str), applicability=applicability, safety=safety,
                   templates=dict(templates))


def _parse_examples(r: _Reader, raw: Any, fix: Optional[FixSpec]) -> tuple[Example, ...]:
    if not isinstance(raw, list) or not raw:
        raise r.fail("examples", "every rule needs [[examples]] with at least one `bad` and one `good`")
    out = []
    for n, item in enumerate(raw):
        e = _Reader(r.path, r.text, item if isinstance(item, dict) else {}, f"examples[{n}].")
        if not isinstance(item, dict) or ("bad" in item) == ("good" in item):
            raise r.fail("examples", f"example {n + 1} must have exactly one of `bad` or `good`")
        bad = "bad" in item
        field = e.get("field", str, None)
        try:
            field_kind = FieldKind(field) if field else None
        except ValueError:
            raise e.fail("field", f"unknown field {field!r}") from None
        fixed = e.get("fixed", str, None)
        severity = e.get("severity", str, None)
        try:
            severity = Severity.parse(severity) if severity else None
        except ValueError as exc:
            raise e.fail("severity", str(exc)) from None
        informational = severity is not None and severity <= Severity.INFO
        if bad and fix is not None and fix.applicability > Applicability.DISPLAY_ONLY and fixed is None \
                and not informational:
            raise e.fail("fixed", "a `bad` example of a fixable rule needs `fixed`, the text after the fix")
        out.append(Example(text=e.get("bad" if bad else "good", str), bad=bad, fixed=fixed, field=field_kind,
                           config=e.get("config", dict, {}), severity=severity))
    if not any(x.bad for x in out) or not any(not x.bad for x in out):
        raise r.fail("examples", "every rule needs at least one `bad` and one `good` example")
    return tuple(out)


PACK_KEYS = {"name", "description", "example-config"}
"""Keys of a pack folder's ``pack.toml``; a rule file of ``[[rules]]`` may also hold ``rules``."""


def _check_pack_keys(path: Path, text: str, data: dict[str, Any], known: set[str]) -> None:
    for key in data:
        if key in known:
            continue
        if key in COMMON_KEYS and "rules" in known:
            # `[fix]` after `[[rules]]` is a table of the file, not of the rule: TOML's rule, easy to miss.
            table = f"[[rules.{key}]]" if key == "examples" else f"[rules.{key}]"
            raise SpecError(str(path), f"a rule's `{key}` belongs to its [[rules]] table: write {table}",
                            line=line_of_key(text, key), key=key)
        close = close_matches(key, sorted(known))
        hint = f"; did you mean {close[0]!r}?" if close else f" (known keys: {', '.join(sorted(known))})"
        raise SpecError(str(path), f"unknown key{hint}", line=line_of_key(text, key), key=key)


def load_pack(directory: Path) -> Pack:
    """Load every ``*.toml`` rule in a pack folder (``pack.toml`` describes the pack)."""
    meta_path = directory / "pack.toml"
    meta, meta_text = read_toml(meta_path) if meta_path.exists() else ({}, "")
    _check_pack_keys(meta_path, meta_text, meta, PACK_KEYS)
    name = meta.get("name", directory.name)
    rules = []
    for rule_path in sorted(directory.glob("*.toml")):
        if rule_path.name == "pack.toml":
            continue
        data, text = read_toml(rule_path)
        rules.append(parse_rule(str(rule_path), text, data, name))
    if not rules:
        raise SpecError(str(directory), "rule pack holds no rules")
    return Pack(name=name, description=meta.get("description", ""), rules=tuple(rules),
                example_config=meta.get("example-config", {}), path=str(directory))


def load_rule_file(path: Path, pack_name: Optional[str] = None) -> Pack:
    """Load a user rule pack given as one TOML file holding ``[[rules]]`` tables."""
    data, text = read_toml(path)
    rule_tables = data.get("rules")
    if not isinstance(rule_tables, list) or not rule_tables or not all(isinstance(t, dict) for t in rule_tables):
        raise SpecError(str(path), "a rule pack file needs one or more [[rules]] tables", line=1, key="rules")
    _check_pack_keys(path, text, data, PACK_KEYS | {"rules"})
    name = data.get("name", pack_name or path.stem)
    rules = tuple(parse_rule(str(path), text, t, name) for t in rule_tables)
    return Pack(name=name, description=data.get("description", ""), rules=rules,
                example_config=data.get("example-config", {}), path=str(path))


def is_bundled(spec: "RuleSpec") -> bool:
    """Tell whether a rule comes from a pack shipped with listing-lint (its patterns are tested in CI)."""
    if not spec.path:
        return False
    real, base = os.path.realpath(spec.path), os.path.realpath(bundled_rules_dir())
    return real.startswith(base + os.sep)


def bundled_rules_dir() -> Path:
    """Return the folder of the packs shipped with listing-lint."""
    override = os.environ.get("LISTING_LINT_RULES_DIR")
    if override:
        return Path(override)
    from .. import bundled_rules  # the rules/ folder, mapped into the package at install time

    return Path(bundled_rules.__file__).parent
