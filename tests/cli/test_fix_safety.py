"""Data safety of ``check --fix`` (issue 6): what it keeps, what it refuses to touch, and how it survives a crash.

Every test runs the real CLI in a subprocess on real files. Crashes, full disks and edits made while a
fix runs are simulated by a small wrapper (WRAPPER) that patches one function, then runs listing-lint.
"""

from __future__ import annotations

import os
import stat
import subprocess
import sys
import time
from pathlib import Path

import pytest

from listing_lint.cli.write import TEMP_SUFFIX, ChangedOnDisk, Refused, write_atomically
from listing_lint.extract.source import read_source
from privileges import CAP_CHOWN, FILE_PERMISSIONS, require_permissions_apply, run_without
from test_cli import run

# A listing whose only finding with a safe fix is the web address; the fix removes " at www.vantora.com".
LINES = ["# Title", "Kettle 1.7L", "", "# Bullets", "- Manuals at www.vantora.com", "- Café, 日本語 🚀"]
FIXED = ["# Title", "Kettle 1.7L", "", "# Bullets", "- Manuals", "- Café, 日本語 🚀"]
SELECT = ("--select", "external-url", "--no-cache")

WRAPPER = '''
import os, runpy, sys

mode = os.environ["WRAP_MODE"]
if mode == "crash":  # killed between writing the temporary file and renaming it over the original
    def die(*args, **kwargs):
        os._exit(137)
    os.replace = os.rename = die
elif mode == "disk-full":  # the disk fills up while the temporary file is written
    def full(fd):
        raise OSError(28, "No space left on device")
    os.fsync = full
elif mode == "edit":  # someone saves the file while listing-lint is fixing it
    import listing_lint.document as document
    original = document.fix_document
    def fix_document(path, text, *args, **kwargs):
        result = original(path, text, *args, **kwargs)
        with open(path, "a", encoding="utf-8", newline="") as fh:
            fh.write("- Added by hand\\n")
        return result
    document.fix_document = fix_document
sys.argv = ["listing-lint", *sys.argv[1:]]
runpy.run_module("listing_lint", run_name="__main__", alter_sys=True)
'''


def text(lines: list[str], newline: str = "\n") -> str:
    return newline.join(lines) + newline


def wrapped(mode: str, *args: str, cwd: Path) -> subprocess.CompletedProcess:
    script = cwd.parent / f"wrap-{mode}.py"
    script.write_text(WRAPPER, encoding="utf-8")
    env = {**os.environ, "WRAP_MODE": mode}
    return subprocess.run([sys.executable, str(script), *args], cwd=cwd, capture_output=True, text=True,
                          encoding="utf-8", env=env, timeout=120)


def snapshot(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def temps(folder: Path) -> list[Path]:
    return sorted(p for p in folder.rglob("*") if p.name.endswith(TEMP_SUFFIX))


def give_away(path: Path) -> bool:
    """Give ``path`` to nobody:nogroup (65534) if this process may; tell whether it did."""
    try:
        os.chown(path, 65534, 65534)
    except OSError:  # not root, or in a user namespace where 65534 is not mapped
        return False
    return True


@pytest.fixture
def listings(tmp_path: Path) -> Path:
    folder = tmp_path / "listings"
    folder.mkdir()
    for name in ("a", "b", "c"):
        (folder / f"{name}.listing.md").write_text(text(LINES), encoding="utf-8")
    return folder


# -- what --fix keeps ----------------------------------------------------------------------------------

ENCODINGS = {
    "utf-8": ("utf-8", b""),
    "utf-8-bom": ("utf-8", b"\xef\xbb\xbf"),
    "utf-16-le": ("utf-16-le", b"\xff\xfe"),
    "utf-16-be": ("utf-16-be", b"\xfe\xff"),
    "utf-32-le": ("utf-32-le", b"\xff\xfe\x00\x00"),
}
NEWLINES = {"lf": "\n", "crlf": "\r\n", "cr": "\r"}


def test_fix_keeps_encoding_bom_and_line_endings_and_touches_only_the_fixed_files(tmp_path):
    expected: dict[str, bytes] = {}
    for enc_name, (encoding, bom) in ENCODINGS.items():
        for nl_name, newline in NEWLINES.items():
            path = tmp_path / f"{enc_name}-{nl_name}.listing.md"
            path.write_bytes(bom + text(LINES, newline).encode(encoding))
            expected[path.name] = bom + text(FIXED, newline).encode(encoding)
    mixed = "# Title\r\nKettle\n\r# Bullets\n- Manuals at www.vantora.com\r\n- Two\r"
    (tmp_path / "mixed.listing.md").write_bytes(mixed.encode("utf-8"))
    expected["mixed.listing.md"] = mixed.replace(" at www.vantora.com", "").encode("utf-8")
    no_final_newline = "# Title\nKettle www.vantora.com"
    (tmp_path / "no-final-newline.listing.md").write_bytes(no_final_newline.encode("utf-8"))
    expected["no-final-newline.listing.md"] = b"# Title\nKettle"
    clean = text(["# Title", "Kettle"], "\r\n").encode("utf-16-le")  # nothing to fix: must not be rewritten
    (tmp_path / "clean.listing.md").write_bytes(b"\xff\xfe" + clean)
    expected["clean.listing.md"] = b"\xff\xfe" + clean
    clean_inode = (tmp_path / "clean.listing.md").stat().st_ino

    result = run("check", "--fix", *SELECT, ".", cwd=tmp_path)
    assert result.returncode == 0, result.stdout + result.stderr
    assert f"Fixed {len(expected) - 1} problems." in result.stdout
    assert {name: (tmp_path / name).read_bytes() for name in expected} == expected
    assert (tmp_path / "clean.listing.md").stat().st_ino == clean_inode
    assert temps(tmp_path) == []


def test_fix_keeps_mode_bits_and_owner(tmp_path):
    modes = {"private": 0o600, "group": 0o640, "executable": 0o755, "setgid": 0o2775, "sticky": 0o1664}
    for name, mode in modes.items():
        path = tmp_path / f"{name}.listing.md"
        path.write_text(text(LINES), encoding="utf-8")
        path.chmod(mode)
    owned = tmp_path / "owned.listing.md"
    owned.write_text(text(LINES), encoding="utf-8")
    give_away(owned)  # to nobody:nogroup, as when root fixes a seller's files (where that is possible)
    before = owned.stat()

    result = run("check", "--fix", *SELECT, ".", cwd=tmp_path)
    assert result.returncode == 0, result.stdout + result.stderr
    for name, mode in modes.items():
        path = tmp_path / f"{name}.listing.md"
        assert path.read_text(encoding="utf-8") == text(FIXED)
        assert stat.S_IMODE(path.stat().st_mode) == mode, name
    after = owned.stat()
    assert owned.read_text(encoding="utf-8") == text(FIXED)
    assert (after.st_uid, after.st_gid, stat.S_IMODE(after.st_mode)) == (
        before.st_uid, before.st_gid, stat.S_IMODE(before.st_mode))


def test_fix_leaves_a_file_alone_when_it_cannot_keep_its_owner(tmp_path):
    path = tmp_path / "theirs.listing.md"
    path.write_text(text(LINES), encoding="utf-8")
    path.chmod(0o666)  # writable by everyone: only the owner could not be kept
    if not give_away(path):
        pytest.skip("cannot give a file to another user here (not root, or uid 65534 is not mapped)")
    result = run_without((CAP_CHOWN,), "check", "--fix", *SELECT, "theirs.listing.md", cwd=tmp_path)
    assert result.returncode == 1
    assert ("theirs.listing.md: cannot write fixes: it belongs to another user or group (uid 65534, gid 65534), "
            "which a fixed copy could not keep") in result.stderr
    assert path.read_text(encoding="utf-8") == text(LINES) and path.stat().st_uid == 65534
    assert temps(tmp_path) == []


def test_fix_leaves_a_read_only_file_alone(tmp_path):
    probe = tmp_path / "probe"
    probe.write_bytes(b"x")
    probe.chmod(0)
    require_permissions_apply(probe)
    path = tmp_path / "locked.listing.md"
    path.write_text(text(LINES), encoding="utf-8")
    path.chmod(0o444)
    result = run_without(FILE_PERMISSIONS, "check", "--fix", *SELECT, "locked.listing.md", cwd=tmp_path)
    assert result.returncode == 1
    assert "locked.listing.md: cannot write fixes: the file is read-only" in result.stderr
    assert path.read_text(encoding="utf-8") == text(LINES)
    assert stat.S_IMODE(path.stat().st_mode) == 0o444


# -- files that change while they are fixed ----------------------------------------------------------------


def test_fix_does_not_overwrite_an_edit_made_while_it_ran(listings):
    result = wrapped("edit", "check", "--fix", *SELECT, "--jobs", "1", "a.listing.md", cwd=listings)
    assert result.returncode == 1, result.stdout + result.stderr
    assert "a.listing.md: changed on disk while it was being fixed; left as it is" in result.stderr
    assert (listings / "a.listing.md").read_text(encoding="utf-8") == text(LINES) + "- Added by hand\n"
    assert temps(listings) == []


def test_write_atomically_checks_the_file_again_before_replacing_it(tmp_path):
    path = tmp_path / "a.listing.md"
    path.write_text(text(LINES), encoding="utf-8")
    source = read_source(path)
    path.write_text(text(LINES) + "- Saved meanwhile\n", encoding="utf-8")
    with pytest.raises(ChangedOnDisk, match="changed on disk while it was being fixed"):
        write_atomically(path, source, text(FIXED))
    assert path.read_text(encoding="utf-8") == text(LINES) + "- Saved meanwhile\n"
    path.unlink()  # deleted meanwhile: not recreated either
    with pytest.raises(ChangedOnDisk, match="deleted while it was being fixed; not written"):
        write_atomically(path, source, text(FIXED))
    assert not path.exists() and temps(tmp_path) == []


# -- crashes -----------------------------------------------------------------------------------------------


@pytest.mark.parametrize("target", ["a.listing.md", "."], ids=["one-file", "folder"])
def test_a_crash_between_write_and_rename_leaves_every_original_intact(listings, target):
    before = snapshot(listings)
    result = wrapped("crash", "check", "--fix", *SELECT, target, cwd=listings)
    assert result.returncode != 0, result.stdout + result.stderr
    left = temps(listings)
    assert left, "the crash came after the temporary file was written"
    assert {k: v for k, v in snapshot(listings).items() if not k.endswith(TEMP_SUFFIX)} == before
    for tmp in left:
        # Named for the file it was to replace, hidden, and complete: never a partial file in its place.
        assert tmp.name.startswith(".") and ".listing.md." in tmp.name
        assert tmp.read_bytes() == text(FIXED).encode("utf-8")

    # The next run neither lints nor counts the leftovers...
    again = run("check", *SELECT, ".", cwd=listings)
    assert "Found 3 problems (3 errors) in 3 files, 3 listings." in again.stdout, again.stdout + again.stderr
    assert "Skipped" not in again.stdout and TEMP_SUFFIX not in again.stdout + again.stderr
    # ...and the next --fix of the file deletes its leftovers once they are stale.
    for tmp in left:
        os.utime(tmp, (time.time() - 3600, time.time() - 3600))
    fixed = run("check", "--fix", *SELECT, ".", cwd=listings)
    assert fixed.returncode == 0, fixed.stdout + fixed.stderr
    assert temps(listings) == []
    assert all(v == text(FIXED).encode("utf-8") for v in snapshot(listings).values())


def test_a_full_disk_leaves_the_original_and_no_temporary_file(listings):
    before = snapshot(listings)
    result = wrapped("disk-full", "check", "--fix", *SELECT, "--jobs", "1", ".", cwd=listings)
    assert result.returncode == 1
    assert "a.listing.md: cannot write fixes: No space left on device" in result.stderr
    assert snapshot(listings) == before and temps(listings) == []


# -- never outside the paths given -------------------------------------------------------------------------


@pytest.fixture
def linked(tmp_path: Path) -> Path:
    """A project whose folder holds symlinks to a file and a folder outside it, and to a file inside it."""
    outside = tmp_path / "outside"
    (outside / "shared").mkdir(parents=True)
    for path in (outside / "theirs.listing.md", outside / "shared" / "s.listing.md"):
        path.write_text(text(LINES), encoding="utf-8")
    project = tmp_path / "project"
    (project / "drafts").mkdir(parents=True)
    (project / "drafts" / "real.listing.md").write_text(text(LINES), encoding="utf-8")
    (project / "theirs.listing.md").symlink_to(outside / "theirs.listing.md")
    (project / "shared").symlink_to(outside / "shared")
    (project / "alias.listing.md").symlink_to(Path("drafts") / "real.listing.md")
    return project


def test_fix_in_a_folder_never_follows_a_symlink_out_of_it(linked):
    outside = linked.parent / "outside"
    before = snapshot(outside)
    result = run("check", "--fix", *SELECT, ".", cwd=linked)
    err = result.stderr
    assert (f"theirs.listing.md: symlink to a file outside {linked} ({outside / 'theirs.listing.md'}); not "
            "followed. Name it on the command line to lint it.") in err
    assert f"shared: symlink to a folder outside {linked} ({outside / 'shared'}); not followed." in err
    assert snapshot(outside) == before
    assert (linked / "theirs.listing.md").is_symlink() and (linked / "shared").is_symlink()
    # A symlink to a file inside the folder: the file is fixed once, under its real name; the link stays.
    assert "Fixed 1 problem." in result.stdout
    assert (linked / "drafts" / "real.listing.md").read_text(encoding="utf-8") == text(FIXED)
    assert (linked / "alias.listing.md").is_symlink()
    assert os.readlink(linked / "alias.listing.md") == os.path.join("drafts", "real.listing.md")


def test_fix_refuses_to_write_through_a_symlink_named_on_the_command_line(linked):
    outside = linked.parent / "outside"
    before = snapshot(outside)
    result = run("check", "--fix", *SELECT, "theirs.listing.md", cwd=linked)
    assert result.returncode == 1
    assert ("theirs.listing.md: cannot write fixes: it is a symlink (to "
            f"'{outside / 'theirs.listing.md'}'); fixes are never written through a symlink. Run --fix on the "
            "file it points to.") in result.stderr
    assert "theirs.listing.md:5:14: POL001" in result.stdout  # still linted
    assert snapshot(outside) == before and (linked / "theirs.listing.md").is_symlink()


def test_fix_refuses_a_file_with_hard_links(tmp_path):
    (tmp_path / "a.listing.md").write_text(text(LINES), encoding="utf-8")
    os.link(tmp_path / "a.listing.md", tmp_path / "backup.listing.md.orig")
    result = run("check", "--fix", *SELECT, "a.listing.md", cwd=tmp_path)
    assert result.returncode == 1
    assert ("a.listing.md: cannot write fixes: it has 2 hard links; replacing it would leave the other names with "
            "the old text") in result.stderr
    assert (tmp_path / "a.listing.md").read_text(encoding="utf-8") == text(LINES)
    assert os.path.samefile(tmp_path / "a.listing.md", tmp_path / "backup.listing.md.orig")


def test_write_atomically_refuses_symlinks_directly(tmp_path):
    real = tmp_path / "real.listing.md"
    real.write_text(text(LINES), encoding="utf-8")
    link = tmp_path / "link.listing.md"
    link.symlink_to(real)
    with pytest.raises(Refused, match="fixes are never written through a symlink"):
        write_atomically(link, read_source(link), text(FIXED))
    assert link.is_symlink() and real.read_text(encoding="utf-8") == text(LINES)
