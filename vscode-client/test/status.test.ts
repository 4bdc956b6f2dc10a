import { describe, expect, it } from "vitest";

import { statusText } from "../src/status";

describe("statusText", () => {
  it("shows the server state", () => {
    expect(statusText("starting", undefined)).toContain("sync~spin");
    expect(statusText("failed", 3)).toBe("$(error) listing-lint: not running");
    expect(statusText("stopped", undefined)).toContain("stopped");
  });
  it("counts the findings of the active listing", () => {
    expect(statusText("running", 0)).toBe("$(check) listing-lint: no findings");
    expect(statusText("running", 1)).toBe("$(warning) listing-lint: 1 finding");
    expect(statusText("running", 4)).toBe("$(warning) listing-lint: 4 findings");
    expect(statusText("running", undefined)).toBe("$(check) listing-lint");
  });
});
