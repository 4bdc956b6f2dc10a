// package.json and .vscodeignore: what VS Code reads before any of our code runs.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";

import { RESTART_KEYS } from "../src/settings";

const read = (name: string) => readFileSync(join(__dirname, "..", name), "utf8");
const manifest = JSON.parse(read("package.json"));
const properties: Record<string, { scope?: string }> = manifest.contributes.configuration.properties;

describe("untrusted workspaces", () => {
  const untrusted = manifest.capabilities?.untrustedWorkspaces;

  it("declares limited support, so the extension runs in Restricted Mode", () => {
    expect(untrusted?.supported).toBe("limited");
    expect(untrusted?.description).toMatch(/untrusted workspace/);
  });

  it("takes no setting that picks what runs from an untrusted workspace", () => {
    // Each names an executable, an interpreter, or which listing-lint an interpreter imports.
    expect(untrusted.restrictedConfigurations).toEqual(
      expect.arrayContaining(["listingLint.path", "listingLint.interpreter", "listingLint.importStrategy"]),
    );
    for (const key of untrusted.restrictedConfigurations) expect(properties).toHaveProperty([key]);
    // Every setting that restarts the server with another command is restricted (trace only logs).
    for (const key of RESTART_KEYS.filter((k) => k !== "trace.server")) {
      expect(untrusted.restrictedConfigurations).toContain(`listingLint.${key}`);
    }
  });

  it("reads listingLint.path and listingLint.interpreter from user or remote settings only, never a workspace", () => {
    // `machine`, not `machine-overridable`: a cloned repository's .vscode/settings.json cannot set them.
    expect(properties["listingLint.path"].scope).toBe("machine");
    expect(properties["listingLint.interpreter"].scope).toBe("machine");
  });
});

describe("packaging", () => {
  it("ships the isolated-mode launcher in the .vsix", () => {
    expect(read(".vscodeignore").split("\n")).toContain("!python/launch.py");
  });
});
