"""Bundle listing-lint and its dependencies into bundled/libs for the .vsix, and check they import.

    python3 scripts/bundle_python.py          # run by `npm run package` (npm run bundle-python)

1. Build a wheel of the project (``..``: setuptools builds the package with its rule packs) from a
   copy of its sources, so nothing is written into the work tree, then
   ``pip install --target bundled/libs`` that wheel and its dependencies, resolved for the oldest
   supported Python (3.10: so ``tomli`` comes along) with bundle-constraints.txt.
2. For each compiled dependency (regex, pyahocorasick), the wheels of the same release for the other
   CPython 3.11-3.14 versions of this platform are downloaded and their extension modules added
   beside the first ones (``*.cpython-3XY-*.so`` files have distinct names), so any Python 3.10+ of
   this platform runs the bundle. bundled/libs/listing_lint_bundle.json records what is covered.
3. A plain ``python3 -c`` with only ``PYTHONPATH=bundled/libs`` imports every module from the
   bundle (not from site-packages) and loads the rule packs.
4. Each supported Python found on this machine writes the bytecode of the modules the server
   imports (unchecked-hash .pyc), so the first start after installing skips compiling them.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import sysconfig
import tempfile
import zipfile
from pathlib import Path

HERE = Path(__file__).resolve().parent.parent  # vscode-client/
LIBS = HERE / "bundled" / "libs"
PROJECT = HERE.parent
CONSTRAINTS = HERE / "bundle-constraints.txt"
PYTHONS = ["3.10", "3.11", "3.12", "3.13", "3.14"]
MODULES = ["listing_lint", "listing_lint.lsp.server", "pygls", "lsprotocol", "attrs", "cattrs", "regex", "ahocorasick"]


def pip(*args: str) -> None:
    cmd = [sys.executable, "-m", "pip", *args, "--disable-pip-version-check", "--quiet"]
    shown = [a for i, a in enumerate(args) if a != "--platform" and (i == 0 or args[i - 1] != "--platform")]
    print("+ pip", " ".join(shown), "(for this platform)" if "--platform" in args else "", flush=True)
    subprocess.run(cmd, check=True)


def platform_tags() -> list[str]:
    """Return this interpreter's platform tags (manylinux_2_17_x86_64, macosx_11_0_arm64, win_amd64, ...)."""
    from pip._vendor.packaging import tags

    seen: list[str] = []
    for tag in tags.sys_tags():
        if tag.platform != "any" and tag.platform not in seen:
            seen.append(tag.platform)
    return seen


def compiled_dists() -> list[tuple[str, str]]:
    """Return (name, version) of every installed distribution that is not pure Python."""
    found = []
    for info in sorted(LIBS.glob("*.dist-info")):
        if "Root-Is-Purelib: false" in (info / "WHEEL").read_text("utf-8"):
            name, version = info.name[: -len(".dist-info")].rsplit("-", 1)
            found.append((name, version))
    return found


def add_other_pythons(name: str, version: str) -> list[str]:
    """Add the compiled modules of ``name==version`` for the other CPython versions; return those covered."""
    covered = [PYTHONS[0]]
    plats = [arg for p in platform_tags() for arg in ("--platform", p)]
    for py in PYTHONS[1:]:
        with tempfile.TemporaryDirectory() as tmp:
            cmd = [sys.executable, "-m", "pip", "download", "--quiet", "--disable-pip-version-check", "--no-deps",
                   "--only-binary=:all:", "--implementation", "cp", "--python-version", py, *plats,
                   "-d", tmp, f"{name}=={version}"]
            if subprocess.run(cmd, capture_output=True, text=True).returncode != 0:
                print(f"note: no {name} {version} wheel for CPython {py} on this platform; not covered", flush=True)
                continue
            (wheel,) = Path(tmp).glob("*.whl")
            with zipfile.ZipFile(wheel) as zf:
                for member in zf.namelist():
                    target = LIBS / member
                    if member.endswith((".so", ".pyd")) and ".dist-info/" not in member and not target.exists():
                        target.parent.mkdir(parents=True, exist_ok=True)
                        target.write_bytes(zf.read(member))
            covered.append(py)
    print(f"{name} {version}: compiled for CPython {', '.join(covered)}", flush=True)
    return covered


def missing_for_other_pythons() -> list[str]:
    """Return requirements of installed distributions that another supported Python needs and are absent."""
    from pip._vendor.packaging.requirements import Requirement
    from pip._vendor.packaging.utils import canonicalize_name

    installed = {canonicalize_name(info.name[: -len(".dist-info")].rsplit("-", 1)[0]) for info in LIBS.glob("*.dist-info")}
    missing: dict[str, str] = {}
    for info in LIBS.glob("*.dist-info"):
        for line in (info / "METADATA").read_text("utf-8").splitlines():
            if not line.startswith("Requires-Dist:"):
                continue
            req = Requirement(line.split(":", 1)[1].strip())
            name = canonicalize_name(req.name)
            if name in installed or req.marker is None:
                continue
            for py in PYTHONS:
                if req.marker.evaluate({"python_version": py, "python_full_version": f"{py}.0", "extra": ""}):
                    missing[name] = f"{req.name}{req.specifier}"
                    break
    return sorted(missing.values())


def compiled_modules() -> list[str]:
    """Return the importable names of the bundle's extension modules (the client's probe imports them)."""
    names = set()
    for ext in list(LIBS.rglob("*.so")) + list(LIBS.rglob("*.pyd")):
        rel = ext.relative_to(LIBS)
        if any(part.endswith(".dist-info") or part == "tests" for part in rel.parts):
            continue
        names.add(".".join((*rel.parts[:-1], rel.name.split(".", 1)[0])))
    return sorted(names)


def installed_version(name: str) -> str:
    for info in LIBS.glob(f"{name}-*.dist-info"):
        for line in (info / "METADATA").read_text("utf-8").splitlines():
            if line.startswith("Version:"):
                return line.split(":", 1)[1].strip()
    raise SystemExit(f"{name} was not installed into {LIBS}")


def verify() -> None:
    """Import every module from the bundle alone and load the bundled rule packs."""
    code = (
        "import importlib, json, sys\n"
        f"libs = {str(LIBS)!r}\n"
        f"for name in {MODULES!r}:\n"
        "    mod = importlib.import_module(name)\n"
        "    assert mod.__file__.startswith(libs), f'{name} came from {mod.__file__}, not the bundle'\n"
        "from listing_lint.config import Config\n"
        "from listing_lint.engine.lint import ruleset_for\n"
        "n = len(ruleset_for(Config()).specs)\n"
        "assert n > 0, 'no rules in the bundle'\n"
        "print(f'bundle imports with Python {sys.version.split()[0]}: {n} rules')\n"
    )
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PYTHON", "VIRTUAL_ENV"))}
    env["PYTHONPATH"] = str(LIBS)
    env["PYTHONNOUSERSITE"] = "1"
    env["PYTHONDONTWRITEBYTECODE"] = "1"
    python3 = shutil.which("python3") or sys.executable
    subprocess.run([python3, "-c", code], env=env, check=True, cwd=tempfile.gettempdir())


PRECOMPILE = """\
import importlib.util, py_compile, sys
libs = sys.argv[1]
sys.path.insert(0, libs)
import listing_lint.lsp.server
from listing_lint.api import lint_text
lint_text("# Title\\nBlender, visit www.example.com\\n")
mode = py_compile.PycInvalidationMode.UNCHECKED_HASH
n = 0
for module in list(sys.modules.values()):
    source = getattr(module, "__file__", None) or ""
    if source.startswith(libs) and source.endswith(".py"):
        py_compile.compile(source, cfile=importlib.util.cache_from_source(source), doraise=True, invalidation_mode=mode)
        n += 1
print(n)
"""


def find_python(version: str) -> str | None:
    """Return a CPython ``version`` (3.X) executable on this machine (PATH, pyenv), or None."""
    if f"{sys.version_info[0]}.{sys.version_info[1]}" == version:
        return sys.executable
    candidates = [shutil.which(f"python{version}"),
                  *sorted(str(p) for p in Path.home().glob(f".pyenv/versions/{version}*/bin/python{version}"))]
    for exe in filter(None, candidates):
        proc = subprocess.run([exe, "-c", "import sys; print('%d.%d' % sys.version_info[:2])"], capture_output=True,
                              text=True)
        if proc.returncode == 0 and proc.stdout.strip() == version:
            return exe
    return None


def precompile() -> list[str]:
    """Write the bytecode of what the server imports to start and lint, for each supported Python found here.

    The first start after installing the .vsix then skips compiling (about 170 modules, 0.3-0.5 s on
    a busy 2-core machine); a Python not found here compiles them at its first start, as before. The
    .pyc files are unchecked-hash: valid whatever modification times unpacking the .vsix gives the
    sources. Python writes no other .pyc here (-B).
    """
    done = []
    for version in PYTHONS:
        exe = find_python(version)
        if exe is None:
            print(f"note: no Python {version} here; its first server start compiles the bundle", flush=True)
            continue
        proc = subprocess.run([exe, "-I", "-B", "-c", PRECOMPILE, str(LIBS)], capture_output=True, text=True,
                              cwd=tempfile.gettempdir())
        if proc.returncode != 0:
            print(f"note: precompiling with Python {version} failed: {proc.stderr.strip()[-300:]}", flush=True)
            continue
        print(f"precompiled {proc.stdout.strip()} modules for Python {version}", flush=True)
        done.append(version)
    return done


def main() -> int:
    if sys.version_info < (3, 10):
        raise SystemExit(f"bundling needs Python 3.10+, this is {sys.version.split()[0]}")
    shutil.rmtree(LIBS, ignore_errors=True)
    LIBS.mkdir(parents=True)
    with tempfile.TemporaryDirectory() as tmp:
        src = Path(tmp) / "src"
        src.mkdir()
        for name in ("pyproject.toml", "README.md", "LICENSE"):
            if (PROJECT / name).exists():
                shutil.copy2(PROJECT / name, src / name)
        ignore = shutil.ignore_patterns("__pycache__", "*.egg-info", "*.pyc")
        for name in ("server", "rules"):
            shutil.copytree(PROJECT / name, src / name, ignore=ignore)
        pip("wheel", "--no-deps", "--wheel-dir", str(Path(tmp) / "wheels"), str(src))
        (wheel,) = (Path(tmp) / "wheels").glob("*.whl")
        plats = [arg for p in platform_tags() for arg in ("--platform", p)]
        pip("install", "--no-compile", "--target", str(LIBS), "--constraint", str(CONSTRAINTS),
            "--only-binary=:all:", "--implementation", "cp", "--python-version", PYTHONS[0], *plats, str(wheel))
        # pip evaluates markers for the Python running it, not for --python-version: add what the
        # other supported versions need (tomli, exceptiongroup on 3.10), until nothing is missing.
        for _ in range(10):
            missing = missing_for_other_pythons()
            if not missing:
                break
            pip("install", "--no-compile", "--target", str(LIBS), "--constraint", str(CONSTRAINTS),
                "--only-binary=:all:", "--implementation", "cp", "--python-version", PYTHONS[0], *plats, *missing)
    # Console scripts carry this machine's interpreter path; the extension runs `python -m listing_lint`.
    shutil.rmtree(LIBS / "bin", ignore_errors=True)
    for cache in LIBS.rglob("__pycache__"):
        shutil.rmtree(cache, ignore_errors=True)
    compiled = {f"{name}=={version}": add_other_pythons(name, version) for name, version in compiled_dists()}
    pythons = [py for py in PYTHONS if all(py in covered for covered in compiled.values())]
    (LIBS / "listing_lint_bundle.json").write_text(json.dumps({
        "listing_lint": installed_version("listing_lint"),
        "platform": sysconfig.get_platform(),
        "pythons": pythons,
        "compiled": compiled,
        "modules": compiled_modules(),
    }, indent=2) + "\n")
    verify()
    info = json.loads((LIBS / "listing_lint_bundle.json").read_text())
    info["precompiled"] = precompile()
    (LIBS / "listing_lint_bundle.json").write_text(json.dumps(info, indent=2) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
