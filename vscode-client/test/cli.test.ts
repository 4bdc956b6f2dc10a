import { describe, expect, it } from "vitest";

import { checkArguments, findingsToDiagnostics, utf16Column } from "../src/cli";

describe("utf16Column", () => {
  it("converts 1-based code points to 0-based UTF-16 units", () => {
    expect(utf16Column("abc", 1)).toBe(0);
    expect(utf16Column("abc", 3)).toBe(2);
    // "😀" is one code point and two UTF-16 units.
    expect(utf16Column("😀 www.x.com", 3)).toBe(3);
  });
  it("counts past the end of a line (an exclusive end)", () => {
    expect(utf16Column("ab", 3)).toBe(2);
    expect(utf16Column("ab", 5)).toBe(4);
  });
  it("falls back to the column when the file cannot be read", () => {
    expect(utf16Column(undefined, 4)).toBe(3);
  });
});

describe("findingsToDiagnostics", () => {
  const finding = {
    filename: "/ws/a.listing.md",
    sku: "VT-1",
    field: "bullet 2",
    code: "POL001",
    rule: "external-url",
    severity: "error",
    message: "Web address 'www.vantora.com' sends buyers off Amazon.",
    url: "https://sellercentral.amazon.com/help/hub/reference/external/200386250",
    location: { row: 2, column: 5 },
    end_location: { row: 2, column: 19 },
    fix: null,
  };

  it("converts rows and code-point columns, and names the SKU and field", () => {
    const [d] = findingsToDiagnostics(JSON.stringify([finding]), () => ["# Title", "😀 - www.vantora.com"]);
    expect(d.range).toEqual({ start: { line: 1, character: 5 }, end: { line: 1, character: 19 } });
    expect(d.message).toBe("Web address 'www.vantora.com' sends buyers off Amazon. ([VT-1] bullet 2)");
    expect(d.code).toBe("POL001");
    expect(d.url).toContain("sellercentral");
  });

  it("reads each file once", () => {
    let reads = 0;
    findingsToDiagnostics(JSON.stringify([finding, finding]), () => {
      reads += 1;
      return [];
    });
    expect(reads).toBe(1);
  });

  it("rejects output that is not an array", () => {
    expect(() => findingsToDiagnostics("{}", () => [])).toThrow(/array/);
  });
});

describe("checkArguments", () => {
  it("passes every setting that changes findings as --editor-settings JSON", () => {
    const args = checkArguments({
      enable: true, select: ["policy", "STY"], ignore: ["long-bullet"], marketplace: "amazon.de", competitors: ["X"],
      ownBrands: ["Vantora"], competitorsFiles: ["/w/rivals.txt"], severity: { "sales-claim": "warning" },
      fieldLengths: false, maxDocumentSize: 10,
    });
    expect(args[0]).toBe("--editor-settings");
    expect(JSON.parse(args[1])).toEqual({
      select: ["policy", "STY"], ignore: ["long-bullet"], marketplace: "amazon.de", competitors: ["X"],
      ownBrands: ["Vantora"], competitorsFiles: ["/w/rivals.txt"], severity: { "sales-claim": "warning" },
    });
    expect(args).toHaveLength(2);
  });
  it("passes nothing when no setting changes findings", () => {
    expect(checkArguments({ enable: true })).toEqual([]);
    expect(checkArguments({ enable: true, ownBrands: [], severity: {}, marketplace: "", fieldLengths: true })).toEqual([]);
  });
});
