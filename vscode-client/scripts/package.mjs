// Package the extension into ../build/listing-lint-<target>-<version>.vsix with @vscode/vsce.
// The .vsix is platform-specific: bundled/libs holds compiled modules (regex, pyahocorasick)
// for CPython 3.10-3.14 of the platform it was built on.
import { execFileSync } from "node:child_process";
import { mkdirSync, readFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const here = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const { name, version } = JSON.parse(readFileSync(join(here, "package.json"), "utf8"));

function target() {
  const arch = { x64: "x64", arm64: "arm64", arm: "armhf" }[process.arch];
  if (!arch) throw new Error(`no VS Code target for ${process.platform}-${process.arch}`);
  if (process.platform === "linux") {
    const glibc = process.report?.getReport()?.header?.glibcVersionRuntime;
    return `${glibc ? "linux" : "alpine"}-${arch}`;
  }
  if (process.platform === "darwin" || process.platform === "win32") return `${process.platform}-${arch}`;
  throw new Error(`no VS Code target for ${process.platform}`);
}

const outDir = resolve(here, "..", "build");
mkdirSync(outDir, { recursive: true });
const out = join(outDir, `${name}-${target()}-${version}.vsix`);
// No repository field: the project has no public address yet, and a made-up one would be a broken link.
const vsce = join(here, "node_modules", "@vscode", "vsce", "vsce");
execFileSync(process.execPath, [vsce, "package", "--no-dependencies", "--allow-missing-repository", "--target", target(), "--out", out], {
  cwd: here,
  stdio: "inherit",
});
console.log(`packaged ${out}`);
