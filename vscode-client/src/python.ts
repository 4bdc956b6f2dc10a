/**
 * Python discovery: decide which command runs the listing-lint server (and its CLI).
 *
 * Resolution order, after ruff-vscode:
 *   1. `listingLint.path`: an explicit listing-lint executable, run as `<path> server`;
 *   2. `listingLint.interpreter`: `<interpreter> -m listing_lint server`;
 *   3. the interpreter selected in the Python extension, when that extension is installed;
 *   4. `python3` on PATH (`python`, then `py -3` on Windows).
 * An interpreter must be Python 3.10+ and must import listing_lint: with `importStrategy:
 * useBundled` (the default) the extension's bundled libraries go first on sys.path; with
 * `fromEnvironment` the interpreter's own installation is used. Every Python runs isolated (`-I`),
 * through python/launch.py, so nothing is imported from the workspace folder on any version. `resolveServer` is pure apart
 * from the injected `ResolveDeps`, so the order is unit-tested without VS Code or Python.
 */

import { execFile } from "child_process";
import * as fs from "fs";
import * as path from "path";
import * as vscode from "vscode";

import type { ClientSettings } from "./settings";

export const MIN_PYTHON: readonly [number, number] = [3, 10];

export type Source = "listingLint.path" | "listingLint.interpreter" | "Python extension" | "PATH";

/** How to run listing-lint: `[...prefix, subcommand, ...args]`, with `env`. */
export interface ServerCommand {
  /** False when the interpreter was not probed (the bundled fast path): a failed start should probe. */
  probed?: boolean;
  /** Executable and leading arguments; the subcommand (`server`, `check`, ...) follows. */
  prefix: string[];
  env: Record<string, string | undefined>;
  source: Source;
  /** For logs and the status bar tooltip. */
  description: string;
}

export interface ProbeResult {
  version: [number, number, number];
  executable: string;
  listingLint?: string;
  location?: string;
  importError?: string;
}

export interface ResolveInputs {
  settings: ClientSettings;
  /** The extension's python/launch.py: runs listing_lint in isolated mode, with `--libs` for the bundle. */
  launcher: string;
  /** The Python extension's interpreter command for this workspace, if that extension is installed. */
  pythonExtension?: string[];
  /** The extension's bundled/libs folder. */
  bundledLibs: string;
  /** Compiled modules of the bundle (bundled/libs/listing_lint_bundle.json): the probe imports them. */
  compiledModules?: string[];
  env: Record<string, string | undefined>;
  platform: NodeJS.Platform;
  /**
   * Start the bundled server with `python3` from PATH without probing any interpreter (see
   * `canSkipProbe`). Probing runs a Python per candidate, seconds on a busy machine, before the
   * server itself starts; the server start reports the same problems, and then we probe to explain.
   */
  skipProbe?: boolean;
  /**
   * Interpreters that a `python3` on PATH turned out to run, learnt after an earlier start: a pyenv or
   * asdf shim is a shell script that costs most of a second per start before Python itself starts.
   */
  resolvedShims?: Record<string, string>;
}

export interface ResolveDeps {
  exists(file: string): boolean;
  which(name: string): string | undefined;
  /**
   * Run the probe script with `command` in isolated mode, with `libs` (the bundle, or none) first on
   * sys.path, importing `modules`; throw (or reject) when it cannot run.
   */
  probe(command: string[], env: Record<string, string | undefined>, modules: string[], libs?: string): Promise<ProbeResult>;
}

/**
 * `notes` explain every candidate passed over (for the log); `warnings` are the notes about an
 * explicit setting (listingLint.path or listingLint.interpreter) that could not be used, which the
 * user should see even when another candidate worked.
 */
export type Resolution =
  | { ok: true; server: ServerCommand; notes: string[]; warnings: string[] }
  | { ok: false; kind: "no-python" | "no-listing-lint"; message: string; notes: string[]; warnings: string[] };

/**
 * The probe runs in isolated mode (`-I`), as the server does, so it imports nothing from the
 * workspace folder it runs in. Its first argument is a folder to put first on sys.path (the bundle)
 * or ""; the others are compiled modules to import. It imports listing_lint and those modules
 * (cheap; the server's own start imports the LSP libraries, which takes longer).
 */
export const PROBE_SCRIPT = [
  "import importlib, json, sys",
  "r = {'version': list(sys.version_info[:3]), 'executable': sys.executable}",
  "if sys.version_info >= (3, 10):",
  "    if sys.argv[1]:",
  "        sys.path.insert(0, sys.argv[1])",
  "    try:",
  "        import listing_lint",
  "        r['listingLint'] = getattr(listing_lint, '__version__', '?')",
  "        r['location'] = listing_lint.__file__",
  "        for name in sys.argv[2:]:",
  "            importlib.import_module(name)",
  "    except Exception as e:",
  "        r['importError'] = '%s: %s' % (type(e).__name__, e)",
  "print(json.dumps(r))",
].join("\n");

/**
 * For a Python too old for `-I` (before 3.4), which then cannot run the probe: its version only.
 * It imports nothing (`sys` is built in), so the workspace folder on its sys.path is harmless.
 */
export const VERSION_SCRIPT = "import sys; print('%d %d %d' % tuple(sys.version_info[:3])); print(sys.executable)";

/**
 * Interpreter options that keep the workspace off sys.path on every supported Python: isolated
 * mode (`-I`: no working folder, no script folder, no user site-packages, PYTHON* variables ignored;
 * PYTHONSAFEPATH alone needs 3.11) and UTF-8 mode (`-X utf8`: JSON-RPC and `check` output in UTF-8
 * whatever the locale, which PYTHONIOENCODING, ignored under -I, used to ensure).
 */
export const ISOLATED = ["-I", "-X", "utf8"] as const;

/** What follows the interpreter command: `-I -X utf8 launch.py [--libs bundle]`; the subcommand comes next. */
export function launchArgs(inputs: ResolveInputs): string[] {
  const libs = inputs.settings.importStrategy === "useBundled" ? ["--libs", inputs.bundledLibs] : [];
  return [...ISOLATED, inputs.launcher, ...libs];
}

/** The environment for an interpreter: the extension host's, unchanged (isolated mode ignores PYTHON*). */
export function pythonEnv(inputs: ResolveInputs): Record<string, string | undefined> {
  return { ...inputs.env };
}

function versionText(v: readonly number[]): string {
  return v.join(".");
}

function atLeast(v: readonly number[], min: readonly number[]): boolean {
  return v[0] > min[0] || (v[0] === min[0] && v[1] >= min[1]);
}

function pathCandidates(platform: NodeJS.Platform): string[][] {
  return platform === "win32" ? [["python"], ["py", "-3"]] : [["python3"], ["python"]];
}

/**
 * Whether the bundled server can start without probing: the user asked for no particular executable
 * or interpreter, the bundle is used and present. The Python extension's choice is not consulted
 * then either (activating that extension alone costs seconds): it is for the user's code, while the
 * bundle only needs a CPython 3.10+, and `listingLint.interpreter` picks another one.
 */
export function canSkipProbe(settings: ClientSettings, bundlePresent: boolean): boolean {
  return bundlePresent && settings.importStrategy === "useBundled" && !settings.path.length && !settings.interpreter.length;
}

/** Choose the server command, in ruff-vscode's order; explain every candidate that was passed over. */
export async function resolveServer(inputs: ResolveInputs, deps: ResolveDeps): Promise<Resolution> {
  const notes: string[] = [];
  const warnings: string[] = [];
  const { settings } = inputs;

  if (inputs.skipProbe && canSkipProbe(settings, true)) {
    for (const [name, ...args] of pathCandidates(inputs.platform)) {
      const found = deps.which(name);
      if (!found) continue;
      const learnt = inputs.resolvedShims?.[found];
      const exe = learnt && deps.exists(learnt) ? learnt : found;
      return {
        ok: true,
        notes: [`${exe} on PATH runs the bundled listing-lint; not probed (the server start checks it)`],
        warnings,
        server: {
          prefix: [exe, ...args, ...launchArgs(inputs)],
          env: pythonEnv(inputs),
          source: "PATH",
          probed: false,
          description: `${exe} (bundled listing-lint; PATH${exe !== found ? `, which ${found} runs` : ""})`,
        },
      };
    }
  }

  if (settings.path.length) {
    const found = settings.path.find((p) => deps.exists(p));
    if (found) {
      return {
        ok: true,
        notes,
        warnings,
        server: { prefix: [found], env: { ...inputs.env }, source: "listingLint.path", description: found },
      };
    }
    const note = `listingLint.path: none of ${settings.path.join(", ")} exists`;
    notes.push(note);
    warnings.push(note);
  }

  const candidates: { command: string[]; source: Source }[] = [];
  if (settings.interpreter.length) candidates.push({ command: settings.interpreter, source: "listingLint.interpreter" });
  if (inputs.pythonExtension?.length) candidates.push({ command: inputs.pythonExtension, source: "Python extension" });
  for (const [name, ...args] of pathCandidates(inputs.platform)) {
    const exe = deps.which(name);
    if (exe) candidates.push({ command: [exe, ...args], source: "PATH" });
  }
  if (!candidates.length) notes.push(`no ${pathCandidates(inputs.platform).map((c) => c.join(" ")).join(" or ")} on PATH`);

  const env = pythonEnv(inputs);
  let sawPython = false;
  let importProblem: string | undefined;
  const seen = new Set<string>();
  const seenExecutables = new Set<string>();
  for (const { command, source } of candidates) {
    const key = command.join("\0");
    if (seen.has(key)) continue;
    seen.add(key);
    const label = `${command.join(" ")} (${source})`;
    const passOver = (why: string) => {
      notes.push(`${label}: ${why}`);
      if (source === "listingLint.interpreter") warnings.push(`listingLint.interpreter ${command.join(" ")}: ${why}`);
    };
    let probe: ProbeResult;
    try {
      const bundled = settings.importStrategy === "useBundled";
      probe = await deps.probe(command, env, bundled ? (inputs.compiledModules ?? []) : [], bundled ? inputs.bundledLibs : undefined);
    } catch (err) {
      passOver(`does not run: ${err instanceof Error ? err.message : String(err)}`);
      continue;
    }
    // `python3` and `python` on PATH are often the same interpreter: judge it once.
    if (probe.executable && seenExecutables.has(probe.executable)) continue;
    if (probe.executable) seenExecutables.add(probe.executable);
    if (!atLeast(probe.version, MIN_PYTHON)) {
      passOver(`Python ${versionText(probe.version)}; listing-lint needs ${versionText(MIN_PYTHON)} or newer`);
      continue;
    }
    sawPython = true;
    if (probe.importError || !probe.listingLint) {
      const why = probe.importError ?? "listing_lint not found";
      importProblem =
        settings.importStrategy === "fromEnvironment"
          ? `listing-lint is not installed for ${probe.executable} (${why}). Install it from a clone of listing-lint (\`${probe.executable} -m pip install .\` in the clone) or from a wheel you built (\`${probe.executable} -m pip install listing_lint-*.whl\`), or set listingLint.importStrategy to useBundled.`
          : `the bundled listing-lint does not import with ${probe.executable}, Python ${versionText(probe.version)} (${why}). ` +
            "The bundle serves CPython 3.10-3.14 on the platform the extension was built for: point " +
            "listingLint.interpreter at such a Python, or install listing-lint into this one (`pip install .` in a clone, " +
            "or the wheel you built) and set " +
            "listingLint.importStrategy to fromEnvironment.";
      passOver(importProblem);
      continue;
    }
    // A plain command found on PATH or given by the Python extension may be a shim (pyenv, asdf)
    // that costs a process per call: run the interpreter it resolved to.
    const exe = command.length === 1 && source !== "listingLint.interpreter" && probe.executable ? [probe.executable] : command;
    return {
      ok: true,
      notes,
      warnings,
      server: {
        prefix: [...exe, ...launchArgs(inputs)],
        env,
        source,
        description: `${probe.executable} (Python ${versionText(probe.version)}, listing-lint ${probe.listingLint}` +
          `${settings.importStrategy === "useBundled" ? ", bundled" : ", from the environment"}; ${source})`,
      },
    };
  }

  if (sawPython && importProblem) {
    return { ok: false, kind: "no-listing-lint", message: `listing-lint cannot start: ${importProblem}`, notes, warnings };
  }
  return {
    ok: false,
    kind: "no-python",
    message:
      "listing-lint needs Python 3.10 or newer and found none. Install Python 3 (python.org, or your " +
      "system's package manager, e.g. `sudo apt install python3`), or point the listingLint.interpreter " +
      "setting at one.",
    notes,
    warnings,
  };
}

// -- the real dependencies ----------------------------------------------------------------------

/** Find an executable on PATH. */
export function which(name: string, env: Record<string, string | undefined> = process.env): string | undefined {
  const dirs = (env.PATH ?? env.Path ?? "").split(path.delimiter).filter((d) => d);
  const exts = process.platform === "win32" ? (env.PATHEXT ?? ".EXE;.CMD;.BAT").split(";") : [""];
  for (const dir of dirs) {
    for (const ext of exts) {
      const file = path.join(dir, name + ext);
      try {
        fs.accessSync(file, fs.constants.X_OK);
        if (fs.statSync(file).isFile()) return file;
      } catch {
        // not here
      }
    }
  }
  return undefined;
}

/** Run a Python snippet with an interpreter command; resolve its stdout. */
function runPython(command: string[], args: string[], env: Record<string, string | undefined>, cwd?: string): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(command[0], [...command.slice(1), ...args], { env, cwd, timeout: 20_000 }, (err, stdout, stderr) => {
      if (err) reject(new Error(stderr.trim().split("\n").pop() || err.message));
      else resolve(stdout);
    });
  });
}

/**
 * Run the probe script with an interpreter command, in isolated mode. When that fails, ask for the
 * version alone: a Python too old for `-I` is then passed over with its version, not a usage error.
 */
export async function probePython(
  command: string[],
  env: Record<string, string | undefined>,
  modules: string[],
  cwd?: string,
  libs?: string,
): Promise<ProbeResult> {
  let stdout: string;
  try {
    stdout = await runPython(command, [...ISOLATED, "-c", PROBE_SCRIPT, libs ?? "", ...modules], env, cwd);
  } catch (err) {
    const old = await runPython(command, ["-c", VERSION_SCRIPT], env, cwd).catch(() => undefined);
    const [version, executable] = (old ?? "").trim().split("\n");
    const parts = (version ?? "").split(" ").map(Number);
    if (parts.length === 3 && parts.every(Number.isInteger) && !atLeast(parts, MIN_PYTHON)) {
      return { version: parts as [number, number, number], executable: executable ?? command[0] };
    }
    throw err;
  }
  try {
    return JSON.parse(stdout.trim().split("\n").pop() ?? "") as ProbeResult;
  } catch {
    throw new Error(`unexpected output: ${stdout.slice(0, 200)}`);
  }
}

/** The real machine; the probe runs in `cwd` (the workspace folder: pyenv's .python-version applies). */
export function realDeps(cwd?: string): ResolveDeps {
  return {
    exists: (file) => fs.existsSync(file),
    which: (name) => which(name),
    probe: (command, env, modules, libs) => probePython(command, env, modules, cwd, libs),
  };
}

/** Where probe results are kept between sessions (the extension's globalState). */
export interface ProbeStore {
  get<T>(key: string): T | undefined;
  update(key: string, value: unknown): Thenable<void> | Promise<void> | void;
}

const PROBE_CACHE_KEY = "listingLint.probeCache";

/**
 * Remember successful probes, keyed by the command, the modules it imported, the bundle folder and the
 * interpreter file's identity (size, modification time), so a chosen interpreter is probed once, not
 * at every start. A failed probe is not kept: installing listing-lint does not touch the interpreter.
 * `forget` drops every entry, for when a server that passed its probe then failed to start.
 */
export function cachedDeps(deps: ResolveDeps, store: ProbeStore, stat: (file: string) => string | undefined = fileIdentity):
  ResolveDeps & { forget(): Promise<void> } {
  return {
    exists: deps.exists,
    which: deps.which,
    probe: async (command, env, modules, libs) => {
      const exe = command[0].includes(path.sep) ? command[0] : deps.which(command[0]);
      const identity = exe ? stat(exe) : undefined;
      const key = identity ? JSON.stringify([command, modules, libs ?? "", identity]) : undefined;
      const cache = store.get<Record<string, ProbeResult>>(PROBE_CACHE_KEY) ?? {};
      if (key && cache[key]) return cache[key];
      const result = await deps.probe(command, env, modules, libs);
      if (key && result.listingLint && !result.importError) {
        await store.update(PROBE_CACHE_KEY, { ...cache, [key]: result });
      }
      return result;
    },
    forget: async () => {
      await store.update(PROBE_CACHE_KEY, undefined);
    },
  };
}

/** Whether a file is a script (`#!`): a version manager's shim rather than the interpreter itself. */
export function isScript(file: string): boolean {
  try {
    const fd = fs.openSync(file, "r");
    try {
      const head = Buffer.alloc(2);
      fs.readSync(fd, head, 0, 2, 0);
      return head.toString("latin1") === "#!";
    } finally {
      fs.closeSync(fd);
    }
  } catch {
    return false;
  }
}

function fileIdentity(file: string): string | undefined {
  try {
    const st = fs.statSync(fs.realpathSync(file));
    return `${fs.realpathSync(file)}:${st.size}:${st.mtimeMs}`;
  } catch {
    return undefined;
  }
}

/** The compiled modules recorded by scripts/bundle_python.py, or none. */
export function bundledCompiledModules(bundledLibs: string): string[] {
  try {
    const info = JSON.parse(fs.readFileSync(path.join(bundledLibs, "listing_lint_bundle.json"), "utf8"));
    return Array.isArray(info.modules) ? info.modules.filter((m: unknown) => typeof m === "string") : [];
  } catch {
    return [];
  }
}

// -- the Python extension (optional) ------------------------------------------------------------

const PYTHON_EXTENSION = "ms-python.python";

/* eslint-disable @typescript-eslint/no-explicit-any */
async function pythonApi(): Promise<any | undefined> {
  const ext = vscode.extensions.getExtension(PYTHON_EXTENSION);
  if (!ext) return undefined;
  return ext.isActive ? ext.exports : await ext.activate();
}

/** The interpreter selected in the Python extension, or undefined when it is not installed. */
export async function pythonExtensionInterpreter(resource?: vscode.Uri, log?: vscode.LogOutputChannel): Promise<string[] | undefined> {
  try {
    const api = await pythonApi();
    if (!api) return undefined;
    const envPath = api.environments?.getActiveEnvironmentPath?.(resource);
    if (envPath) {
      const env = await api.environments.resolveEnvironment(envPath);
      const exe: string | undefined = env?.executable?.uri?.fsPath;
      if (exe) return [exe];
    }
    const details = api.settings?.getExecutionDetails?.(resource);
    if (Array.isArray(details?.execCommand) && details.execCommand.length) return details.execCommand;
  } catch (err) {
    log?.warn(`Python extension: could not read the selected interpreter: ${String(err)}`);
  }
  return undefined;
}

/** Call `listener` when the Python extension's interpreter changes (nothing if it is not installed). */
export async function onPythonInterpreterChanged(listener: () => void): Promise<vscode.Disposable | undefined> {
  try {
    const api = await pythonApi();
    const event = api?.environments?.onDidChangeActiveEnvironmentPath ?? api?.settings?.onDidChangeExecutionDetails;
    return typeof event === "function" ? event(listener) : undefined;
  } catch {
    return undefined;
  }
}
/* eslint-enable @typescript-eslint/no-explicit-any */
