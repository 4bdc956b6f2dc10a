import { describe, expect, it } from "vitest";

import { confirmation, ownBrandName, silencedCount } from "../src/ownBrand";

describe("own brand confirmation", () => {
  it("recognises only the server's own-brand quick fix", () => {
    expect(ownBrandName("Add 'Hamilton Beach' to own brands")).toBe("Hamilton Beach");
    expect(ownBrandName("Remove 'Ninja'")).toBeUndefined();
    expect(ownBrandName("Disable competitor-brand for this line")).toBeUndefined();
  });

  it("counts the competitor findings the change would silence, whatever the case", () => {
    const diags = [
      { source: "listing-lint", code: { value: "POL005" }, message: "'Ninja' is a competitor's brand." },
      { source: "listing-lint", code: "POL005", message: "'ninja' is a competitor's brand name in search terms." },
      { source: "listing-lint", code: "POL005", message: "'Anker' is a competitor's brand." },
      { source: "listing-lint", code: "POL001", message: "Web address 'ninja.com' sends buyers off Amazon." },
      { source: "cspell", code: "POL005", message: "'Ninja' unknown word" },
    ];
    expect(silencedCount("Ninja", diags)).toBe(2);
    expect(silencedCount("Yeti", diags)).toBe(0);
  });

  it("says what will no longer be caught", () => {
    const c = confirmation("Ninja", 3);
    expect(c.message).toContain("'Ninja'");
    expect(c.detail).toContain("3 findings");
    expect(c.detail).toContain("better than Ninja");
    expect(confirmation("Ninja", 1).detail).toContain("1 finding ");
  });
});
