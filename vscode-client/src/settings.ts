/**
 * Settings: map the `listingLint.*` configuration to the typed options the server reads.
 *
 * `InitializationOptions` mirrors `Settings` in server/listing_lint/lsp/options.py (camelCase on the
 * wire, snake_case in Python; cattrs renames them there). The same object is sent as
 * `initializationOptions` and as the answer to `workspace/configuration` for the `listingLint`
 * section. Client-only settings (path, interpreter, importStrategy, trace) live in `ClientSettings`.
 * Everything here is pure: it takes plain values, so it is unit-tested without VS Code.
 */

import * as os from "os";
import * as path from "path";

export type Level = "error" | "warning" | "info" | "hint";
export const LEVELS: readonly Level[] = ["error", "warning", "info", "hint"];

export type ImportStrategy = "useBundled" | "fromEnvironment";

/** What the server accepts; keys absent here keep the config file's value. */
export interface InitializationOptions {
  enable: boolean;
  ownBrands?: string[];
  competitors?: string[];
  competitorsFiles?: string[];
  select?: string[];
  ignore?: string[];
  severity?: Record<string, Level>;
  marketplace?: string;
  maxDocumentSize?: number;
  fieldLengths?: boolean;
}

/** Settings that only the client uses: how to start the server. */
export interface ClientSettings {
  path: string[];
  interpreter: string[];
  importStrategy: ImportStrategy;
  trace: "off" | "messages" | "verbose";
}

/** The subset of `vscode.WorkspaceConfiguration` this module reads. */
export interface ConfigurationLike {
  get<T>(section: string): T | undefined;
}

/** Where `${...}` variables and relative paths point. */
export interface PathContext {
  workspaceFolder?: string;
  home?: string;
  env?: Record<string, string | undefined>;
}

/** Keys of InitializationOptions: changing one of them reconfigures the server without a restart. */
export const SERVER_KEYS = [
  "enable", "ownBrands", "competitors", "competitorsFiles", "select", "ignore", "severity",
  "marketplace", "maxDocumentSize", "fieldLengths",
] as const;

/** Keys whose change needs a new server process. */
export const RESTART_KEYS = ["path", "interpreter", "importStrategy", "trace.server"] as const;

/** Substitute `${workspaceFolder}`, `${userHome}`, `${env:NAME}` and a leading `~`. */
export function substitute(value: string, ctx: PathContext): string {
  const home = ctx.home ?? os.homedir();
  let out = value.replace(/\$\{(workspaceFolder|userHome|env:([A-Za-z_][A-Za-z0-9_]*))\}/g, (whole, name, envName) => {
    if (name === "workspaceFolder") return ctx.workspaceFolder ?? whole;
    if (name === "userHome") return home;
    return (ctx.env ?? process.env)[envName] ?? "";
  });
  if (out === "~" || out.startsWith("~/") || out.startsWith("~\\")) out = home + out.slice(1);
  return out;
}

/** Substitute variables and make a relative path absolute against the workspace folder. */
export function resolvePath(value: string, ctx: PathContext): string {
  const out = substitute(value, ctx);
  if (ctx.workspaceFolder && !path.isAbsolute(out) && (out.includes("/") || out.includes("\\") || out.startsWith("."))) {
    return path.resolve(ctx.workspaceFolder, out);
  }
  return out;
}

function stringList(value: unknown): string[] {
  if (typeof value === "string") return value.trim() ? [value.trim()] : [];
  if (!Array.isArray(value)) return [];
  return value.filter((v): v is string => typeof v === "string").map((v) => v.trim()).filter((v) => v !== "");
}

/** A list setting: absent when empty, so the config file keeps the say. */
function optionalList(value: unknown): string[] | undefined {
  const list = stringList(value);
  return list.length ? list : undefined;
}

/** Result of mapping: the options plus what was dropped and why (shown in the log). */
export interface Mapped<T> {
  value: T;
  problems: string[];
}

/** Map `listingLint.*` configuration to the server's options. */
export function toInitializationOptions(config: ConfigurationLike, ctx: PathContext = {}): Mapped<InitializationOptions> {
  const problems: string[] = [];
  const options: InitializationOptions = { enable: config.get<boolean>("enable") !== false };
  const lists = ["ownBrands", "competitors", "select", "ignore"] as const;
  for (const key of lists) {
    const list = optionalList(config.get(key));
    if (list) options[key] = list;
  }
  const files = optionalList(config.get("competitorsFiles"));
  if (files) {
    // The server reads these relative to its own working folder; send absolute paths.
    const absolute = files.map((f) => {
      const p = resolvePath(f, ctx);
      return ctx.workspaceFolder && !path.isAbsolute(p) ? path.resolve(ctx.workspaceFolder, p) : p;
    });
    options.competitorsFiles = absolute;
  }
  const severity = config.get<unknown>("severity");
  if (severity && typeof severity === "object" && !Array.isArray(severity)) {
    const levels: Record<string, Level> = {};
    for (const [rule, level] of Object.entries(severity as Record<string, unknown>)) {
      const normal = typeof level === "string" ? level.trim().toLowerCase() : "";
      const mapped = normal === "information" ? "info" : normal;
      if ((LEVELS as readonly string[]).includes(mapped)) {
        levels[rule] = mapped as Level;
      } else {
        problems.push(`listingLint.severity.${rule}: '${String(level)}' is not one of ${LEVELS.join(", ")}; ignored`);
      }
    }
    if (Object.keys(levels).length) options.severity = levels;
  }
  const marketplace = config.get<string>("marketplace");
  if (typeof marketplace === "string" && marketplace.trim()) options.marketplace = marketplace.trim();
  const maxSize = config.get<number>("maxDocumentSize");
  if (typeof maxSize === "number" && Number.isInteger(maxSize) && maxSize > 0) options.maxDocumentSize = maxSize;
  const fieldLengths = config.get<boolean>("fieldLengths");
  if (typeof fieldLengths === "boolean") options.fieldLengths = fieldLengths;
  return { value: options, problems };
}

/** Read the client-only settings (how to start the server). */
export function toClientSettings(config: ConfigurationLike, ctx: PathContext = {}): ClientSettings {
  const strategy = config.get<string>("importStrategy");
  const trace = config.get<string>("trace.server");
  return {
    path: stringList(config.get("path")).map((p) => resolvePath(p, ctx)),
    interpreter: stringList(config.get("interpreter")).map((p) => resolvePath(p, ctx)),
    importStrategy: strategy === "fromEnvironment" ? "fromEnvironment" : "useBundled",
    trace: trace === "messages" || trace === "verbose" ? trace : "off",
  };
}

/** Whether a configuration change needs a new server process (else the server is reconfigured). */
export function needsRestart(affects: (section: string) => boolean): boolean {
  return RESTART_KEYS.some((key) => affects(`listingLint.${key}`));
}
