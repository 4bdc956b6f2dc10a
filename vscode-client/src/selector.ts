/**
 * Which documents are listings: file-name patterns, never a language.
 *
 * The extension contributes no language, so `*.listing.md` keeps Markdown highlighting and
 * `*.listing.json` keeps JSON; the language client picks documents by glob pattern instead. A
 * config file's `include` globs (matched against file names, as the server does) add patterns.
 * Pure functions: unit-tested without VS Code.
 */

/**
 * Files sent to the server: what `listing-lint check` lints by default (config DEFAULT_INCLUDE),
 * `.txt` included for Amazon's All Listings Report. The server still decides per file with the
 * config's `include`, and a `.txt` that holds no listing columns gets no diagnostics.
 */
export const LISTING_PATTERNS = ["**/*.listing.md", "**/*.listing.json", "**/*.jsonl", "**/*.csv", "**/*.tsv", "**/*.txt"];

/** File endings the server can read (extract `detect_format`); an include glob must end in one. */
const READABLE = [".md", ".markdown", ".json", ".jsonl", ".csv", ".tsv", ".txt"];

/** Config files whose `include` adds patterns, in the server's search order. */
export const CONFIG_FILES = ["listing-lint.toml", ".listing-lint.toml", "pyproject.toml"];

export interface PatternFilter {
  scheme?: string;
  language?: string;
  pattern: string;
}

/**
 * Read `include = [...]` from a listing-lint.toml (top level) or pyproject.toml (`[tool.listing-lint]`).
 * A small reader for one key: enough for a list of strings, and it never throws.
 */
export function includeGlobs(tomlText: string, fileName: string): string[] {
  const wantTable = fileName === "pyproject.toml" ? "tool.listing-lint" : "";
  let table = "";
  const lines = tomlText.split(/\r?\n/);
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i].replace(/^\s+/, "");
    const header = /^\[\s*([^\]]+?)\s*\]\s*(#.*)?$/.exec(line);
    if (header && !line.startsWith("[[")) {
      table = header[1].replace(/\s+/g, "").replace(/"/g, "");
      continue;
    }
    if (table !== wantTable) continue;
    const m = /^include\s*=\s*(\[.*)$/.exec(line);
    if (!m) continue;
    let value = m[1].replace(/#[^"']*$/, "");
    while (!/\]\s*(#.*)?$/.test(value.replace(/"[^"]*"|'[^']*'/g, "")) && i + 1 < lines.length) {
      value += " " + lines[++i].replace(/#[^"']*$/, "").trim();
    }
    const globs: string[] = [];
    const re = /"((?:[^"\\]|\\.)*)"|'([^']*)'/g;
    const list = value.replace(/#[^"'\]]*$/, "");
    let s: RegExpExecArray | null;
    while ((s = re.exec(list))) globs.push((s[1] ?? s[2]).replace(/\\(["\\])/g, "$1"));
    return globs;
  }
  return [];
}

/**
 * Turn include globs into document-selector patterns. The server matches a glob against the file
 * name only (fnmatch), so a glob matches in any folder here too; the server still decides per file.
 */
export function includePatterns(globs: string[]): string[] {
  const out: string[] = [];
  for (const glob of globs) {
    const name = glob.split("/").pop() ?? glob;
    const lower = name.toLowerCase();
    if (!name || !READABLE.some((ext) => lower.endsWith(ext))) continue;
    out.push(`**/${name}`);
  }
  return [...new Set(out)];
}

/** The document selector: listing patterns plus any include patterns, for files on disk. */
export function documentSelector(extraPatterns: string[] = []): PatternFilter[] {
  const patterns = [...new Set([...LISTING_PATTERNS, ...extraPatterns])];
  return patterns.map((pattern) => ({ scheme: "file", pattern }));
}
