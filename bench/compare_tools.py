"""Time listing-lint against ripgrep, textlint (with prh) and proselint on the same 20,000 real listings.

Usage: python bench/compare_tools.py [--listings 20000] [--repeat 3] [--only TOOLS] [--workdir DIR]
                                     [--output bench/results/compare-tools.md]

Install the other tools first with bench/install-compare-tools (it needs the registries; this script
does not need the network). A tool that is not installed is reported as missing, and the rest still run.

The script builds, in a temporary folder (kept with --workdir):
  corpus/listings/NN/NNNNN.listing.md  one file per listing, 1,000 to a folder: the 2,862 real listings of
                                       shared/corpus/real-listings.jsonl, cycled to --listings, each with its
                                       own SKU in the front matter, so no two files are the same
  corpus/brands.txt                    the 3,446 names of shared/corpus/brands-sample.txt
  corpus/listing-lint.toml             [brands] competitors-files = ["brands.txt"]
  corpus/prh.yml, .textlintrc.json     a prh rule that flags any of the brands, for textlint-rule-prh
and runs every tool the way a user would, through its command line, from corpus/:
  listing-lint check listings --format concise [--jobs N] [--no-cache | --cache-dir D]
  rg -j1 -c -w -F -f brands.txt listings
  textlint --config .textlintrc.json --format json 'listings/**/*.listing.md'
  proselint --output-format compact check listings
Each is run --repeat times, in rounds: each round runs every tool and configuration once, so a machine whose
speed drifts during the run slows the tools of a round alike. The table shows the median wall time, the median
CPU time (user + system, worker processes included) and the findings of the last good run; the goal check also
gives listing-lint's ratio to ripgrep in each round. listing-lint's cold runs use a new, empty cache folder each
time; its cached run follows each cold run, with the same cache folder.

textlint reads every file it is given at once, so past the open-file limit (20,000 here) it fails with
EMFILE. The script raises the soft limit to the hard one, and gives textlint the folders in batches of at
most half that limit (two runs of 10,000 files here); a run's time is the sum of its batches.
"""

from __future__ import annotations

import argparse
import collections
import hashlib
import json
import os
import platform
import re
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
SHARED = ROOT.parent / "shared"
TEXTLINT = BENCH / "node_modules" / ".bin" / "textlint"
PROSELINT = BENCH / ".venv" / "bin" / "proselint"
FOLDER_SIZE = 1000

#: What each tool looks for in these runs, for the table.
CHECKS = {
    "listing-lint": "every default rule (policy + Amazon style), with the brands as competitors",
    "ripgrep": "the brand names only (fixed strings, whole words)",
    "textlint": "the brand names only (one prh rule, whole words)",
    "proselint": "its own English prose checks (no brand list)",
}


# -- the data ---------------------------------------------------------------------------------------------


def as_markdown(record: dict, n: int) -> str:
    """Render corpus record number *n* as a .listing.md document with its own SKU."""
    parts = [f"---\nsku: BENCH-{n:05d}\nmarketplace: {record.get('marketplace') or 'amazon.com'}\n---\n"
             f"# Title\n{record['title']}\n"]
    if record.get("bullets"):
        parts.append("## Bullet points\n" + "".join(f"- {b}\n" for b in record["bullets"]))
    if record.get("description"):
        parts.append(f"## Description\n{record['description']}\n")
    return "\n".join(parts)


def js_regex_escape(text: str) -> str:
    """Escape *text* for a JavaScript regular expression with the u flag (which rejects needless escapes)."""
    return re.sub(r"([\\^$.*+?()\[\]{}|/])", r"\\\1", text)


def prh_yaml(brands: list[str]) -> str:
    """Write a prh dictionary with one rule that reports any brand, as a whole word, with its removal as the fix.

    prh is a replacement dictionary: a rule reports text that matches its pattern and differs from
    ``expected``, and its fix writes ``expected``. Here ``expected`` is empty, so every whole-word,
    case-sensitive occurrence of a brand is an error ("Sony => ") whose fix deletes it, like
    listing-lint's competitor-brand rule. The message names the brand it found.

    All brands go into one regular expression, longest first so that "Amazon AWS" wins over "Amazon".
    prh's usual style, one rule per term, gives the same findings but costs about half a second of CPU
    per file here: textlint-rule-prh rebuilds the prh engine (3,446 regular expressions) for every file,
    so 20,000 files would take hours. The pattern is written as a regular expression because prh's own
    escaping of plain strings breaks under the u flag it adds; the look-arounds stand in for ``rg -w``.
    """
    alternation = "|".join(js_regex_escape(b) for b in sorted(brands, key=len, reverse=True))
    pattern = f"/(?<![\\p{{L}}\\p{{N}}_])(?:{alternation})(?![\\p{{L}}\\p{{N}}_])/"
    return ("# Generated by bench/compare_tools.py from brands.txt: any competitor brand, as a whole word.\n"
            "version: 1\nrules:\n"
            f"  - expected: \"\"\n    pattern: {json.dumps(pattern, ensure_ascii=False)}\n"
            "    prh: \"Competitor brand name (brands.txt).\"\n")


def build_corpus(workdir: Path, count: int) -> tuple[Path, int, list[str]]:
    """Write the listing folders, brand list and tool configs; return the corpus folder, brand count, folders."""
    records = [json.loads(line) for line in open(SHARED / "corpus" / "real-listings.jsonl", encoding="utf-8")]
    seen: set[str] = set()
    brands = []
    for line in open(SHARED / "corpus" / "brands-sample.txt", encoding="utf-8"):
        name = line.strip()
        if name and not name.startswith("#") and name not in seen:
            seen.add(name)
            brands.append(name)
    corpus = workdir / "corpus"
    folders = []
    for n in range(count):
        folder = corpus / "listings" / f"{n // FOLDER_SIZE:02d}"
        if n % FOLDER_SIZE == 0:
            folder.mkdir(parents=True)
            folders.append(f"listings/{folder.name}")
        (folder / f"{n:05d}.listing.md").write_text(as_markdown(records[n % len(records)], n), "utf-8")
    (corpus / "brands.txt").write_text("".join(f"{b}\n" for b in brands), "utf-8")
    (corpus / "listing-lint.toml").write_text(
        "# Generated by bench/compare_tools.py: every default rule, plus the brand list as competitors.\n"
        "[brands]\ncompetitors-files = [\"brands.txt\"]\n", "utf-8")
    (corpus / "prh.yml").write_text(prh_yaml(brands), "utf-8")
    (corpus / ".textlintrc.json").write_text(json.dumps({"rules": {"prh": {"rulePaths": ["./prh.yml"]}}}), "utf-8")
    return corpus, len(brands), folders


# -- running and timing -----------------------------------------------------------------------------------


@dataclass
class Run:
    """One timed run of a configuration: one command, or textlint's batches one after another."""

    wall: float
    cpu: float
    outs: list[Path]
    error: str = ""
    findings: dict = field(default_factory=dict)
    round: int = 0
    """Which round of the run it was made in (each round runs every configuration once)."""


@dataclass
class Row:
    """One line of the table: a tool in one configuration, and its runs."""

    tool: str
    variant: str
    commands: list[list[str]]
    runs: list[Run] = field(default_factory=list)
    note: str = ""
    one_core: bool = False
    """Run pinned to ONE_CORE: the cores of a virtual machine run at different speeds, and a one-core run left
    to the scheduler read 4.8 to 5.5 s from one run to the next."""

    @property
    def good(self) -> list[Run]:
        """The runs that finished and whose output could be read."""
        return [r for r in self.runs if not r.error]

    @property
    def wall(self) -> float:
        """Median wall time of the good runs, in seconds."""
        return statistics.median(r.wall for r in self.good)

    @property
    def cpu(self) -> float:
        """Median CPU time (user + system) of the good runs, in seconds."""
        return statistics.median(r.cpu for r in self.good)

    @property
    def findings(self) -> dict:
        """What the last good run found."""
        return self.good[-1].findings if self.good else {}


ONE_CORE = max(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else None
"""The core every one-core row runs on (the same one as bench/throughput.py --against)."""


def run_timed(commands: list[list[str]], cwd: Path, env: dict, out: Path, one_core: bool = False) -> Run:
    """Run *commands* one after another, stdout to files; return the summed wall and CPU time.

    CPU time is that of each command and the children it waited for (worker processes included). With
    ``one_core`` each command runs on ONE_CORE only.
    """
    pin = (lambda: os.sched_setaffinity(0, {ONE_CORE})) if one_core and ONE_CORE is not None else None
    wall = cpu = 0.0
    outs, errors = [], []
    for i, cmd in enumerate(commands):
        path = out.with_suffix(f".{i}.out")
        with open(path, "wb") as stdout, tempfile.TemporaryFile() as stderr:
            t = time.perf_counter()
            proc = subprocess.Popen(cmd, cwd=cwd, env=env, stdin=subprocess.DEVNULL, stdout=stdout, stderr=stderr,
                                    preexec_fn=pin)
            _, status, usage = os.wait4(proc.pid, 0)
            wall += time.perf_counter() - t
            cpu += usage.ru_utime + usage.ru_stime
            stderr.seek(0)
            err = stderr.read().decode("utf-8", "replace").strip()
        rc = os.waitstatus_to_exitcode(status)
        # Every tool here exits 1 for "found something"; 2 and up, or a signal, is a failure.
        if rc not in (0, 1) or "Traceback" in err or "Error:" in err:
            errors.append(f"exit {rc}: {err[-400:] or '(no message)'}")
        outs.append(path)
    return Run(wall, cpu, outs, "; ".join(errors))


def tool_env(workdir: Path) -> dict:
    """Return an environment that keeps every tool off the network and away from the user's own config."""
    home = workdir / "home"
    home.mkdir(exist_ok=True)
    env = {k: v for k, v in os.environ.items() if not k.startswith(("npm_", "NODE_", "XDG_", "LISTING_LINT_"))}
    env.update(HOME=str(home), XDG_CONFIG_HOME=str(home / ".config"), XDG_CACHE_HOME=str(home / ".cache"),
               NO_COLOR="1", PYTHONDONTWRITEBYTECODE="1", npm_config_offline="true",
               npm_config_update_notifier="false", LC_ALL="C.UTF-8")
    return env


def raise_open_file_limit() -> int:
    """Raise this process's soft open-file limit (inherited by the tools) to the hard limit; return it."""
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    want = hard if hard != resource.RLIM_INFINITY else max(soft, 1 << 20)
    try:
        resource.setrlimit(resource.RLIMIT_NOFILE, (want, hard))
        return want
    except (ValueError, OSError):
        return soft


def version_of(cmd: list[str]) -> str:
    """Return the first line a version command prints, or why there is none."""
    try:
        out = subprocess.run(cmd, capture_output=True, text=True, timeout=60)
    except OSError as exc:
        return f"not installed ({exc.strerror})"
    text = (out.stdout or out.stderr).strip()
    return text.splitlines()[0] if text else "?"


def npm_package_version(name: str) -> str:
    """Return the version of an npm package installed in bench/node_modules."""
    try:
        return json.loads((BENCH / "node_modules" / name / "package.json").read_text())["version"]
    except OSError:
        return "not installed"


def source_fingerprint() -> str:
    """Hash listing-lint's code and rules, to notice when they change during a run (the install is editable)."""
    h = hashlib.sha256()
    for path in sorted([*(ROOT / "server").rglob("*.py"), *(ROOT / "rules").rglob("*")]):
        if path.is_file():
            h.update(str(path).encode())
            h.update(path.read_bytes())
    return h.hexdigest()[:12]


# -- reading each tool's findings (each raises ValueError when the output is not what a good run prints) ---

CONCISE = re.compile(r":\d+:\d+: ([A-Z]+\d+) (\S+) (error|warning|info|hint) ")


def listing_lint_findings(outs: list[Path], files: int) -> dict:
    """Count findings per rule and severity in listing-lint's concise output."""
    rules: collections.Counter = collections.Counter()
    severities: collections.Counter = collections.Counter()
    brand_files: set[str] = set()
    summary = ""
    for line in outs[0].read_text("utf-8", "replace").splitlines():
        m = CONCISE.search(line)
        if m:
            rules[f"{m.group(1)} {m.group(2)}"] += 1
            severities[m.group(3)] += 1
            if m.group(1) == "POL005":
                brand_files.add(line[:m.start()])
        elif line.startswith("Found "):
            summary = line.rstrip(".")
    if f"in {files} files" not in summary:
        raise ValueError(f"no summary line for {files} files in listing-lint's output")
    return {"total": sum(rules.values()), "brand": rules.get("POL005 competitor-brand", 0),
            "brand_files": len(brand_files), "severities": dict(severities), "rules": dict(rules.most_common()),
            "summary": summary}


def rg_findings(outs: list[Path], files: int) -> dict:
    """Sum ripgrep's per-file counts of matching lines."""
    counts = [int(line.rsplit(":", 1)[1]) for line in outs[0].read_text("utf-8", "replace").splitlines() if line]
    return {"total": sum(counts), "brand": sum(counts), "brand_files": len(counts)}


def textlint_findings(outs: list[Path], files: int) -> dict:
    """Count textlint's messages per rule, and the brands prh reported most."""
    rules: collections.Counter = collections.Counter()
    brands: collections.Counter = collections.Counter()
    flagged = seen = 0
    for out in outs:
        results = json.loads(out.read_text("utf-8"))  # an empty or cut-off output raises ValueError
        seen += len(results)
        for result in results:
            flagged += bool(result["messages"])
            for msg in result["messages"]:
                rules[msg.get("ruleId")] += 1
                brands[msg["message"].split(" => ", 1)[0]] += 1
    if seen != files:
        raise ValueError(f"textlint reported on {seen} files, not {files}")
    return {"total": sum(rules.values()), "brand": rules.get("prh", 0), "brand_files": flagged,
            "rules": dict(rules), "top": brands.most_common(8)}


PROSE = re.compile(r":\d+:\d+: (\S+): ")


def proselint_findings(outs: list[Path], files: int) -> dict:
    """Count proselint's compact output lines per check."""
    checks: collections.Counter = collections.Counter()
    for line in outs[0].read_text("utf-8", "replace").splitlines():
        m = PROSE.search(line)
        if m:
            checks[m.group(1)] += 1
    return {"total": sum(checks.values()), "top": checks.most_common(6)}


PARSERS = {"listing-lint": listing_lint_findings, "ripgrep": rg_findings, "textlint": textlint_findings,
           "proselint": proselint_findings}


# -- the benchmark ----------------------------------------------------------------------------------------


def listing_lint_command() -> list[str]:
    """Return the listing-lint command installed beside this Python, else the one on PATH."""
    exe = Path(sys.executable).parent / "listing-lint"
    return [str(exe)] if exe.exists() else [shutil.which("listing-lint") or "listing-lint"]


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--listings", type=int, default=20_000)
    ap.add_argument("--repeat", type=int, default=3, help="runs per tool and configuration (median reported)")
    ap.add_argument("--only", default="listing-lint,ripgrep,textlint,proselint",
                    help="comma-separated tools to run (default: all four)")
    ap.add_argument("--workdir", help="build the data here and keep it (default: a temporary folder, removed)")
    ap.add_argument("--output", default=str(BENCH / "results" / "compare-tools.md"),
                    help="Markdown report to write; a .json with the raw numbers is written beside it "
                         "('-' writes neither)")
    args = ap.parse_args()
    only = {t.strip() for t in args.only.split(",") if t.strip()}
    unknown = only - set(CHECKS)
    if unknown:
        ap.error(f"unknown tool(s) {', '.join(sorted(unknown))}; choose from {', '.join(CHECKS)}")
    if args.listings < 1 or args.repeat < 1:
        ap.error("--listings and --repeat must be at least 1")

    workdir = Path(args.workdir).resolve() if args.workdir else Path(tempfile.mkdtemp(prefix="compare-tools-"))
    if workdir.exists() and any(workdir.iterdir()):
        ap.error(f"--workdir {workdir} is not empty")
    workdir.mkdir(parents=True, exist_ok=True)
    try:
        return benchmark(args, only, workdir)
    finally:
        if not args.workdir:
            shutil.rmtree(workdir, ignore_errors=True)


def plan(only: set[str], folders: list[str], ll: list[str], nofile: int) -> tuple[list[Row], bool, bool]:
    """Return the rows to time, and whether listing-lint has --jobs and the cache options yet."""
    help_text = subprocess.run([*ll, "check", "--help"], capture_output=True, text=True).stdout
    has_jobs, has_cache = "--jobs" in help_text, "--cache-dir" in help_text and "--no-cache" in help_text
    rows: list[Row] = []
    if "listing-lint" in only:
        base = [*ll, "check", "listings", "--format", "concise", "--color", "never"]
        if has_jobs and has_cache:
            for jobs in (1, 2):
                cmd = [*base, "--jobs", str(jobs), "--cache-dir", "CACHE_DIR"]
                rows += [Row("listing-lint", f"--jobs {jobs}, cold", [cmd], one_core=jobs == 1),
                         Row("listing-lint", f"--jobs {jobs}, cached", [cmd], one_core=jobs == 1)]
            rows.append(Row("listing-lint", "--jobs 1 --no-cache", [[*base, "--jobs", "1", "--no-cache"]],
                            one_core=True))
        else:
            missing = [f for f, ok in (("--jobs", has_jobs), ("--cache-dir/--no-cache", has_cache)) if not ok]
            rows.append(Row("listing-lint", "one process, no cache (as built)", [base],
                            note=f"{' and '.join(missing)} not available yet"))
    if "ripgrep" in only:
        rows.append(Row("ripgrep", "-j1", [["rg", "-j1", "-c", "-w", "-F", "-f", "brands.txt", "listings"]],
                        one_core=True))
    if "textlint" in only:
        textlint = [str(TEXTLINT), "--config", ".textlintrc.json", "--format", "json", "--no-color"]
        per_batch = max(1, nofile // 2 // FOLDER_SIZE)
        if per_batch >= len(folders):
            batches = [[*textlint, "listings/**/*.listing.md"]]
        else:
            batches = [[*textlint, *(f"{f}/*.listing.md" for f in folders[i:i + per_batch])]
                       for i in range(0, len(folders), per_batch)]
        rows.append(Row("textlint", "+ prh" + (f", {len(batches)} batches" if len(batches) > 1 else ""), batches))
    if "proselint" in only:
        rows.append(Row("proselint", "defaults", [[str(PROSELINT), "--output-format", "compact", "check", "listings"]]))
    return rows, has_jobs, has_cache


def benchmark(args: argparse.Namespace, only: set[str], workdir: Path) -> int:
    """Build the data, run every tool, print the table and write the report."""
    t = time.perf_counter()
    corpus, nbrands, folders = build_corpus(workdir, args.listings)
    print(f"built {args.listings} listings and {nbrands} brands in {corpus} ({time.perf_counter() - t:.1f} s)",
          file=sys.stderr)
    env = tool_env(workdir)
    outdir = workdir / "out"
    outdir.mkdir()
    nofile = raise_open_file_limit()
    ll = listing_lint_command()
    rows, has_jobs, has_cache = plan(only, folders, ll, nofile)
    versions = {
        "listing-lint": version_of([*ll, "--version"]),
        "ripgrep": version_of(["rg", "--version"]),
        "textlint": f"textlint {version_of([str(TEXTLINT), '--version'])}, "
                    f"textlint-rule-prh {npm_package_version('textlint-rule-prh')}, prh {npm_package_version('prh')}",
        "proselint": version_of([str(PROSELINT), "version"]),
        "python": platform.python_version(),
        "node": version_of(["node", "--version"]),
    }

    fingerprint_before = source_fingerprint()
    fingerprint_after = fingerprint_before
    last_ll = max((i for i, r in enumerate(rows) if r.tool == "listing-lint"), default=-1)
    load_before = os.getloadavg()
    by_key = {(r.tool, r.variant): r for r in rows}
    # Round by round: each round runs every configuration once, so a machine whose speed drifts over the minutes
    # of a run (a shared virtual machine's does, by a third) slows every tool of a round alike, and each round's
    # ratio compares runs made minutes apart at most, never a block of one tool's runs with a later block.
    for rep in range(args.repeat):
        for i, row in enumerate(rows):
            if rep == args.repeat - 1 and i == last_ll + 1:
                fingerprint_after = source_fingerprint()  # only listing-lint's own runs matter
            exe = row.commands[0][0]
            if not (Path(exe).exists() or shutil.which(exe)):
                row.note = f"not installed ({exe}); run bench/install-compare-tools"
                continue
            if row.variant.endswith("cached"):
                continue  # timed right after each of its cold runs
            cached = by_key.get((row.tool, row.variant.replace("cold", "cached"))) if "cold" in row.variant else None
            cache = str(workdir / f"cache-{i}-{rep}")
            commands = [[cache if c == "CACHE_DIR" else c for c in cmd] for cmd in row.commands]
            for target, suffix in ((row, ""), (cached, "-cached")):
                if target is None:
                    continue
                print(f"{target.tool} {target.variant}: run {rep + 1}/{args.repeat}", file=sys.stderr)
                run = run_timed(commands, corpus, env, outdir / f"{i}-{rep}{suffix}", target.one_core)
                if not run.error:
                    try:
                        run.findings = PARSERS[target.tool](run.outs, args.listings)
                    except (ValueError, KeyError, IndexError) as exc:
                        run.error = f"unreadable output: {exc}"
                if run.error:
                    print(f"  failed: {run.error}", file=sys.stderr)
                run.round = rep
                target.runs.append(run)
    load_after = os.getloadavg()
    if last_ll == len(rows) - 1:
        fingerprint_after = source_fingerprint()
    source_changed = fingerprint_after != fingerprint_before

    failed = False
    for row in rows:
        bad = [r for r in row.runs if r.error]
        if bad:
            failed = True
            row.note = (f"{len(bad)} of {len(row.runs)} runs failed, left out: {bad[0].error[:300]}"
                        + (f"; {row.note}" if row.note else ""))
    ll_runs = [r for row in rows if row.tool == "listing-lint" for r in row.good]
    ll_consistent = len({json.dumps(r.findings, sort_keys=True) for r in ll_runs}) <= 1
    if not ll_consistent:
        failed = True

    report = render(args, rows, versions, nbrands, load_before, load_after, has_jobs, has_cache, nofile,
                    source_changed, ll_consistent)
    print(report)
    if args.output != "-":
        out = Path(args.output)
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_text(report, "utf-8")
        raw = {"listings": args.listings, "brands": nbrands, "repeat": args.repeat, "versions": versions,
               "cpus": os.cpu_count(), "loadavg_before": load_before, "loadavg_after": load_after,
               "open_file_limit": nofile, "flags_available": {"jobs": has_jobs, "cache": has_cache},
               "listing_lint_source_changed_during_run": source_changed,
               "listing_lint_findings_same_in_every_run": ll_consistent,
               "rows": [{"tool": r.tool, "variant": r.variant, "checks": CHECKS[r.tool],
                         "commands": [[display(c) for c in cmd] for cmd in r.commands],
                         "runs": [{"wall_s": round(x.wall, 3), "cpu_s": round(x.cpu, 3), "round": x.round, "error": x.error}
                                  for x in r.runs],
                         "findings": r.findings, "note": r.note} for r in rows]}
        out.with_suffix(".json").write_text(json.dumps(raw, indent=1) + "\n", "utf-8")
        print(f"wrote {out} and {out.with_suffix('.json')}", file=sys.stderr)
    return 1 if failed else 0


def display(arg: str) -> str:
    """Shorten a command argument for the report: tool names without their install path, globs quoted."""
    if arg.endswith("/listing-lint"):
        return "listing-lint"
    if arg == str(TEXTLINT):
        return "textlint"
    if arg == str(PROSELINT):
        return "proselint"
    return arg


def round_ratios(row: Row, other: Row) -> list[float]:
    """Return the ratio of ``row``'s wall time to ``other``'s in each round where both ran well."""
    theirs = {r.round: r.wall for r in other.good}
    return [r.wall / theirs[r.round] for r in row.good if r.round in theirs]


def render(args, rows, versions, nbrands, load_before, load_after, has_jobs, has_cache, nofile,
           source_changed, ll_consistent) -> str:
    """Return the Markdown report: the table, the goal check, the findings, the commands and the versions."""
    n = args.listings
    baseline = next((r for r in rows if r.tool == "listing-lint" and r.good
                     and ("--jobs 1, cold" in r.variant or "as built" in r.variant)), None)
    lines = [f"# listing-lint and other tools on {n:,} real listings",
             "",
             f"{n:,} `.listing.md` files (the 2,862 listings of shared/corpus/real-listings.jsonl, cycled, each with "
             f"its own SKU) and {nbrands:,} competitor brands (shared/corpus/brands-sample.txt). "
             f"Median of {args.repeat} runs; {os.cpu_count()} CPUs; load average {load_before[0]:.2f} before, "
             f"{load_after[0]:.2f} after. CPU = user + system time, worker processes included. "
             "Ratio = wall time / listing-lint `--jobs 1` cold."
             + (f" The one-core rows (`--jobs 1`, `-j1`) run pinned to CPU {ONE_CORE}." if ONE_CORE is not None else ""),
             "",
             "| tool | configuration | what it checks | wall s | CPU s | listings/s | ratio | findings |",
             "|---|---|---|---:|---:|---:|---:|---|"]
    for r in rows:
        if not r.good:
            lines.append(f"| {r.tool} | {r.variant} | {CHECKS[r.tool]} | - | - | - | - | {r.note} |")
            continue
        ratio = f"{r.wall / baseline.wall:.2f}" if baseline else "-"
        f = r.findings
        found = f"{f['total']:,}"
        if r.tool == "listing-lint":
            found += f" ({f['brand']:,} competitor-brand, in {f['brand_files']:,} files)"
        elif r.tool == "ripgrep":
            found += f" lines, in {f['brand_files']:,} files"
        elif r.tool == "textlint":
            found += f" prh errors, in {f['brand_files']:,} files"
        if r.note:
            found += f"; {r.note}"
        lines.append(f"| {r.tool} | {r.variant} | {CHECKS[r.tool]} | {r.wall:.2f} | {r.cpu:.2f} | "
                     f"{n / r.wall:,.0f} | {ratio} | {found} |")

    rg = next((r for r in rows if r.tool == "ripgrep" and r.good), None)
    lines += ["", "## Goal check", ""]
    if baseline and rg:
        verdict = "met" if baseline.wall <= rg.wall else "not met"
        lines.append(f"- listing-lint's full lint on one core ({baseline.variant}) takes {baseline.wall:.2f} s; "
                     f"ripgrep's brand-only scan takes {rg.wall:.2f} s. listing-lint takes {baseline.wall / rg.wall:.1f}x "
                     f"ripgrep's time. The goal is no longer than ripgrep: **{verdict}**.")
        pairs = round_ratios(baseline, rg)
        if pairs:
            lines.append(f"- Round by round (the two runs of a round were made minutes apart at most): "
                         + ", ".join(f"{x:.2f}x" for x in pairs) + f"; median {statistics.median(pairs):.2f}x.")
    else:
        lines.append("- listing-lint against ripgrep: not measured (a tool is missing or failed).")
    if not (has_jobs and has_cache):
        lines.append("- `--jobs` and `--cache-dir`/`--no-cache` were not in `listing-lint check --help` yet. Only "
                     "the one-process, uncached run was timed.")
    get = {(r.tool, r.variant): r for r in rows if r.good}
    j1, j2 = get.get(("listing-lint", "--jobs 1, cold")), get.get(("listing-lint", "--jobs 2, cold"))
    if j1 and j2:
        speedup = j1.wall / j2.wall
        lines.append(f"- Issue 5 asks that two workers run at least 1.8x as fast as one. Here `--jobs 2` runs "
                     f"{speedup:.2f}x as fast as `--jobs 1`: **{'met' if speedup >= 1.8 else 'not met'}**.")
    for jobs in (1, 2):
        cold, warm = get.get(("listing-lint", f"--jobs {jobs}, cold")), get.get(("listing-lint", f"--jobs {jobs}, cached"))
        if cold and warm:
            share = warm.wall / cold.wall
            lines.append(f"- Issue 5 asks that a cached run take under a tenth of the cold run. With `--jobs {jobs}` "
                         f"it takes {share:.3f} of the cold time: **{'met' if share < 0.1 else 'not met'}**.")
    if any(r.tool == "listing-lint" and r.good for r in rows):
        lines.append("- Every listing-lint run (cold, cached, 1 or 2 jobs) reported the same findings: "
                     + ("yes." if ll_consistent else "**no**; see the JSON file."))
    if source_changed:
        lines.append("- **listing-lint's code or rules changed while it was being timed** (the install is "
                     "editable), so its times may mix two versions.")

    lines += ["", "## What each tool found (last good run)", ""]
    shown_ll = False
    for r in rows:
        f = r.findings
        if not f or (r.tool == "listing-lint" and shown_ll):
            continue
        if r.tool == "listing-lint":
            shown_ll = True
            lines.append(f"- listing-lint: {f['summary']}. By severity: "
                         + ", ".join(f"{k} {v:,}" for k, v in f["severities"].items()) + ". Most frequent: "
                         + ", ".join(f"{k} {v:,}" for k, v in list(f["rules"].items())[:6]) + ".")
        elif r.tool == "ripgrep":
            lines.append(f"- ripgrep: {f['total']:,} lines hold a brand name, in {f['brand_files']:,} files. "
                         "`-c` counts matching lines per file, front matter and headings included.")
        elif r.tool == "textlint":
            lines.append(f"- textlint: {f['total']:,} errors ({', '.join(f'{k} {v:,}' for k, v in f['rules'].items())}) "
                         f"in {f['brand_files']:,} files. The brands it reported most: "
                         + ", ".join(f"{k} {v:,}" for k, v in f["top"]) + ".")
        elif r.tool == "proselint":
            lines.append(f"- proselint: {f['total']:,} findings. Most frequent: "
                         + ", ".join(f"{k} {v:,}" for k, v in f["top"]) + ".")

    lines += ["", "## Commands (run from the corpus folder)", ""]
    for r in rows:
        cmds = [" ".join(f"'{a}'" if "*" in a else a for a in map(display, cmd)) for cmd in r.commands]
        shown = f"`{cmds[0]}`" if len(cmds) == 1 else (f"{len(cmds)} runs, one after another: `{cmds[0]}` ... "
                                                       f"`{cmds[-1]}`")
        lines.append(f"- {r.tool} {r.variant}: {shown}")
    if any(len(r.commands) > 1 for r in rows):
        lines.append(f"- textlint reads every file it is given at once. With the open-file limit at {nofile:,}, "
                     "it is given batches of folders of at most half that many files, one run after another. "
                     "The times add up its runs.")
    lines += ["", "## Versions", ""] + [f"- {k}: {v}" for k, v in versions.items()]
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    sys.exit(main())
