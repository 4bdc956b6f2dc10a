import { describe, expect, it } from "vitest";

import { ConfigurationLike, needsRestart, resolvePath, substitute, toClientSettings, toInitializationOptions } from "../src/settings";

/** A configuration like VS Code's: dotted keys, defaults from package.json where not set. */
function config(values: Record<string, unknown>): ConfigurationLike {
  const defaults: Record<string, unknown> = {
    enable: true, ownBrands: [], competitors: [], competitorsFiles: [], select: [], ignore: [], severity: {},
    marketplace: "", fieldLengths: true, maxDocumentSize: 2000000, path: [], interpreter: [],
    importStrategy: "useBundled", "trace.server": "off",
  };
  return { get: <T>(key: string) => (key in values ? values[key] : defaults[key]) as T };
}

const ctx = { workspaceFolder: "/ws", home: "/home/me", env: { VENV: "/venvs/a" } };

describe("toInitializationOptions", () => {
  it("sends only enable and the server's own defaults when nothing is set", () => {
    const { value, problems } = toInitializationOptions(config({}), ctx);
    expect(value).toEqual({ enable: true, fieldLengths: true, maxDocumentSize: 2000000 });
    expect(problems).toEqual([]);
  });

  it("maps every listingLint setting to its camelCase option", () => {
    const { value } = toInitializationOptions(config({
      enable: false,
      ownBrands: ["Vantora"],
      competitors: ["Anker", " Yeti "],
      competitorsFiles: ["brands.txt", "${workspaceFolder}/more.txt", "/abs/list.txt", "~/c.txt"],
      select: ["policy"],
      ignore: ["long-bullet", ""],
      severity: { "sales-claim": "warning", POL001: "Info" },
      marketplace: " amazon.de ",
      fieldLengths: false,
      maxDocumentSize: 1000,
    }), ctx);
    expect(value).toEqual({
      enable: false,
      ownBrands: ["Vantora"],
      competitors: ["Anker", "Yeti"],
      competitorsFiles: ["/ws/brands.txt", "/ws/more.txt", "/abs/list.txt", "/home/me/c.txt"],
      select: ["policy"],
      ignore: ["long-bullet"],
      severity: { "sales-claim": "warning", POL001: "info" },
      marketplace: "amazon.de",
      fieldLengths: false,
      maxDocumentSize: 1000,
    });
  });

  it("leaves empty lists out so the config file keeps the say", () => {
    const { value } = toInitializationOptions(config({ select: [], competitors: [""] }), ctx);
    expect(value).not.toHaveProperty("select");
    expect(value).not.toHaveProperty("competitors");
  });

  it("drops an unknown severity level and says so, keeping the rest", () => {
    const { value, problems } = toInitializationOptions(config({ severity: { a: "fatal", b: "hint", c: 3 } }), ctx);
    expect(value.severity).toEqual({ b: "hint" });
    expect(problems).toHaveLength(2);
    expect(problems[0]).toContain("listingLint.severity.a");
  });

  it("ignores values of the wrong type", () => {
    const { value } = toInitializationOptions(config({ ownBrands: "Vantora", maxDocumentSize: -5, severity: ["x"] }), ctx);
    expect(value.ownBrands).toEqual(["Vantora"]);
    expect(value).not.toHaveProperty("severity");
    expect(value).not.toHaveProperty("maxDocumentSize");
  });
});

describe("toClientSettings", () => {
  it("defaults to the bundled libraries and no explicit paths", () => {
    expect(toClientSettings(config({}), ctx)).toEqual({ path: [], interpreter: [], importStrategy: "useBundled", trace: "off" });
  });

  it("substitutes variables in path and interpreter", () => {
    const s = toClientSettings(config({
      path: ["${workspaceFolder}/.venv/bin/listing-lint"],
      interpreter: ["${env:VENV}/bin/python"],
      importStrategy: "fromEnvironment",
      "trace.server": "verbose",
    }), ctx);
    expect(s).toEqual({
      path: ["/ws/.venv/bin/listing-lint"],
      interpreter: ["/venvs/a/bin/python"],
      importStrategy: "fromEnvironment",
      trace: "verbose",
    });
  });

  it("accepts a single string for path and interpreter", () => {
    expect(toClientSettings(config({ interpreter: "./.venv/bin/python" }), ctx).interpreter).toEqual(["/ws/.venv/bin/python"]);
  });

  it("falls back to useBundled for an unknown import strategy", () => {
    expect(toClientSettings(config({ importStrategy: "sometimes" }), ctx).importStrategy).toBe("useBundled");
  });
});

describe("paths", () => {
  it("keeps a bare command name (looked up on PATH)", () => {
    expect(resolvePath("python3", ctx)).toBe("python3");
  });
  it("expands ~ and ${userHome}", () => {
    expect(substitute("~/x", ctx)).toBe("/home/me/x");
    expect(substitute("${userHome}/x", ctx)).toBe("/home/me/x");
  });
  it("leaves ${workspaceFolder} when there is no folder", () => {
    expect(substitute("${workspaceFolder}/x", {})).toBe("${workspaceFolder}/x");
  });
});

describe("needsRestart", () => {
  const affects = (changed: string[]) => (section: string) => changed.some((c) => c === section || c.startsWith(section + "."));
  it("restarts for start-up settings", () => {
    expect(needsRestart(affects(["listingLint.interpreter"]))).toBe(true);
    expect(needsRestart(affects(["listingLint.path"]))).toBe(true);
    expect(needsRestart(affects(["listingLint.importStrategy"]))).toBe(true);
    expect(needsRestart(affects(["listingLint.trace.server"]))).toBe(true);
  });
  it("only reconfigures for lint settings", () => {
    expect(needsRestart(affects(["listingLint.competitors"]))).toBe(false);
    expect(needsRestart(affects(["listingLint.severity"]))).toBe(false);
  });
});
