"""Layer 5b (CLI): parse arguments and run ``check``, ``rules``, ``explain`` and ``server``."""

from __future__ import annotations

import argparse
import difflib
import io
import json
import os
import sys
import time
from collections import Counter
from pathlib import Path
from typing import Optional, TextIO

import attrs

from .. import __version__
from ..config import Config, check_selector, find_config, load_config
from ..diagnostics import Applicability, Severity
from ..document import DocumentResult, fix_document, lint_text
from ..engine.lint import RuleSet, ruleset_for
from ..engine.lint import validate_selectors as validate_config_selectors
from ..engine.spec import RuleSpec, SpecError
from ..extract import detect_format
from ..extract.source import SourceError, decode, read_source
from .discover import discover
from .formats import Style, sarif, skipped_line, summary, write_github, write_json, write_text
from .records import Record, records_for
from .write import ChangedOnDisk, write_atomically

EXIT_CLEAN, EXIT_FINDINGS, EXIT_ERROR = 0, 1, 2


class UsageError(Exception):
    """A command-line mistake; exit code 2."""


def _csv(values: Optional[list[str]]) -> tuple[str, ...]:
    return tuple(v.strip() for item in values or () for v in item.split(",") if v.strip())


def build_parser() -> argparse.ArgumentParser:
    """Return the argument parser for every subcommand."""
    parser = argparse.ArgumentParser(
        prog="listing-lint",
        description="Lint marketplace listing copy for the policy problems that get seller accounts suspended.",
    )
    parser.add_argument("--version", action="version", version=f"listing-lint {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

    check = sub.add_parser("check", help="lint listing files, folders or catalog exports")
    check.add_argument("paths", nargs="*", default=[], metavar="PATH",
                       help="files or folders to lint (default: the current folder); '-' reads standard input")
    check.add_argument("--format", default="text", choices=["text", "concise", "json", "sarif", "github"],
                       help="output format (default: text)")
    check.add_argument("--output", "-o", metavar="FILE", help="write the report to FILE instead of standard output")
    check.add_argument("--fix", action="store_true", help="apply safe fixes to the files")
    check.add_argument("--unsafe-fixes", action="store_true", help="with --fix or --diff, apply unsafe fixes too")
    check.add_argument("--diff", action="store_true", help="print the fixes as a diff instead of writing them")
    check.add_argument("--select", action="append", metavar="RULES",
                       help="run only these rules (slugs, codes, code prefixes or pack names; comma-separated)")
    check.add_argument("--ignore", action="append", metavar="RULES", help="skip these rules (comma-separated)")
    check.add_argument("--config", metavar="FILE", help="use this config file instead of searching for one")
    check.add_argument("--marketplace", help="marketplace whose limits apply (e.g. amazon.de)")
    check.add_argument("--stdin-filename", metavar="NAME", help="file name (and so format) for text read from '-'")
    check.add_argument("--statistics", action="store_true", help="print a count of findings per rule")
    check.add_argument("--exit-zero", action="store_true", help="exit 0 even when there are findings")
    check.add_argument("--color", choices=["auto", "always", "never"], default="auto", help="colour the text output")
    check.add_argument("--quiet", "-q", action="store_true", help="print findings only, no summary")

    rules = sub.add_parser("rules", help="list every rule")
    rules.add_argument("--format", choices=["text", "json"], default="text")
    rules.add_argument("--config", metavar="FILE", help="include the rule packs this config adds")

    explain = sub.add_parser("explain", help="show a rule's rationale, policy and examples")
    explain.add_argument("rule", help="slug or code, e.g. external-url or POL001")
    explain.add_argument("--config", metavar="FILE", help="include the rule packs this config adds")

    server = sub.add_parser("server", help="start the language server (stdio by default)")
    server.add_argument("--stdio", action="store_true", help="talk over standard input/output (the default)")
    server.add_argument("--tcp", metavar="HOST:PORT", help="listen on a TCP address instead of stdio")
    return parser


def main(argv: Optional[list[str]] = None) -> int:
    """Run the command line and return the exit code."""
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.command is None:
        parser.print_help()
        return EXIT_ERROR
    try:
        if args.command == "check":
            return run_check(args)
        if args.command == "rules":
            return run_rules(args)
        if args.command == "explain":
            return run_explain(args)
        if args.command == "server":
            from ..lsp.server import start

            return start(tcp=args.tcp)
    except SpecError as exc:
        sys.stderr.write(f"listing-lint: error: {exc}\n")
        return EXIT_ERROR
    except UsageError as exc:
        sys.stderr.write(f"listing-lint: error: {exc}\n")
        return EXIT_ERROR
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        # The reader (e.g. `| head`) went away: stop quietly, as Unix tools do.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return EXIT_FINDINGS
    return EXIT_ERROR


# -- configuration -------------------------------------------------------------------------------


class ConfigResolver:
    """Find and cache the config for each folder; command-line options are laid over every one."""

    def __init__(self, args: argparse.Namespace):
        self.args = args
        self.explicit: Optional[Config] = None
        if getattr(args, "config", None):
            path = Path(args.config)
            if not path.is_file():
                raise UsageError(f"config file {args.config} does not exist")
            self.explicit = self._finish(load_config(path))
        self.by_dir: dict[Path, Config] = {}
        self.by_file: dict[Optional[Path], Config] = {}

    def _finish(self, config: Config) -> Config:
        args = self.args
        select = _csv(getattr(args, "select", None)) or None
        ignore = _csv(getattr(args, "ignore", None))
        config = config.merged(select=select, marketplace=getattr(args, "marketplace", None))
        if ignore:
            config = config.merged(ignore=config.ignore + ignore)
        validate_selectors(config, cli_select=select or (), cli_ignore=ignore)
        return config

    def for_path(self, path: Path) -> Config:
        if self.explicit is not None:
            return self.explicit
        folder = (path if path.is_dir() else path.parent).resolve()
        config = self.by_dir.get(folder)
        if config is None:
            # Folders sharing a config file (or having none) share one Config object, so the compiled
            # rule set is found by identity instead of being hashed and validated again per folder.
            found = find_config(folder)
            config = self.by_file.get(found)
            if config is None:
                config = self.by_file[found] = self._finish(load_config(found) if found else Config())
            self.by_dir[folder] = config
        return config


def validate_selectors(config: Config, cli_select: tuple[str, ...] = (), cli_ignore: tuple[str, ...] = ()) -> None:
    """Fail with a did-you-mean when the command line or a config names a rule that does not exist."""
    known = ruleset_for(config).known_selectors()
    for name in cli_select + cli_ignore:
        try:
            check_selector(name, known, "command line", "", "--select" if name in cli_select else "--ignore")
        except SpecError as exc:
            raise UsageError(str(exc).replace("command line: ", "")) from None
    on_file = attrs.evolve(config, select=tuple(s for s in config.select if s not in cli_select),
                           ignore=tuple(i for i in config.ignore if i not in cli_ignore))
    validate_config_selectors(on_file)


# -- check ---------------------------------------------------------------------------------------


class Progress:
    """A progress line on stderr, shown only on a terminal and only once a run takes over a second."""

    def __init__(self, total: int, stream: TextIO = sys.stderr):
        self.total, self.stream = total, stream
        self.enabled = stream.isatty() and total > 1
        self.started = time.monotonic()
        self.shown = False

    def update(self, done: int) -> None:
        if not self.enabled or time.monotonic() - self.started < 1.0:
            return
        width = 30
        filled = int(width * done / self.total)
        self.stream.write(f"\r[{'#' * filled}{'.' * (width - filled)}] {done}/{self.total} files")
        self.stream.flush()
        self.shown = True

    def close(self) -> None:
        if self.shown:
            self.stream.write("\r" + " " * 60 + "\r")
            self.stream.flush()


def run_check(args: argparse.Namespace) -> int:
    """Lint the given paths and report; return the exit code."""
    threshold = Applicability.UNSAFE if args.unsafe_fixes else Applicability.SAFE
    resolver = ConfigResolver(args)
    paths = args.paths or ["."]
    out: TextIO = open(args.output, "w", encoding="utf-8") if args.output else sys.stdout
    color = args.color == "always" or (args.color == "auto" and out.isatty() and not os.environ.get("NO_COLOR"))
    style = Style(color)
    err = sys.stderr
    problems: list[str] = []
    results: list[tuple[DocumentResult, Optional[str]]] = []
    fixed_total = 0
    diffs: list[str] = []
    skipped = 0
    configs_used: list[Config] = []

    if "-" in paths:
        if len(paths) > 1:
            raise UsageError("'-' (standard input) cannot be combined with other paths")
        name = args.stdin_filename or "stdin.listing.md"
        raw = sys.stdin.buffer.read()
        config = resolver.for_path(Path(name).resolve().parent if args.stdin_filename else Path.cwd())
        configs_used.append(config)
        try:
            source = decode(name, raw)
        except SourceError as exc:
            problems.append(str(exc))
        else:
            fmt = detect_format(name) or "markdown"
            if args.fix or args.diff:
                new_text, applied, result = fix_document(name, source.text, config, threshold, fmt)
                fixed_total += applied
                if args.diff:
                    diffs.append(_diff(name, source.text, new_text))
                else:
                    sys.stdout.write(new_text)  # --fix on stdin prints the fixed text, like ruff
                    out = err if not args.output else out
            else:
                result = lint_text(name, source.text, config, fmt)
            results.append((result, name))
    else:
        base_configs = {}
        path_objs = [Path(p) for p in paths]
        for p in path_objs:
            base_configs[p] = resolver.for_path(p if p.exists() else Path.cwd())
        files: list[Path] = []
        for p in path_objs:
            found = discover([p], base_configs[p])
            files.extend(found.files)
            skipped += found.skipped
            problems.extend(found.problems)
        progress = Progress(len(files))
        for n, path in enumerate(files, 1):
            config = resolver.for_path(path)
            if config not in configs_used:
                configs_used.append(config)
            fmt = detect_format(path.name)
            if fmt is None:
                problems.append(f"{path}: not a listing format listing-lint reads (.listing.md, .listing.json, "
                                ".jsonl, .csv, .tsv, .txt); skipped")
                continue
            try:
                source = read_source(path, config.max_file_size)
            except SourceError as exc:
                problems.append(str(exc))
                continue
            if args.fix or args.diff:
                new_text, applied, result = fix_document(str(path), source.text, config, threshold, fmt)
                if applied and new_text != source.text:
                    if args.diff:
                        diffs.append(_diff(str(path), source.text, new_text))
                    else:
                        try:
                            write_atomically(path, source, new_text)
                            fixed_total += applied
                        except ChangedOnDisk as exc:
                            problems.append(str(exc))
                            result = lint_text(str(path), source.text, config, fmt)
                        except OSError as exc:
                            problems.append(f"{path}: cannot write fixes: {exc.strerror or exc}")
                            result = lint_text(str(path), source.text, config, fmt)
                    if args.diff:
                        fixed_total += applied
            else:
                result = lint_text(str(path), source.text, config, fmt)
            if not result.recognised:
                skipped += 1
                continue
            results.append((result, None))
            progress.update(n)
        progress.close()

    records: list[Record] = []
    listings = 0
    for result, name in results:
        records.extend(records_for(result, name))
        listings += len(result.listings)
        problems.extend(str(e) for e in result.errors)
    files = len(results)

    if args.diff:
        out.write("".join(diffs))
        for p in problems:
            err.write(f"listing-lint: {p}\n")
        if not args.quiet:
            err.write(f"Would fix {fixed_total} problem{'s' if fixed_total != 1 else ''}.\n")
        if args.output:
            out.close()
        return EXIT_FINDINGS if diffs and not args.exit_zero else EXIT_CLEAN

    specs = [s for c in configs_used for s in ruleset_for(c).specs] or ruleset_for(Config()).specs
    if args.format in ("text", "concise"):
        write_text(records, out, style, show_source=args.format == "text")
    elif args.format == "json":
        write_json(records, out)
    elif args.format == "sarif":
        json.dump(sarif(records, specs), out, ensure_ascii=False, indent=2)
        out.write("\n")
    elif args.format == "github":
        write_github(records, out)
    for p in problems:
        err.write(f"listing-lint: {p}\n")
    if args.statistics:
        write_statistics(records, out if args.format in ("text", "concise") else err, specs)
    if not args.quiet and args.format in ("text", "concise"):
        out.write(summary(records, listings, files, skipped, fixed_total, style, args.unsafe_fixes))
    elif not args.quiet and skipped:
        err.write(skipped_line(skipped) + "\n")
    if args.output:
        out.close()
    failing = any(r.finding.severity >= Severity.WARNING for r in records) or bool(problems)
    return EXIT_FINDINGS if failing and not args.exit_zero else EXIT_CLEAN


def write_statistics(records: list[Record], out: TextIO, specs: list[RuleSpec]) -> None:
    """Print findings per rule, most frequent first (like ``ruff --statistics``)."""
    counts = Counter((r.finding.code, r.finding.rule) for r in records)
    fixable = Counter((r.finding.code, r.finding.rule) for r in records if r.finding.fix
                      and r.finding.fix.applies(Applicability.SAFE))
    width = max((len(str(n)) for n in counts.values()), default=1)
    for (code, rule), n in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0])):
        mark = "[*]" if fixable[(code, rule)] else "   "
        out.write(f"{n:>{width}}\t{code}\t{mark} {rule}\n")


def _diff(name: str, before: str, after: str) -> str:
    lines = difflib.unified_diff(before.splitlines(keepends=True), after.splitlines(keepends=True),
                                 fromfile=f"a/{name}", tofile=f"b/{name}")
    text = "".join(line if line.endswith(("\n", "\r")) else line + "\n\\ No newline at end of file\n"
                   for line in lines)
    return text


# -- rules and explain ---------------------------------------------------------------------------


def _ruleset(args: argparse.Namespace) -> RuleSet:
    config = load_config(Path(args.config)) if args.config else Config()
    return ruleset_for(config)


def run_rules(args: argparse.Namespace) -> int:
    """List every rule with its code, slug, pack, severity and fix."""
    rs = _ruleset(args)
    if args.format == "json":
        json.dump([{
            "code": s.id, "rule": s.name, "pack": s.pack, "severity": s.severity.label, "status": s.status,
            "fields": [f.value for f in s.fields], "fix": s.fix.applicability.label if s.fix else None,
            "message": s.message, "url": s.policy,
        } for s in rs.specs], sys.stdout, indent=2, ensure_ascii=False)
        sys.stdout.write("\n")
        return EXIT_CLEAN
    buf = io.StringIO()
    buf.write(f"{'code':8} {'rule':28} {'pack':13} {'severity':9} {'fix':8} fields\n")
    for s in rs.specs:
        fix = s.fix.applicability.label if s.fix else "-"
        status = "" if s.status == "stable" else f" ({s.status})"
        buf.write(f"{s.id:8} {s.name + status:28} {s.pack:13} {s.severity.label:9} {fix:8} "
                  f"{', '.join(f.value for f in s.fields)}\n")
    sys.stdout.write(buf.getvalue())
    return EXIT_CLEAN


def run_explain(args: argparse.Namespace) -> int:
    """Print one rule's documentation."""
    rs = _ruleset(args)
    wanted = args.rule
    for s in rs.specs:
        if wanted in (s.id, s.name):
            sys.stdout.write(explain_text(s))
            return EXIT_CLEAN
    names = [s.name for s in rs.specs] + [s.id for s in rs.specs]
    close = difflib.get_close_matches(wanted, names, n=1)
    raise UsageError(f"unknown rule {wanted!r}" + (f"; did you mean {close[0]!r}?" if close else ""))


def explain_text(s: RuleSpec) -> str:
    """Return a rule's documentation as plain text (also used for hover in the language server)."""
    lines = [f"{s.id} {s.name} ({s.pack}, {s.severity.label} by default)", "", "What it flags:",
             "  " + s.message, "", "Why:"]
    lines += ["  " + line for line in " ".join(s.rationale.split()).split(". ") if line]
    lines += ["", f"Policy: {s.policy}"]
    if s.sources:
        lines.append("Sources: " + "; ".join(s.sources))
    lines.append(f"Fields: {', '.join(f.value for f in s.fields)}")
    if s.fix:
        lines.append(f"Fix ({s.fix.applicability.label}): {s.fix.title}")
        if s.fix.safety:
            lines.append(f"  Why not safe: {s.fix.safety}")
    lines += ["", "Examples:"]
    for ex in s.examples:
        tag = "bad " if ex.bad else "good"
        field = f" [{ex.field.value}]" if ex.field else ""
        lines.append(f"  {tag}{field}: {ex.text}")
        if ex.fixed is not None:
            lines.append(f"  fixed: {ex.fixed}")
    return "\n".join(lines) + "\n"
