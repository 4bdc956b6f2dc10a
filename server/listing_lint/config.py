"""Layer 3 (settings): find, read and validate ``listing-lint.toml`` / ``[tool.listing-lint]``."""

from __future__ import annotations

import stat
from pathlib import Path
from typing import Any, NamedTuple, Optional

from .diagnostics import Severity
from .digests import sha256
from .engine.files import InputFileError, check_input_file, read_input_bytes
from .engine.spec import SpecError, line_of_key, read_toml
from .names import close_matches

CONFIG_NAMES = ("listing-lint.toml", ".listing-lint.toml", "pyproject.toml")
DEFAULT_MAX_FILE_SIZE = 64 * 1024 * 1024
DEFAULT_INCLUDE = ("*.listing.md", "*.listing.json", "*.jsonl", "*.csv", "*.tsv", "*.txt", "*.xlsx", "*.xlsm")

_TOP_KEYS = {
    "marketplace", "brands", "rules", "rule-packs", "limits", "include", "exclude", "max-file-size",
    "encoding", "columns", "extend", "per-file-ignores",
}
COLUMN_ROLES = ("title", "bullets", "description", "search_terms", "insert_card", "sku", "brand", "marketplace",
                "group")
"""What a ``[columns]`` entry can map a catalog header to."""
_BRAND_KEYS = {"own", "competitors", "competitors-files", "ambiguous", "unambiguous"}
_RULE_KEYS = {"select", "ignore", "severity"}
LIMIT_KEYS = {
    "title-max-chars", "bullet-max-chars", "bullet-max-count", "vendor-bullet-max-count", "description-max-chars",
    "search-terms-max-bytes", "title-max-repeats",
}


_LEGACY_ENCODINGS: dict[Optional[str], str] = {}
"""Marketplace -> the encoding its tools save text exports in (``source.legacy_encoding``)."""


class Config(NamedTuple):
    """Resolved settings for one project: brands, rule selection, limits and file patterns."""

    path: Optional[str] = None
    """The config file these settings came from (None: built-in defaults)."""
    marketplace: str = "amazon.com"
    marketplace_forced: bool = False
    """True when the run names the marketplace (``--marketplace``): it then applies to catalogs exported from
    another platform too, which otherwise are linted for their own platform."""
    own_brands: tuple[str, ...] = ()
    competitors: tuple[str, ...] = ()
    ambiguous_brands: tuple[str, ...] = ()
    """Competitors always read as everyday words: reported only with evidence of brand use."""
    unambiguous_brands: tuple[str, ...] = ()
    """Competitors never read as everyday words: reported wherever they occur."""
    select: tuple[str, ...] = ()
    """Rule slugs, codes, code prefixes or pack names to run; empty runs every stable rule."""
    ignore: tuple[str, ...] = ()
    severity: tuple[tuple[str, Severity], ...] = ()
    """Per-rule severity overrides as (selector, severity) pairs."""
    rule_packs: tuple[str, ...] = ()
    """Absolute paths of user rule packs (TOML files or pack folders)."""
    limits: tuple[tuple[str, int], ...] = ()
    include: tuple[str, ...] = DEFAULT_INCLUDE
    exclude: tuple[str, ...] = ()
    max_file_size: int = DEFAULT_MAX_FILE_SIZE
    encoding: Optional[str] = None
    """Encoding of files that have no BOM and are not valid UTF-8 (None: the marketplace's legacy encoding)."""
    columns: tuple[tuple[str, str], ...] = ()
    """Catalog header (case-folded) -> role (COLUMN_ROLES), for exports whose headers are not recognised."""
    per_file_ignores: tuple[tuple[str, tuple[str, ...]], ...] = ()
    """(glob, rule selectors) pairs: findings of those rules are dropped in files matching the glob."""

    def fallback_encoding(self) -> str:
        """Return the encoding for files with no BOM that are not UTF-8: ``encoding``, else the marketplace's."""
        if self.encoding:
            return self.encoding
        # Asked once per file of a run: the marketplace's encoding is looked up once per marketplace.
        found = _LEGACY_ENCODINGS.get(self.marketplace)
        if found is None:
            from .extract.source import legacy_encoding

            found = _LEGACY_ENCODINGS[self.marketplace] = legacy_encoding(self.marketplace)
        return found

    def column_map(self) -> Optional[dict[str, str]]:
        """Return the ``[columns]`` table as a dict, or None when there is none."""
        return dict(self.columns) if self.columns else None

    def limit(self, key: str) -> Optional[int]:
        """Return a configured limit override, if any."""
        for k, v in self.limits:
            if k == key:
                return v
        return None

    def fingerprint(self) -> str:
        """Return a stable hash of everything that can change lint results (used by caches).

        Rule-pack files are identified by their ``stat`` (size, mtime, inode): reading them whole made a
        300 MB file in a pack folder cost 32 s and 2.5 GB per run. Small files are hashed by content too,
        so that an edit that keeps the size within the file system's mtime granularity still shows.
        """
        h = sha256(repr(tuple(self._replace(path=None))).encode("utf-8", "surrogatepass"))
        for f in _pack_files(self.rule_packs):
            try:
                st = f.stat()
            except OSError:
                continue
            if not stat.S_ISREG(st.st_mode):
                continue
            h.update(f"\n{f}:{st.st_size}:{st.st_mtime_ns}:{st.st_ino}:".encode("utf-8", "surrogateescape"))
            if st.st_size <= _HASHED_BYTES:
                try:
                    h.update(read_input_bytes(f, _HASHED_BYTES))
                except (OSError, InputFileError):
                    pass  # swapped for something else since the stat: the next load reports it
        return h.hexdigest()[:32]

    def merged(self, **changes: Any) -> "Config":
        """Return a copy with command-line or editor settings laid over this config."""
        clean = {k: v for k, v in changes.items() if v is not None}
        return self._replace(**clean)


_HASHED_BYTES = 256 * 1024
"""Pack files up to this size are hashed by content in the fingerprint; larger ones by their stat only."""


def _pack_files(packs: tuple[str, ...]) -> list[Path]:
    """Return every file that can belong to the rule packs: a folder's whole tree, a file and its lexicons."""
    files: list[Path] = []
    for pack in packs:
        p = Path(pack)
        if p.is_dir():
            files.extend(sorted(p.rglob("*")))
        else:
            lexicons = p.parent / "lexicons"  # a one-file pack's lexicons sit beside it (engine/lint.py)
            files.extend([p, *(sorted(lexicons.glob("*.toml")) if lexicons.is_dir() else ())])
    return files


def find_config(start: Path) -> Optional[Path]:
    """Find the nearest config file from ``start`` upwards (pyproject.toml only with a [tool.listing-lint] table)."""
    start = start.resolve()
    folder = start if start.is_dir() else start.parent
    for directory in (folder, *folder.parents):
        for name in CONFIG_NAMES:
            candidate = directory / name
            if not candidate.is_file():
                continue
            if name == "pyproject.toml":
                try:
                    if b"[tool.listing-lint" not in read_input_bytes(candidate):
                        continue
                except (OSError, InputFileError):
                    continue
            return candidate
    return None


def _unknown(path: str, text: str, key: str, known: set[str], prefix: str) -> SpecError:
    close = close_matches(key, sorted(known))
    hint = f"; did you mean {close[0]!r}?" if close else f" (known keys: {', '.join(sorted(known))})"
    full = f"{prefix}{key}"
    return SpecError(path, f"unknown key{hint}", line=line_of_key(text, full), key=full)


def load_config(path: Path, known_rules: Optional[set[str]] = None, _chain: tuple[str, ...] = ()) -> Config:
    """Read and validate a config file (and the one it ``extend``s); raise SpecError naming the file, line and key."""
    data, text = read_toml(path)
    spath = str(path)
    if path.name == "pyproject.toml":
        data = data.get("tool", {}).get("listing-lint", {})
        if not isinstance(data, dict):
            raise SpecError(spath, "expected a table", line=line_of_key(text, "tool.listing-lint"),
                            key="tool.listing-lint")
    config = config_from_dict(data, spath, text, path.parent, known_rules)
    base = data.get("extend")
    if base is None:
        return config
    if not isinstance(base, str):
        raise SpecError(spath, "expected the path of a config file", line=line_of_key(text, "extend"), key="extend")
    # A shared config usually lives above the project (extend = "../listing-lint.toml"), so unlike rule
    # packs it may be outside the folder; it is only read, never written.
    base_path = (path.parent / Path(base).expanduser()).resolve()
    if str(base_path) in _chain + (str(path.resolve()),):
        raise SpecError(spath, f"extend {base!r} leads back to this file", line=line_of_key(text, "extend"),
                        key="extend")
    if not base_path.exists():
        raise SpecError(spath, f"extend: no config file at {base_path}", line=line_of_key(text, "extend"),
                        key="extend")
    _check_named_file(base_path, spath, text, "extend")
    return extend_config(load_config(base_path, known_rules, _chain + (str(path.resolve()),)), config)


_MERGED_PAIRS = ("severity", "limits", "columns", "per_file_ignores")


def extend_config(base: Config, child: Config) -> Config:
    """Lay a config over the one it extends: every setting it gives wins; tables of pairs are merged by key."""
    default = Config()
    changes: dict[str, Any] = {"path": child.path}
    for name in Config._fields:
        value = getattr(child, name)
        if name == "path" or value == getattr(default, name):
            continue
        if name in _MERGED_PAIRS:
            keys = {k for k, _ in value}
            value = tuple(p for p in getattr(base, name) if p[0] not in keys) + tuple(value)
        elif name == "rule_packs":
            value = getattr(base, name) + tuple(p for p in value if p not in getattr(base, name))
        changes[name] = value
    return base._replace(**changes)


def config_from_dict(
    data: dict[str, Any], spath: str, text: str, base: Path, known_rules: Optional[set[str]] = None
) -> Config:
    """Validate a config table (from a file or an editor's settings) and resolve its paths against ``base``."""

    def fail(key: str, message: str) -> SpecError:
        return SpecError(spath, message, line=line_of_key(text, key), key=key)

    def str_list(table: dict[str, Any], key: str, full: str) -> tuple[str, ...]:
        value = table.get(key, [])
        if isinstance(value, str):
            value = [value]
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise fail(full, "expected a list of strings")
        return tuple(value)

    def table(key: str) -> dict[str, Any]:
        value = data.get(key, {})
        if not isinstance(value, dict):
            raise fail(key, "expected a table")
        return value

    for key in data:
        if key not in _TOP_KEYS:
            raise _unknown(spath, text, key, _TOP_KEYS, "")
    brands, rules, limits_raw = table("brands"), table("rules"), table("limits")
    for key in brands:
        if key not in _BRAND_KEYS:
            raise _unknown(spath, text, key, _BRAND_KEYS, "brands.")
    for key in rules:
        if key not in _RULE_KEYS:
            raise _unknown(spath, text, key, _RULE_KEYS, "rules.")

    marketplace = data.get("marketplace", "amazon.com")
    if not isinstance(marketplace, str):
        raise fail("marketplace", "expected a string such as \"amazon.com\" or \"amazon.de\"")
    from .profiles import check_marketplace

    problem = check_marketplace(marketplace)
    if problem:
        raise fail("marketplace", problem)

    competitors = list(str_list(brands, "competitors", "brands.competitors"))
    for name in str_list(brands, "competitors-files", "brands.competitors-files"):
        competitors.extend(read_brand_file(_inside(base, name, spath, text, "brands.competitors-files"), spath,
                                           line=line_of_key(text, "brands.competitors-files"),
                                           key="brands.competitors-files"))
    ambiguous = str_list(brands, "ambiguous", "brands.ambiguous")
    unambiguous = str_list(brands, "unambiguous", "brands.unambiguous")
    _check_brand_marks(ambiguous, unambiguous, competitors, spath, text)

    select = str_list(rules, "select", "rules.select")
    ignore = str_list(rules, "ignore", "rules.ignore")
    severity_raw = rules.get("severity", {})
    if not isinstance(severity_raw, dict):
        raise fail("rules.severity", "expected a table of rule = \"error|warning|info|hint\"")
    severity = []
    for rule, level in severity_raw.items():
        try:
            severity.append((rule, Severity.parse(level if isinstance(level, str) else repr(level))))
        except ValueError as exc:
            raise fail(f"rules.severity.{rule}", str(exc)) from None
    if known_rules is not None:
        for key, names in (("rules.select", select), ("rules.ignore", ignore),
                           ("rules.severity", [r for r, _ in severity])):
            for name in names:
                check_selector(name, known_rules, spath, text, key)

    limits = []
    for key, value in limits_raw.items():
        if key not in LIMIT_KEYS:
            raise _unknown(spath, text, key, LIMIT_KEYS, "limits.")
        if not isinstance(value, int) or isinstance(value, bool) or value < 0:
            raise fail(f"limits.{key}", "expected a non-negative integer")
        limits.append((key, value))

    packs = tuple(str(_inside(base, p, spath, text, "rule-packs")) for p in str_list(data, "rule-packs", "rule-packs"))
    for pack in packs:
        _check_pack_files(Path(pack), spath, text)
    max_size = data.get("max-file-size", DEFAULT_MAX_FILE_SIZE)
    if not isinstance(max_size, int) or isinstance(max_size, bool) or max_size <= 0:
        raise fail("max-file-size", "expected a positive number of bytes")
    kwargs: dict[str, Any] = {}
    encoding = data.get("encoding")
    if encoding is not None:
        if not isinstance(encoding, str):
            raise fail("encoding", "expected an encoding name such as \"cp1252\", \"cp932\" or \"gb18030\"")
        kwargs["encoding"] = check_encoding(encoding, lambda message: fail("encoding", message))
    columns_raw = table("columns")
    columns = []
    for header, role in columns_raw.items():
        if role not in COLUMN_ROLES:
            close = close_matches(str(role), COLUMN_ROLES)
            hint = f"; did you mean {close[0]!r}?" if close else f" (one of {', '.join(COLUMN_ROLES)})"
            raise fail(f"columns.{header}", f"unknown column role {role!r}{hint}")
        columns.append((header.strip().casefold(), role))
    if columns:
        kwargs["columns"] = tuple(columns)
    ignores_raw = table("per-file-ignores")
    per_file = []
    for glob, selectors in ignores_raw.items():
        names = str_list(ignores_raw, glob, f"per-file-ignores.{glob}")
        if known_rules is not None:
            for name in names:
                check_selector(name, known_rules, spath, text, f"per-file-ignores.{glob}")
        per_file.append((glob, names))
    if per_file:
        kwargs["per_file_ignores"] = tuple(per_file)
    if "include" in data:
        kwargs["include"] = str_list(data, "include", "include")
    return Config(
        path=spath,
        marketplace=marketplace,
        own_brands=str_list(brands, "own", "brands.own"),
        competitors=tuple(competitors),
        ambiguous_brands=ambiguous,
        unambiguous_brands=unambiguous,
        select=select,
        ignore=ignore,
        severity=tuple(severity),
        rule_packs=packs,
        limits=tuple(limits),
        exclude=str_list(data, "exclude", "exclude"),
        max_file_size=max_size,
        **kwargs,
    )


def check_encoding(name: str, fail: Any = None) -> str:
    """Return the canonical name of a text encoding, or raise (via ``fail``) a ValueError with a did-you-mean."""
    import codecs

    try:
        return codecs.lookup(name).name
    except LookupError:
        common = ["utf-8", "cp1252", "cp932", "shift_jis", "gb18030", "latin-1", "utf-16"]
        close = close_matches(name.lower(), common)
        message = f"unknown encoding {name!r}" + (f"; did you mean {close[0]!r}?" if close else "")
        if fail is not None:
            raise fail(message) from None
        raise ValueError(message) from None


def _check_brand_marks(ambiguous: tuple[str, ...], unambiguous: tuple[str, ...], competitors: list[str],
                       spath: str, text: str) -> None:
    """Refuse a name marked both ambiguous and unambiguous, or one that is not a configured competitor."""
    def key(name: str) -> str:
        return " ".join(name.split()).casefold()

    known = {key(c): c for c in competitors}
    both = {key(n) for n in ambiguous} & {key(n) for n in unambiguous}
    if both:
        raise SpecError(spath, f"{known.get(min(both), min(both))!r} is in both brands.ambiguous and "
                        "brands.unambiguous", line=line_of_key(text, "brands.unambiguous"), key="brands.unambiguous")
    if not competitors:
        return  # the competitors may come from the command line
    for full, names in (("brands.ambiguous", ambiguous), ("brands.unambiguous", unambiguous)):
        for name in names:
            if key(name) not in known:
                close = close_matches(name, sorted(set(competitors)))
                hint = f"; did you mean {close[0]!r}?" if close else ""
                raise SpecError(spath, f"{name!r} is not one of the configured competitors{hint}",
                                line=line_of_key(text, full), key=full)


def check_selector(name: str, known: set[str], spath: str, text: str, key: str) -> None:
    """Raise a SpecError with a did-you-mean when ``name`` selects no rule."""
    if name in known or any(k.startswith(name) for k in known if k[:1].isupper() and name[:1].isupper()):
        return
    close = close_matches(name, sorted(known))
    hint = f"; did you mean {close[0]!r}?" if close else ""
    raise SpecError(spath, f"unknown rule, code or pack {name!r}{hint}", line=line_of_key(text, key), key=key)


def resolve_inside(root: Path, name: str, expand_user: bool = False) -> Optional[Path]:
    """Resolve ``name`` against ``root`` (symlinks followed); None when the result lies outside ``root``."""
    resolved = (root / (Path(name).expanduser() if expand_user else Path(name))).resolve()
    root = root.resolve()
    return resolved if resolved == root or root in resolved.parents else None


def _inside(base: Path, name: str, spath: str, text: str, key: str) -> Path:
    """Resolve a path from a config file, refusing ones that leave the config's folder."""
    resolved = resolve_inside(base, name)
    if resolved is None:
        raise SpecError(spath, f"{name!r} points outside the project folder {base.resolve()}; give it on the "
                        "command line instead", line=line_of_key(text, key), key=key)
    return resolved


def _check_named_file(path: Path, spath: str, text: str, key: str) -> None:
    """Refuse, naming the config's line, a named file that is not a regular file of bounded size."""
    try:
        check_input_file(path)
    except InputFileError as exc:
        raise SpecError(spath, f"{path} {exc.detail}", line=line_of_key(text, key), key=key) from None
    except OSError:
        pass  # missing or unreadable: reported where it is read, in that reader's words


def _check_pack_files(pack: Path, spath: str, text: str) -> None:
    """Check, before any is read, every file a rule pack will have read: its rules and its lexicons."""
    if pack.is_dir():
        names = [*pack.glob("*.toml"), *(pack / "lexicons").glob("*.toml")]
    elif pack.exists():
        names = [pack, *(pack.parent / "lexicons").glob("*.toml")]
    else:
        return  # "rule pack ... does not exist", from the loader
    for name in sorted(names):
        _check_named_file(name, spath, text, "rule-packs")


def read_brand_file(path: Path, config_path: str = "", *, line: Optional[int] = None,
                    key: Optional[str] = None) -> list[str]:
    """Read a brand list: one name per line; blank lines and ``#`` comments are skipped.

    A FIFO, a device or a file over ``MAX_INPUT_BYTES`` is refused unread, reported against the config
    (``config_path``, ``line``, ``key``) that names it.
    """
    try:
        text = read_input_bytes(path).decode("utf-8-sig")
    except InputFileError as exc:
        raise SpecError(config_path or str(path), f"brand list {path} {exc.detail}", line=line, key=key) from None
    except OSError as exc:
        raise SpecError(config_path or str(path), f"cannot read brand list {path}: {exc.strerror or exc}",
                        line=line, key=key) from None
    except UnicodeDecodeError:
        raise SpecError(str(path), "brand list is not valid UTF-8") from None
    return [line.strip() for line in text.splitlines() if line.strip() and not line.lstrip().startswith("#")]


def read_setting_brand_files(names: list[str], roots: list[Path],
                             setting: str = "competitorsFiles") -> tuple[list[str], list[str]]:
    """Read the brand lists an editor setting names: (the names read, a message per file refused).

    Settings may come from a cloned repository's ``.vscode/settings.json``, so the same rules hold as for
    a config file: each file must lie inside one of ``roots`` (the workspace folders; a relative name is
    read from the first) and be a regular file of bounded size. ``/dev/stdin``, a FIFO, ``/dev/zero`` or
    ``/etc/passwd`` is refused before it is opened.
    """
    brands: list[str] = []
    problems: list[str] = []
    for name in names:
        path = next((p for p in (resolve_inside(r, name, expand_user=True) for r in roots) if p is not None), None)
        if path is None:
            where = f"outside the workspace folder {' or '.join(str(r) for r in roots)}" if roots else \
                "not in a workspace folder (none is open)"
            problems.append(f"setting {setting}: {name!r} is {where}, so it is not read")
            continue
        try:
            brands.extend(read_brand_file(path, f"setting {setting}"))
        except SpecError as exc:
            problems.append(f"setting {setting}: {exc.detail}")
    return brands, problems
