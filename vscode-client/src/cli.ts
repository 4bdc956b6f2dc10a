/**
 * The listing-lint command line, run with the resolved interpreter: `check --format json` for
 * Lint Workspace, `rules --format json` and `explain` for the rule documentation.
 *
 * `findingsToDiagnostics` is pure (plain data in, plain data out) so it is unit-tested without
 * VS Code; the command layer turns its output into `vscode.Diagnostic`s.
 */

import { spawn } from "child_process";

import type { ServerCommand } from "./python";
import type { InitializationOptions } from "./settings";

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Run `listing-lint <args>`; resolves with the exit code (1 from `check` means findings, not failure). */
export function runCli(
  server: ServerCommand,
  args: string[],
  options: { cwd?: string; signal?: AbortSignal } = {},
): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const [command, ...prefix] = server.prefix;
    const child = spawn(command, [...prefix, ...args], {
      cwd: options.cwd,
      env: server.env as NodeJS.ProcessEnv,
      signal: options.signal,
      stdio: ["ignore", "pipe", "pipe"],
    });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on("data", (b: Buffer) => out.push(b));
    child.stderr.on("data", (b: Buffer) => err.push(b));
    child.on("error", reject);
    child.on("close", (code) =>
      resolve({ code, stdout: Buffer.concat(out).toString("utf8"), stderr: Buffer.concat(err).toString("utf8") }),
    );
  });
}

/** The editor settings that change what `check` finds (the rest only change how the editor shows it). */
const LINT_SETTINGS = ["ownBrands", "competitors", "competitorsFiles", "select", "ignore", "severity", "marketplace"] as const;

/**
 * The `check` options that carry the editor settings: `--editor-settings JSON`, which the command line
 * lays over each config with the language server's own code, so Lint Workspace finds what the open
 * documents show (own brands, competitors and their files, select, ignore, severity, marketplace).
 */
export function checkArguments(options: InitializationOptions): string[] {
  const settings: Record<string, unknown> = {};
  for (const key of LINT_SETTINGS) {
    const value = options[key];
    const empty = value === undefined || value === "" || (Array.isArray(value) ? !value.length : typeof value === "object" && !Object.keys(value).length);
    if (!empty) settings[key] = value;
  }
  return Object.keys(settings).length ? ["--editor-settings", JSON.stringify(settings)] : [];
}

/** One finding of `check --format json` (schema version 1, README "Output formats"). */
export interface Finding {
  filename: string;
  sku?: string | null;
  field?: string | null;
  code: string;
  rule: string;
  severity: "error" | "warning" | "info" | "hint";
  message: string;
  url?: string | null;
  location: { row: number; column: number };
  end_location: { row: number; column: number };
  fix?: { message: string; applicability: string } | null;
}

/** A diagnostic as plain data: 0-based lines, UTF-16 columns (what VS Code counts). */
export interface PlainDiagnostic {
  file: string;
  range: { start: { line: number; character: number }; end: { line: number; character: number } };
  severity: Finding["severity"];
  message: string;
  code: string;
  rule: string;
  url?: string;
}

/** Convert a 1-based code-point column on a line to a 0-based UTF-16 column. */
export function utf16Column(line: string | undefined, codePointColumn: number): number {
  if (line === undefined) return Math.max(0, codePointColumn - 1);
  let utf16 = 0;
  let points = 0;
  for (const ch of line) {
    if (points >= codePointColumn - 1) break;
    utf16 += ch.length;
    points += 1;
  }
  return utf16 + Math.max(0, codePointColumn - 1 - points);
}

/** Parse `check --format json` output and convert its findings; `readLines` gives a file's lines. */
export function findingsToDiagnostics(json: string, readLines: (file: string) => string[] | undefined): PlainDiagnostic[] {
  const findings = JSON.parse(json) as Finding[];
  if (!Array.isArray(findings)) throw new Error("listing-lint check --format json did not print an array");
  const cache = new Map<string, string[] | undefined>();
  const lines = (file: string) => {
    if (!cache.has(file)) cache.set(file, readLines(file));
    return cache.get(file);
  };
  return findings.map((f) => {
    const text = lines(f.filename);
    const start = { line: f.location.row - 1, character: utf16Column(text?.[f.location.row - 1], f.location.column) };
    const end = { line: f.end_location.row - 1, character: utf16Column(text?.[f.end_location.row - 1], f.end_location.column) };
    const where = [f.sku ? `[${f.sku}]` : "", f.field ?? ""].filter((s) => s).join(" ");
    return {
      file: f.filename,
      range: { start, end },
      severity: f.severity,
      message: where ? `${f.message} (${where})` : f.message,
      code: f.code,
      rule: f.rule,
      url: f.url ?? undefined,
    };
  });
}

/** One rule of `rules --format json`. */
export interface RuleInfo {
  code: string;
  rule: string;
  pack: string;
  severity: string;
  status: string;
  fix: string | null;
  message: string;
  url?: string | null;
}
