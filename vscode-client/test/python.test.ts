import { describe, expect, it } from "vitest";

import { cachedDeps, canSkipProbe, ProbeResult, ResolveDeps, ResolveInputs, resolveServer } from "../src/python";
import type { ClientSettings } from "../src/settings";

const ok = (executable: string, version: [number, number, number] = [3, 11, 7]): ProbeResult => ({
  version, executable, listingLint: "0.1.0", location: "/bundle/listing_lint/__init__.py",
});

/** Fake machine: which files exist, what is on PATH, what each interpreter command answers. */
function deps(opts: {
  files?: string[];
  onPath?: Record<string, string>;
  pythons?: Record<string, ProbeResult | Error>;
  probed?: string[][];
}): ResolveDeps {
  return {
    exists: (f) => (opts.files ?? []).includes(f),
    which: (name) => opts.onPath?.[name],
    probe: async (command, env, modules, libs) => {
      opts.probed?.push([...command, `libs=${libs ?? ""}`, ...modules]);
      const answer = opts.pythons?.[command.join(" ")];
      if (answer === undefined) throw new Error("ENOENT");
      if (answer instanceof Error) throw answer;
      return answer;
    },
  };
}

function inputs(settings: Partial<ClientSettings> = {}, extra: Partial<ResolveInputs> = {}): ResolveInputs {
  return {
    settings: { path: [], interpreter: [], importStrategy: "useBundled", trace: "off", ...settings },
    launcher: "/ext/python/launch.py",
    bundledLibs: "/ext/bundled/libs",
    env: { PATH: "/usr/bin", PYTHONPATH: "/mine" },
    platform: "linux",
    ...extra,
  };
}

describe("resolveServer order", () => {
  it("1. runs listingLint.path as `<path> server`, before any interpreter", async () => {
    const r = await resolveServer(
      inputs({ path: ["/missing/listing-lint", "/venv/bin/listing-lint"], interpreter: ["/py"] }),
      deps({ files: ["/venv/bin/listing-lint"], pythons: { "/py": ok("/py") } }),
    );
    expect(r.ok && r.server.prefix).toEqual(["/venv/bin/listing-lint"]);
    expect(r.ok && r.server.source).toBe("listingLint.path");
    // An explicit executable brings its own environment: no bundled libraries.
    expect(r.ok && r.server.env.PYTHONPATH).toBe("/mine");
  });

  it("2. a missing listingLint.path falls through to listingLint.interpreter, with a note", async () => {
    const r = await resolveServer(
      inputs({ path: ["/missing"], interpreter: ["/opt/py/bin/python3"] }),
      deps({ pythons: { "/opt/py/bin/python3": ok("/opt/py/bin/python3") }, onPath: { python3: "/usr/bin/python3" } }),
    );
    expect(r.ok && r.server.prefix).toEqual(["/opt/py/bin/python3", "-I", "-X", "utf8", "/ext/python/launch.py", "--libs", "/ext/bundled/libs"]);
    expect(r.ok && r.server.source).toBe("listingLint.interpreter");
    expect(r.notes[0]).toContain("listingLint.path");
    expect(r.warnings[0]).toContain("listingLint.path: none of /missing exists");
  });

  it("3. the Python extension's interpreter comes before PATH", async () => {
    const r = await resolveServer(
      inputs({}, { pythonExtension: ["/ws/.venv/bin/python"] }),
      deps({
        onPath: { python3: "/usr/bin/python3" },
        pythons: { "/ws/.venv/bin/python": ok("/ws/.venv/bin/python"), "/usr/bin/python3": ok("/usr/bin/python3") },
      }),
    );
    expect(r.ok && r.server.source).toBe("Python extension");
    expect(r.ok && r.server.prefix[0]).toBe("/ws/.venv/bin/python");
  });

  it("4. python3 on PATH last", async () => {
    const r = await resolveServer(inputs(), deps({ onPath: { python3: "/usr/bin/python3" }, pythons: { "/usr/bin/python3": ok("/usr/bin/python3") } }));
    expect(r.ok && r.server.source).toBe("PATH");
    expect(r.ok && r.server.prefix).toEqual(["/usr/bin/python3", "-I", "-X", "utf8", "/ext/python/launch.py", "--libs", "/ext/bundled/libs"]);
  });

  it("runs the interpreter a PATH shim resolved to, but keeps an explicit interpreter as given", async () => {
    const shim = await resolveServer(
      inputs(),
      deps({ onPath: { python3: "/pyenv/shims/python3" }, pythons: { "/pyenv/shims/python3": ok("/pyenv/versions/3.12.1/bin/python3") } }),
    );
    expect(shim.ok && shim.server.prefix[0]).toBe("/pyenv/versions/3.12.1/bin/python3");
    const explicit = await resolveServer(
      inputs({ interpreter: ["/pyenv/shims/python3"] }),
      deps({ pythons: { "/pyenv/shims/python3": ok("/pyenv/versions/3.12.1/bin/python3") } }),
    );
    expect(explicit.ok && explicit.server.prefix[0]).toBe("/pyenv/shims/python3");
  });

  it("passes over a Python older than 3.10 and says why", async () => {
    const r = await resolveServer(
      inputs({ interpreter: ["/old/python"] }),
      deps({ onPath: { python3: "/usr/bin/python3" }, pythons: { "/old/python": ok("/old/python", [3, 8, 18]), "/usr/bin/python3": ok("/usr/bin/python3") } }),
    );
    expect(r.ok && r.server.prefix[0]).toBe("/usr/bin/python3");
    expect(r.notes.join("\n")).toContain("Python 3.8.18; listing-lint needs 3.10 or newer");
    // An explicit setting that could not be used is shown to the user, not only logged.
    expect(r.warnings).toEqual(["listingLint.interpreter /old/python: Python 3.8.18; listing-lint needs 3.10 or newer"]);
  });

  it("passes over an interpreter that does not run", async () => {
    const r = await resolveServer(
      inputs({}, { pythonExtension: ["/gone/python"] }),
      deps({ onPath: { python3: "/usr/bin/python3" }, pythons: { "/usr/bin/python3": ok("/usr/bin/python3") } }),
    );
    expect(r.ok && r.server.source).toBe("PATH");
    expect(r.notes[0]).toContain("does not run");
    expect(r.warnings).toEqual([]);
  });

  it("tries each command once even when two sources name it", async () => {
    const probed: string[][] = [];
    await resolveServer(
      inputs({ interpreter: ["/usr/bin/python3"] }, { pythonExtension: ["/usr/bin/python3"] }),
      deps({ onPath: { python3: "/usr/bin/python3" }, pythons: {}, probed }),
    );
    expect(probed).toHaveLength(1);
  });

  it("judges python3 and python on PATH once when they are the same interpreter", async () => {
    const r = await resolveServer(
      inputs(),
      deps({ onPath: { python3: "/shims/python3", python: "/shims/python" }, pythons: {
        "/shims/python3": ok("/usr/bin/python3.9", [3, 9, 2]), "/shims/python": ok("/usr/bin/python3.9", [3, 9, 2]) } }),
    );
    expect(r.notes).toHaveLength(1);
  });

  it("uses `python` and `py -3` on Windows", async () => {
    const r = await resolveServer(
      inputs({}, { platform: "win32" }),
      deps({ onPath: { py: "C:\\Windows\\py.exe" }, pythons: { "C:\\Windows\\py.exe -3": ok("C:\\Python312\\python.exe") } }),
    );
    expect(r.ok && r.server.prefix).toEqual(["C:\\Windows\\py.exe", "-3", "-I", "-X", "utf8", "/ext/python/launch.py", "--libs", "/ext/bundled/libs"]);
  });

  it("never lets Python import modules from the workspace folder: isolated mode on every version", async () => {
    for (const settings of [{}, { interpreter: ["/opt/py/bin/python3"] }, { importStrategy: "fromEnvironment" as const }]) {
      for (const skipProbe of [false, true]) {
        const r = await resolveServer(
          inputs(settings, { skipProbe }),
          deps({ onPath: { python3: "/usr/bin/python3" }, pythons: { "/opt/py/bin/python3": ok("/opt/py/bin/python3"), "/usr/bin/python3": ok("/usr/bin/python3") } }),
        );
        // -I, not PYTHONSAFEPATH (3.11+ only): no working folder, no script folder, no PYTHON* variables.
        expect(r.ok && r.server.prefix.slice(1, 5)).toEqual(["-I", "-X", "utf8", "/ext/python/launch.py"]);
      }
    }
  });
});

describe("import strategy", () => {
  it("useBundled gives the launcher the bundled libraries and probes its compiled modules", async () => {
    const probed: string[][] = [];
    const r = await resolveServer(inputs({}, { compiledModules: ["regex._regex", "ahocorasick"] }), deps({ onPath: { python3: "/usr/bin/python3" }, pythons: { "/usr/bin/python3": ok("/usr/bin/python3") }, probed }));
    expect(r.ok && r.server.prefix.slice(-2)).toEqual(["--libs", "/ext/bundled/libs"]);
    expect(probed[0]).toEqual(["/usr/bin/python3", "libs=/ext/bundled/libs", "regex._regex", "ahocorasick"]);
  });

  it("fromEnvironment runs the interpreter's own listing-lint, without the bundle", async () => {
    const probed: string[][] = [];
    const r = await resolveServer(
      inputs({ importStrategy: "fromEnvironment" }, { compiledModules: ["regex._regex"] }),
      deps({ onPath: { python3: "/usr/bin/python3" }, pythons: { "/usr/bin/python3": ok("/usr/bin/python3") }, probed }),
    );
    expect(probed[0]).toEqual(["/usr/bin/python3", "libs="]);
    expect(r.ok && r.server.prefix).toEqual(["/usr/bin/python3", "-I", "-X", "utf8", "/ext/python/launch.py"]);
    expect(r.ok && r.server.description).toContain("from the environment");
  });

  it("a bundle that does not import with this Python (no wheel for it) is explained", async () => {
    const r = await resolveServer(
      inputs(),
      deps({ onPath: { python3: "/usr/bin/python3" }, pythons: { "/usr/bin/python3": { version: [3, 15, 0], executable: "/usr/bin/python3", listingLint: "0.1.0", importError: "ModuleNotFoundError: No module named 'regex._regex'" } } }),
    );
    expect(!r.ok && r.kind).toBe("no-listing-lint");
    expect(!r.ok && r.message).toContain("the bundled listing-lint does not import with /usr/bin/python3, Python 3.15.0");
  });

  it("fromEnvironment without listing-lint installed says how to install it", async () => {
    const r = await resolveServer(
      inputs({ importStrategy: "fromEnvironment" }),
      deps({ onPath: { python3: "/usr/bin/python3" }, pythons: { "/usr/bin/python3": { version: [3, 11, 2], executable: "/usr/bin/python3", importError: "ModuleNotFoundError: No module named 'listing_lint'" } } }),
    );
    expect(r.ok).toBe(false);
    expect(!r.ok && r.kind).toBe("no-listing-lint");
    expect(!r.ok && r.message).toContain("-m pip install .` in the clone");
    expect(!r.ok && r.message).not.toContain("pip install listing-lint"); // not on any index
  });
});

describe("no Python", () => {
  it("says what to install when nothing is found", async () => {
    const r = await resolveServer(inputs(), deps({}));
    expect(r.ok).toBe(false);
    expect(!r.ok && r.kind).toBe("no-python");
    expect(!r.ok && r.message).toContain("Python 3.10 or newer");
    expect(!r.ok && r.message).toContain("listingLint.interpreter");
  });

  it("counts only-too-old Pythons as no Python", async () => {
    const r = await resolveServer(inputs(), deps({ onPath: { python3: "/usr/bin/python3" }, pythons: { "/usr/bin/python3": ok("/usr/bin/python3", [3, 9, 2]) } }));
    expect(!r.ok && r.kind).toBe("no-python");
  });
});

describe("the bundled fast path", () => {
  it("starts the bundle with python3 from PATH and probes nothing", async () => {
    const probed: string[][] = [];
    const r = await resolveServer(
      inputs({}, { skipProbe: true, pythonExtension: ["/ext/python"] }),
      deps({ onPath: { python3: "/usr/bin/python3" }, pythons: { "/usr/bin/python3": ok("/usr/bin/python3") }, probed }),
    );
    expect(probed).toEqual([]);
    expect(r.ok && r.server.prefix).toEqual(["/usr/bin/python3", "-I", "-X", "utf8", "/ext/python/launch.py", "--libs", "/ext/bundled/libs"]);
    expect(r.ok && r.server.probed).toBe(false);
  });

  it("applies only when the user asked for no interpreter or executable and the bundle is used", () => {
    const base = { path: [], interpreter: [], importStrategy: "useBundled" as const, trace: "off" as const };
    expect(canSkipProbe(base, true)).toBe(true);
    expect(canSkipProbe(base, false)).toBe(false); // no bundle (a development build)
    expect(canSkipProbe({ ...base, interpreter: ["/opt/py"] }, true)).toBe(false);
    expect(canSkipProbe({ ...base, path: ["/venv/bin/listing-lint"] }, true)).toBe(false);
    expect(canSkipProbe({ ...base, importStrategy: "fromEnvironment" }, true)).toBe(false);
  });

  it("probes as before when the user chose an interpreter, even with skipProbe", async () => {
    const probed: string[][] = [];
    const r = await resolveServer(
      inputs({ interpreter: ["/opt/py"] }, { skipProbe: true }),
      deps({ pythons: { "/opt/py": ok("/opt/py") }, onPath: { python3: "/usr/bin/python3" }, probed }),
    );
    expect(probed.map((p) => p[0])).toEqual(["/opt/py"]);
    expect(r.ok && r.server.probed).toBeUndefined();
  });
});

describe("probe cache", () => {
  function memory() {
    const data = new Map<string, unknown>();
    return { get: <T>(k: string) => data.get(k) as T | undefined, update: (k: string, v: unknown) => void data.set(k, v) };
  }

  it("probes an interpreter once while its file is unchanged, and again after it changes or is forgotten", async () => {
    const probed: string[][] = [];
    const store = memory();
    let identity = "/opt/py:100:1";
    const real = deps({ pythons: { "/opt/py": ok("/opt/py") }, probed });
    const cached = cachedDeps(real, store, () => identity);
    const env = {};
    expect((await cached.probe(["/opt/py"], env, [], "/b")).executable).toBe("/opt/py");
    expect((await cached.probe(["/opt/py"], env, [], "/b")).executable).toBe("/opt/py");
    expect(probed).toHaveLength(1);
    await cached.probe(["/opt/py"], env, [], "/other-bundle"); // another extension version
    expect(probed).toHaveLength(2);
    identity = "/opt/py:100:2"; // upgraded in place
    await cached.probe(["/opt/py"], env, [], "/b");
    expect(probed).toHaveLength(3);
    await cached.forget();
    await cached.probe(["/opt/py"], env, [], "/b");
    expect(probed).toHaveLength(4);
  });

  it("never keeps a failed import, so installing listing-lint is seen at the next start", async () => {
    const probed: string[][] = [];
    const broken = { ...ok("/opt/py"), importError: "ModuleNotFoundError: listing_lint", listingLint: undefined };
    const cached = cachedDeps(deps({ pythons: { "/opt/py": broken }, probed }), memory(), () => "/opt/py:1:1");
    await cached.probe(["/opt/py"], {}, []);
    await cached.probe(["/opt/py"], {}, []);
    expect(probed).toHaveLength(2);
  });
});

describe("shims on the fast path", () => {
  it("runs the interpreter a shim was found to run, when it still exists", async () => {
    const r = await resolveServer(
      inputs({}, { skipProbe: true, resolvedShims: { "/home/u/.pyenv/shims/python3": "/home/u/.pyenv/versions/3.12.1/bin/python3" } }),
      deps({ onPath: { python3: "/home/u/.pyenv/shims/python3" }, files: ["/home/u/.pyenv/versions/3.12.1/bin/python3"] }),
    );
    expect(r.ok && r.server.prefix[0]).toBe("/home/u/.pyenv/versions/3.12.1/bin/python3");
  });

  it("falls back to the shim when the learnt interpreter is gone (uninstalled)", async () => {
    const r = await resolveServer(
      inputs({}, { skipProbe: true, resolvedShims: { "/home/u/.pyenv/shims/python3": "/gone/python3" } }),
      deps({ onPath: { python3: "/home/u/.pyenv/shims/python3" } }),
    );
    expect(r.ok && r.server.prefix[0]).toBe("/home/u/.pyenv/shims/python3");
  });
});
