import { describe, expect, it } from "vitest";

import { documentSelector, includeGlobs, includePatterns, LISTING_PATTERNS } from "../src/selector";

describe("documentSelector", () => {
  it("selects listing files by pattern, never by language", () => {
    const selector = documentSelector();
    expect(selector.map((f) => f.pattern)).toEqual(LISTING_PATTERNS);
    expect(selector.every((f) => f.language === undefined && f.scheme === "file")).toBe(true);
    expect(LISTING_PATTERNS).toEqual(["**/*.listing.md", "**/*.listing.json", "**/*.jsonl", "**/*.csv", "**/*.tsv", "**/*.txt"]);
  });

  it("adds include patterns once", () => {
    const patterns = documentSelector(["**/*.txt", "**/*.csv"]).map((f) => f.pattern);
    expect(patterns.filter((p) => p === "**/*.csv")).toHaveLength(1);
    expect(patterns).toContain("**/*.txt");
  });
});

describe("includeGlobs", () => {
  it("reads a top-level include from listing-lint.toml", () => {
    const toml = 'marketplace = "amazon.com"\ninclude = ["*.listing.md", "*.txt"]  # catalogs\n[brands]\ninclude = ["no"]\n';
    expect(includeGlobs(toml, "listing-lint.toml")).toEqual(["*.listing.md", "*.txt"]);
  });

  it("reads a multi-line include with comments", () => {
    const toml = "include = [\n  '*.listing.md',  # drafts\n  \"exports/*.txt\",\n]\n";
    expect(includeGlobs(toml, "listing-lint.toml")).toEqual(["*.listing.md", "exports/*.txt"]);
  });

  it("reads [tool.listing-lint] in pyproject.toml only", () => {
    const toml = '[project]\ninclude = ["x.md"]\n[tool.listing-lint]\ninclude = ["*.txt"]\n';
    expect(includeGlobs(toml, "pyproject.toml")).toEqual(["*.txt"]);
  });

  it("returns nothing when there is no include", () => {
    expect(includeGlobs("[brands]\nown = []\n", "listing-lint.toml")).toEqual([]);
  });
});

describe("includePatterns", () => {
  it("matches file names in any folder, for formats the server reads", () => {
    expect(includePatterns(["*.txt", "exports/*.csv", "*.docx", "*.listing.md"])).toEqual(["**/*.txt", "**/*.csv", "**/*.listing.md"]);
  });
});
