"""Layer 5b (CLI): parse arguments and run ``check``, ``rules``, ``explain`` and ``server``."""

from __future__ import annotations

import argparse
import functools
import io
import json
import os
import sys
import time
from pathlib import Path
from typing import Optional, TextIO

from .. import __version__
from ..cache_folder import KeptData, default_cache_dir
from ..config import Config, check_encoding, check_selector, find_config, load_config
from ..diagnostics import Applicability
from ..document import fix_document, lint_text
from ..engine.lint import RuleSet, known_selectors, ruleset_for, specs_for
from ..engine.lint import validate_selectors as validate_config_selectors
from ..engine.spec import RuleSpec, SpecError
from ..extract import detect_format
from ..extract.source import SourceError, decode
from ..names import close_matches
from .batch import FAILED, LINTED, PART, SKIPPED, FileResult, RunOptions, file_result, unified_diff
from .discover import discover
from .fixlist import FixList, fix_label
from .overrides import OverrideError, load_with_overrides, parse_override
from .formats import (RowWriter, github_problem,  # noqa: I001
                      JsonArrayWriter, Style, Tally, sarif, skipped_line, summary, write_github, write_statistics,
                      write_text)
from .output import Output, OutputError
from .pool import default_jobs
from .records import Record
from .run import CheckRun
from .safe_text import escape, escape_lines

EXIT_CLEAN, EXIT_FINDINGS, EXIT_ERROR = 0, 1, 2


class UsageError(Exception):
    """A command-line mistake; exit code 2."""


def _csv(values: Optional[list[str]]) -> tuple[str, ...]:
    return tuple(v.strip() for item in values or () for v in item.split(",") if v.strip())


class _HelpFormatter(argparse.HelpFormatter):
    """argparse's help layout, with the terminal's width read once. argparse reads it for every argument added
    (through ``shutil``, which it imports for that): 3 ms of every run, help or not."""

    def __init__(self, prog: str, indent_increment: int = 2, max_help_position: int = 24,
                 width: Optional[int] = None, **later_options) -> None:
        # **later_options: what newer Pythons pass (3.14's ``color``) goes through unchanged.
        super().__init__(prog, indent_increment, max_help_position, _help_width() if width is None else width,
                         **later_options)


@functools.lru_cache(maxsize=1)
def _help_width() -> int:
    """Return the width help is laid out in, as argparse works it out (``shutil.get_terminal_size``, less 2)."""
    try:
        columns = int(os.environ["COLUMNS"])
    except (KeyError, ValueError):
        columns = 0
    if columns <= 0:
        try:
            columns = os.get_terminal_size(sys.__stdout__.fileno()).columns
        except (AttributeError, ValueError, OSError):
            columns = 0
    return (columns or 80) - 2


def build_parser() -> argparse.ArgumentParser:
    """Return the argument parser for every subcommand."""
    parser = argparse.ArgumentParser(
        prog="listing-lint", formatter_class=_HelpFormatter,
        description="Lint marketplace listing copy for the policy problems that get seller accounts suspended.",
    )
    parser.add_argument("--version", action="version", version=f"listing-lint {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

    check = sub.add_parser("check", formatter_class=_HelpFormatter,
                           help="lint listing files, folders or catalog exports")
    check.add_argument("paths", nargs="*", default=[], metavar="PATH",
                       help="files or folders to lint (default: the current folder); '-' reads standard input")
    check.add_argument("--format", "--output-format", dest="format", default="text", choices=["text", "concise", "json", "jsonl", "csv", "sarif", "github", "html"],
                       help="output format (default: text); html is a self-contained audit report, for --output")
    check.add_argument("--output", "-o", metavar="FILE", help="write the report to FILE instead of standard output")
    check.add_argument("--fix", action="store_true", help="apply safe fixes to the files")
    check.add_argument("--show-fixes", action="store_true",
                       help="after the findings, list every fix: what --fix applies and what to review first")
    check.add_argument("--unsafe-fixes", action="store_true",
                       help="with --fix or --diff, also apply the fixes marked 'review before applying'")
    check.add_argument("--diff", action="store_true", help="print the fixes as a diff instead of writing them")
    check.add_argument("--select", action="append", metavar="RULES",
                       help="run only these rules (slugs, codes, code prefixes or pack names; comma-separated)")
    check.add_argument("--ignore", action="append", metavar="RULES", help="skip these rules (comma-separated)")
    check.add_argument("--config", action="append", metavar="FILE|KEY=VALUE",
                       help="use this config file instead of searching for one; or override one key of the config, "
                            "as TOML (e.g. 'brands.own=[\"Vantora\"]', 'limits.title-max-chars=150'); repeatable")
    check.add_argument("--marketplace", help="marketplace whose limits apply (e.g. amazon.de), to every file: unlike "
                       "the config's, it also applies to eBay, Etsy, Walmart and Shopify exports")
    check.add_argument("--editor-settings", metavar="JSON",
                       help="editor settings (the language server's initializationOptions, e.g. "
                            "'{\"ownBrands\": [\"Vantora\"]}') laid over each config as the server lays them, so "
                            "an editor's batch lint agrees with its live one")
    check.add_argument("--encoding", metavar="NAME",
                       help="encoding of files with no BOM that are not UTF-8 (default: the marketplace's, e.g. cp1252, "
                            "cp932 for amazon.co.jp, gb18030 for amazon.cn)")
    check.add_argument("--show-settings", action="store_true", help="print the settings used for the first path, and stop")
    check.add_argument("--show-files", action="store_true", help="print the files that would be linted, and stop")
    check.add_argument("--allow-unrecognised", action="store_true",
                       help="skip a named file that holds no listing columns instead of reporting it (for pre-commit)")
    check.add_argument("--stdin-filename", metavar="NAME", help="file name (and so format) for text read from '-'")
    check.add_argument("--statistics", action="store_true",
                       help="print only a count of findings per rule, not the findings")
    check.add_argument("--watch", "-w", action="store_true",
                       help="lint, then lint again each file that changes, until Ctrl+C")
    check.add_argument("--exit-zero", action="store_true", help="exit 0 even when there are findings")
    check.add_argument("--color", choices=["auto", "always", "never"], default="auto", help="colour the text output")
    check.add_argument("--quiet", "-q", action="store_true", help="print findings only, no summary")
    check.add_argument("--jobs", "-j", type=int, metavar="N",
                       help="worker processes for files and the rows of large catalogs (default: the CPU count)")
    check.add_argument("--no-cache", action="store_true", help="lint every file again, ignoring the cache")
    check.add_argument("--cache-dir", metavar="DIR",
                       help="where to keep the cache (default: $LISTING_LINT_CACHE_DIR or ~/.cache/listing-lint)")

    rules = sub.add_parser("rules", formatter_class=_HelpFormatter, help="list every rule")
    rules.add_argument("--format", choices=["text", "json"], default="text")
    rules.add_argument("--config", metavar="FILE", help="include the rule packs this config adds")

    explain = sub.add_parser("explain", formatter_class=_HelpFormatter, aliases=["rule"],
                             help="show a rule's rationale, policy and examples")
    explain.add_argument("rule", help="slug or code, e.g. external-url or POL001")
    explain.add_argument("--format", choices=["text", "markdown"], default="text",
                         help="plain text (default) or Markdown, which editors render")
    explain.add_argument("--config", metavar="FILE", help="include the rule packs this config adds")

    server = sub.add_parser("server", formatter_class=_HelpFormatter,
                            help="start the language server (stdio by default)")
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
        if args.command in ("explain", "rule"):
            return run_explain(args)
        if args.command == "server":
            from ..lsp.server import start

            return start(tcp=args.tcp)
    except (SpecError, UsageError, OverrideError, OutputError) as exc:
        # Messages quote file names and pack text: shown, not obeyed, by the terminal.
        sys.stderr.write(f"listing-lint: error: {escape_lines(str(exc))}\n")
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
        values = getattr(args, "config", None) or []
        values = [values] if isinstance(values, str) else values
        # As in ruff: a value naming a file is a config file, anything with '=' is a KEY=VALUE override.
        files = [v for v in values if Path(v).is_file() or "=" not in v]
        self.overrides = [(v, parse_override(v)) for v in values if v not in files]
        if len(files) > 1:
            raise UsageError(f"--config names {len(files)} files ({', '.join(files)}); give one")
        if files:
            path = Path(files[0])
            if not path.is_file():
                raise UsageError(f"config file {files[0]} does not exist")
            self.explicit = self._finish(self._load(path, path.parent))
        self.by_dir: dict[Path, Config] = {}
        self.by_given: dict[Path, Config] = {}
        self.by_file: dict[Optional[Path], Config] = {}

    def _load(self, found: Optional[Path], folder: Path) -> Config:
        if self.overrides:
            return load_with_overrides(found, self.overrides, folder)
        return load_config(found) if found else Config()

    def _finish(self, config: Config) -> Config:
        args = self.args
        if getattr(args, "editor_settings", None):
            from .editor_settings import apply_editor_settings  # only editors pass it: keep start-up short

            try:
                config = apply_editor_settings(config, args.editor_settings)
            except ValueError as exc:
                raise UsageError(str(exc)) from None
        select = _csv(getattr(args, "select", None)) or None
        ignore = _csv(getattr(args, "ignore", None))
        market = getattr(args, "marketplace", None)
        if market:
            from ..profiles import check_marketplace

            problem = check_marketplace(market)
            if problem:
                raise UsageError(f"--marketplace: {problem}")
        encoding = getattr(args, "encoding", None)
        if encoding:
            try:
                encoding = check_encoding(encoding)
            except ValueError as exc:
                raise UsageError(f"--encoding: {exc}") from None
        config = config.merged(select=select, marketplace=market or None, marketplace_forced=True if market else None,
                               encoding=encoding)
        if ignore:
            config = config.merged(ignore=config.ignore + ignore)
        validate_selectors(config, cli_select=select or (), cli_ignore=ignore)
        return config

    def for_path(self, path: Path) -> Config:
        if self.explicit is not None:
            return self.explicit
        return self.for_folder(path if path.is_dir() else path.parent)

    def for_folder(self, given: Path) -> Config:
        """Return the config governing the files of a folder."""
        if self.explicit is not None:
            return self.explicit
        # Files of one folder share its config: look the folder up as given before resolving it (a syscall
        # per path component), which matters over 20,000 files.
        config = self.by_given.get(given)
        if config is not None:
            return config
        folder = given.resolve()
        config = self.by_dir.get(folder)
        if config is None:
            # Folders sharing a config file (or having none) share one Config object, so the compiled
            # rule set is found by identity instead of being hashed and validated again per folder.
            found = find_config(folder)
            config = self.by_file.get(found)
            if config is None:
                config = self.by_file[found] = self._finish(self._load(found, folder))
            self.by_dir[folder] = config
        self.by_given[given] = config
        return config


def validate_selectors(config: Config, cli_select: tuple[str, ...] = (), cli_ignore: tuple[str, ...] = ()) -> None:
    """Fail with a did-you-mean when the command line or a config names a rule that does not exist."""
    known = known_selectors(config)
    for name in cli_select + cli_ignore:
        try:
            check_selector(name, known, "command line", "", "--select" if name in cli_select else "--ignore")
        except SpecError as exc:
            raise UsageError(str(exc).replace("command line: ", "")) from None
    on_file = config._replace(select=tuple(s for s in config.select if s not in cli_select),
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


class Report:
    """Write each file's findings as they arrive (or gather them for whole-run formats) and count them."""

    def __init__(self, args: argparse.Namespace, out: TextIO, style: Style):
        self.args, self.out, self.style = args, out, style
        self.tally = Tally()
        self.files = self.listings = self.skipped = self.fixed = 0
        self.problems = 0
        self.gathered: list[Record] = []
        self.problem_lines: list[str] = []
        self.fixes = FixList()
        self.json = JsonArrayWriter(out) if args.format == "json" and not args.diff else None
        self.rows = RowWriter(args.format, out) if args.format in ("csv", "jsonl") and not args.diff else None
        self.named: set[str] = set()
        """Files named on the command line: one that holds no listing is reported, not skipped."""
        # The HTML report keeps a compact row per finding, not the findings, so big catalogs stay small.
        self.html = None
        if args.format == "html" and not args.diff:
            from .report_html import HtmlReport  # only this format needs it: keep start-up short

            self.html = HtmlReport()

    def problem(self, text: str) -> None:
        """Report a file that could not be (fully) read, at once, on stderr."""
        self.problems += 1
        if len(self.problem_lines) < 1000:
            self.problem_lines.append(text)
        sys.stderr.write(f"listing-lint: {escape(text)}\n")
        # No silent passes: every machine-read format carries the problem too, as a read-error.
        if self.args.diff:
            return
        if self.json is not None:
            self.json.problem(text)
        elif self.rows is not None:
            self.rows.problem(text)
        elif self.args.format == "github":
            github_problem(text, self.out)

    def cache_problem(self, text: str) -> None:
        """Report a cache that could not be read or written: on stderr only, since results are unaffected."""
        sys.stderr.write(f"listing-lint: {escape(text)}\n")

    def add(self, result: FileResult) -> None:
        """Take one file's (or catalog slice's) result."""
        for p in result.problems:
            self.problem(p)
        for note in result.notes:
            sys.stderr.write(f"listing-lint: {escape(note)}\n")
        if result.status == SKIPPED:
            if result.name in self.named and not self.args.allow_unrecognised:
                self.problem(f"{result.name}: no listing columns recognised (title, bullet points, description…); "
                             "map its headers with a [columns] table in listing-lint.toml")
                return
            self.skipped += 1
            return
        if result.status == FAILED:
            return
        if result.status == LINTED:
            self.files += 1
        self.listings += result.listings
        self.fixed += result.fixed
        records = result.records
        args = self.args
        if not records and not args.diff:
            return  # most files of a folder: nothing to count or write
        self.tally.add(records)
        if args.show_fixes:
            self.fixes.add(records)
        if args.statistics and not args.diff:
            return  # only the table, at the end (as ruff --statistics)
        if args.diff:
            self.out.write(escape_lines(result.diff))
        elif args.format in ("text", "concise"):
            write_text(records, self.out, self.style, show_source=args.format == "text")
        elif self.json is not None:
            self.json.write(records)
        elif self.rows is not None:
            self.rows.write(records)
        elif args.format == "github":
            write_github(records, self.out)
        elif self.html is not None:
            self.html.add(records)
        else:
            self.gathered.extend(records)

    def finish(self, specs: list[RuleSpec]) -> int:
        """Write what comes after the findings and return the exit code."""
        args, out, err = self.args, self.out, sys.stderr
        if args.diff:
            if not args.quiet:
                err.write(f"Would fix {self.fixed} problem{'s' if self.fixed != 1 else ''}.\n")
            changed = self.fixed > 0
            return EXIT_FINDINGS if changed and not args.exit_zero else EXIT_CLEAN
        if args.statistics:
            # Only the table, in every format: the findings themselves were not printed.
            write_statistics(self.tally, out)
            if args.show_fixes:
                self.fixes.write(out, self.style)
            failing = self.tally.failing or self.problems > 0
            return EXIT_FINDINGS if failing and not args.exit_zero else EXIT_CLEAN
        if self.json is not None:
            self.json.close()
        elif self.rows is not None:
            self.rows.close()
        elif args.format == "sarif":
            out.write(json.dumps(sarif(self.gathered, specs, self.problem_lines), ensure_ascii=False, indent=2) + "\n")
        elif self.html is not None:
            out.write(self.html.render(specs, files=self.files, listings=self.listings, skipped=self.skipped,
                                       problems=self.problem_lines))
        if args.show_fixes:
            self.fixes.write(out if args.format in ("text", "concise") else err, self.style)
        if not args.quiet and args.format in ("text", "concise"):
            out.write(summary(self.tally, self.listings, self.files, self.skipped, self.fixed, self.style,
                              args.unsafe_fixes))
        elif not args.quiet and self.skipped:
            err.write(skipped_line(self.skipped) + "\n")
        failing = self.tally.failing or self.problems > 0
        # --exit-zero forgives findings, not files that could not be read: those were never checked.
        return EXIT_FINDINGS if (failing and not args.exit_zero) or self.problems else EXIT_CLEAN


def run_check(args: argparse.Namespace) -> int:
    """Lint the given paths and report; return the exit code."""
    # Parsing the bundled rule packs and lexicons costs more than linting a small file, so their parsed data
    # is kept in the cache folder, keyed on the bytes of the file it was parsed from. --no-cache neither reads
    # nor writes it: the option turns the whole cache folder off.
    if args.no_cache:
        return _run_check(args)
    # So are the patterns this run compiled afresh (a user's own, those built from the competitor list, and all
    # of them under a regex release or Python the bundled compiled patterns were not made for).
    kept = KeptData(Path(args.cache_dir) if args.cache_dir else default_cache_dir())
    kept.start()
    try:
        return _run_check(args)
    finally:
        kept.save()
        kept.stop()


def _run_check(args: argparse.Namespace) -> int:
    threshold = Applicability.UNSAFE if args.unsafe_fixes else Applicability.SAFE
    options = RunOptions(fix=args.fix, diff=args.diff, threshold=threshold)
    if args.jobs is not None and args.jobs < 1:
        raise UsageError("--jobs must be 1 or more")
    resolver = ConfigResolver(args)
    paths = args.paths or ["."]
    # A path that is not there is a typo, not an empty folder: stop before printing any "All clear".
    missing = [p for p in paths if p != "-" and not os.path.lexists(p)]
    if missing:
        raise UsageError(f"{missing[0]}: no such file or folder")
    if args.show_settings or args.show_files:
        from .show import show_files, show_settings  # only these options need it

        config_for = lambda p: resolver.for_path(p if p.exists() else Path.cwd())  # noqa: E731
        if args.show_settings:
            first = Path(paths[0] if paths[0] != "-" else ".")
            show_settings(config_for(first), str(first), sys.stdout)
        else:
            show_files([p for p in paths if p != "-"], config_for, sys.stdout)
        return EXIT_CLEAN
    if args.watch:
        from .watch import watch  # only --watch needs it

        return watch(args, paths, lambda changed: _check_paths(args, resolver, changed, threshold, options),
                     lambda p: resolver.for_path(p if p.exists() else Path.cwd()))
    code = _check_paths(args, resolver, paths, threshold, options)
    if args.output and not args.quiet:
        size = os.path.getsize(args.output)
        sys.stderr.write(f"listing-lint: wrote the {args.format} report to {escape(args.output)} ({size:,} bytes)\n")
    return code


def _check_paths(args: argparse.Namespace, resolver: "ConfigResolver", paths: list[str], threshold: Applicability,
                 options: RunOptions) -> int:
    """Lint ``paths`` once and write the report; return the exit code."""
    out = Output(args.format, args.output)
    try:
        color = args.color == "always" or (args.color == "auto" and (out.isatty() or bool(os.environ.get(
            "FORCE_COLOR"))) and not os.environ.get("NO_COLOR"))
        report = Report(args, out, Style(color))
        report.named = {str(Path(p)) for p in paths}
        configs_used: list[Config] = []
        if "-" in paths:
            if len(paths) > 1:
                raise UsageError("'-' (standard input) cannot be combined with other paths")
            result, config, fixed_text = _check_stdin(args, resolver, threshold)
            configs_used.append(config)
            if fixed_text is not None:
                sys.stdout.write(fixed_text)  # --fix on stdin prints the fixed text, like ruff
                if not args.output:
                    report.out = sys.stderr
            report.add(result)
        else:
            files = _discover(paths, resolver, report)
            for _, config in files:
                if config not in configs_used:
                    configs_used.append(config)
            cache_dir = None if args.no_cache else Path(args.cache_dir) if args.cache_dir else default_cache_dir()
            run = CheckRun(options, args.jobs or default_jobs(), cache_dir, report.cache_problem)
            progress = Progress(len(files))
            for result in run.results(files):
                report.add(result)
                if result.status != PART:
                    progress.update(report.files + report.skipped)
            progress.close()
        specs = []
        if args.format in ("sarif", "html"):  # only these describe the rules; the rest need no rule loaded
            specs = [s for c in configs_used for s in specs_for(c)] or specs_for(Config())
        return report.finish(specs)
    finally:
        out.close()


def _check_stdin(args: argparse.Namespace, resolver: ConfigResolver,
                 threshold: Applicability) -> tuple[FileResult, Config, Optional[str]]:
    name = args.stdin_filename or "stdin.listing.md"
    raw = sys.stdin.buffer.read()
    config = resolver.for_path(Path(name).resolve().parent if args.stdin_filename else Path.cwd())
    try:
        source = decode(name, raw, config.fallback_encoding())
    except SourceError as exc:
        return FileResult(name, FAILED, problems=[str(exc)]), config, None
    fmt = detect_format(name) or "markdown"
    if not (args.fix or args.diff):
        return file_result(lint_text(name, source.text, config, fmt), name), config, None
    new_text, applied, result = fix_document(name, source.text, config, threshold, fmt)
    if args.diff:
        diff = unified_diff(name, source.text, new_text) if new_text != source.text else ""
        return file_result(result, name, fixed=applied if diff else 0, diff=diff), config, None
    return file_result(result, name, fixed=applied), config, new_text


def _discover(paths: list[str], resolver: ConfigResolver, report: Report) -> list[tuple[str, Config]]:
    """Find the listing files under the given paths, each with the config that governs it."""
    files: list[tuple[str, Config]] = []
    for p in map(Path, paths):
        found = discover([p], resolver.for_path(p if p.exists() else Path.cwd()))
        report.skipped += found.skipped
        for problem in found.problems:
            report.problem(problem)
        last_folder, config = None, None
        for path in found.files:
            # Walks yield a folder's files together: resolve its config once per run of files.
            folder = os.path.dirname(path)
            if folder != last_folder:
                last_folder, config = folder, resolver.for_folder(Path(path).parent)
            files.append((path, config))
    return files


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
        fix = ("review" if s.fix.applicability is Applicability.UNSAFE else s.fix.applicability.label) if s.fix else "-"
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
            pack = next((p for p in rs.packs if s in p.rules), None)
            if getattr(args, "format", "text") == "markdown":
                from .explain_md import explain_markdown

                sys.stdout.write(explain_markdown(s, pack))
            else:
                sys.stdout.write(escape_lines(explain_text(s, pack)))
            return EXIT_CLEAN
    names = [s.name for s in rs.specs] + [s.id for s in rs.specs]
    close = close_matches(wanted, names)
    raise UsageError(f"unknown rule {wanted!r}" + (f"; did you mean {close[0]!r}?" if close else ""))


def explain_text(s: RuleSpec, pack=None) -> str:
    """Return a rule's documentation as plain text: placeholders filled from its first bad example."""
    from ..engine.ruledocs import citations, example_wording

    message, fix_title = example_wording(s, pack)
    lines = [f"{s.id} {s.name} ({s.pack}, {s.severity.label} by default)", "", "What it flags, for example:",
             "  " + message, "", "Why:"]
    lines += ["  " + line for line in " ".join(s.rationale.split()).split(". ") if line]
    lines += ["", f"Policy: {s.policy}"]
    sources = citations(s)
    if sources:
        lines.append("Sources: " + "; ".join(sources))
    lines.append(f"Fields: {', '.join(f.value for f in s.fields)}")
    if s.fix:
        lines.append(f"Fix ({fix_label(s.fix.applicability)}): {fix_title}")
        if s.fix.safety:
            lines.append(f"  Why review it: {s.fix.safety}")
    lines += ["", "Examples:"]
    for ex in s.examples:
        tag = "bad " if ex.bad else "good"
        field = f" [{ex.field.value}]" if ex.field else ""
        lines.append(f"  {tag}{field}: {ex.text}")
        if ex.fixed is not None:
            lines.append(f"  fixed: {ex.fixed}")
    return "\n".join(lines) + "\n"
