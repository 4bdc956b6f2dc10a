"""The compiled-pattern store (compiled-patterns.json) is current, and each stored pattern is the pattern."""

from __future__ import annotations

import json
import re
import subprocess
import sys

import pytest
import regex

from listing_lint import patterns
from listing_lint.config import Config
from listing_lint.engine.lint import load_packs

from conftest import ROOT, SHARED

STORE = json.loads(patterns.STORE.read_text("utf-8"))
ENGINES = {"regex": regex, "re": re}


def _texts() -> list[str]:
    """Real copy (the first 150 corpus listings, the labelled snippets in seven languages) and every rule example."""
    texts = []
    with open(SHARED / "corpus" / "real-listings.jsonl", encoding="utf-8") as stream:
        for line, _ in zip(stream, range(150)):
            record = json.loads(line)
            texts.append("\n".join([record.get("title") or "", *(record.get("bullets") or []),
                                    record.get("description") or ""]))
    with open(SHARED / "corpus" / "labelled-dev.jsonl", encoding="utf-8") as stream:
        texts.extend(json.loads(line)["text"] for line in stream if line.strip())
    for pack in load_packs(Config()):
        for spec in pack.rules:
            texts.extend(example.text for example in spec.examples)
    return texts


def test_the_store_is_current():
    """Every pattern the package compiles is stored, for the installed regex, and nothing else is."""
    result = subprocess.run([sys.executable, str(ROOT / "scripts" / "build_compiled_patterns.py"), "--check"],
                            capture_output=True, text=True, cwd=ROOT)
    assert result.returncode == 0, result.stdout + result.stderr


def test_the_store_is_read_on_this_build():
    """Built for the installed regex and Python: a test run on others says to rebuild (a user's run ignores it)."""
    for engine in patterns.ENGINES:
        assert STORE[engine]["build"] == patterns.build_stamp(engine), \
            "run python scripts/build_compiled_patterns.py for the installed regex and Python"
    assert STORE[patterns.RE_LIBRARY]["build"] == patterns.build_stamp("re")
    assert len(STORE["regex"]["patterns"]) > 200 and len(STORE["re"]["patterns"]) > 40
    assert len(STORE[patterns.RE_LIBRARY]["patterns"]) > 60


@pytest.mark.parametrize("section", [*patterns.ENGINES, patterns.RE_LIBRARY])
def test_each_stored_pattern_matches_as_a_fresh_compile_does(section):
    texts = _texts()
    assert len(texts) > 600
    engine = "regex" if section == "regex" else "re"
    for key, entry in STORE[section]["patterns"].items():
        flags, _, source = key.partition(":")
        stored = patterns._from_entry(engine, source, entry)
        assert stored is not None, key
        ENGINES[engine].purge()
        fresh = ENGINES[engine].compile(source, int(flags))
        assert (stored.pattern, stored.flags, stored.groups, stored.groupindex) == \
            (fresh.pattern, fresh.flags, fresh.groups, fresh.groupindex), key
        for text in texts:
            got = [(m.span(), m.groups()) for m in stored.finditer(text)]
            assert got == [(m.span(), m.groups()) for m in fresh.finditer(text)], (key, text)


def test_a_run_takes_the_bundled_patterns_from_the_store():
    """Importing the engine and linting a listing compiles nothing the store holds (run in a fresh process)."""
    code = ("import regex, listing_lint.patterns as p; calls = []; real = regex.compile\n"
            "regex.compile = lambda *a, **k: calls.append(a[0]) or real(*a, **k)\n"
            "from listing_lint.api import lint_text\n"
            "lint_text('---\\nsku: A1\\n---\\n# Title\\nBest seller! Call 555-123-4567 or visit shop.example.com\\n')\n"
            "print(len(calls), sum(k[0] == 'regex' for k in p._ready), sum(k[0] == 're' for k in p._ready))")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, check=True)
    compiled, from_store, from_store_re = map(int, result.stdout.split())
    assert compiled == 0
    assert from_store > 50 and from_store_re > 30


def test_a_check_looks_the_libraries_patterns_up_instead_of_compiling_them(tmp_path):
    """argparse and phonenumbers compile patterns with `re` as they load (about 15 ms at every start);
    `listing-lint check` puts their stored form in `re`'s cache first (run in a fresh process)."""
    listing = tmp_path / "a.listing.md"
    listing.write_text("---\nsku: A1\n---\n# Title\nBlender\n## Bullet points\n- Call (555) 010-4477 today\n")
    code = ("import re, sys, io, contextlib; real = re._compile; misses = []\n"
            "def counting(p, f):\n"
            "    key = (type(p), p, f.value if isinstance(f, re.RegexFlag) else f)\n"
            "    if key not in re._cache: misses.append(sys._getframe(2).f_code.co_filename)\n"
            "    return real(p, f)\n"
            "re._compile = counting\n"
            f"sys.argv = ['listing-lint', 'check', '--no-cache', {str(listing)!r}]\n"
            "from listing_lint.__main__ import main\n"
            "with contextlib.redirect_stdout(io.StringIO()): code = main()\n"
            "print(code, sum('phonenumbers' in m or 'argparse' in m for m in misses))")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, check=True)
    assert result.stdout.split() == ["1", "0"]  # the phone number is found; nothing of those two compiled


def test_the_language_server_loads_without_regex():
    """The server answers `initialize` before it loads the engine: priming `re`'s cache waits for its first
    lint, since the store's module needs `regex` (about 10 ms)."""
    code = "import sys, listing_lint.lsp.server; print('regex' in sys.modules)"
    assert subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT,
                          check=True).stdout.split() == ["False"]


@pytest.fixture
def cache_of_re(monkeypatch):
    """``re``'s own cache, emptied for the test and given back after it."""
    monkeypatch.setattr(re, "_cache", {})
    return re._cache


def test_priming_puts_each_library_pattern_in_re_s_cache_under_re_s_own_key(cache_of_re):
    added = patterns.prime_re_cache()
    assert added == len(STORE[patterns.RE_LIBRARY]["patterns"]) > 60
    for key in STORE[patterns.RE_LIBRARY]["patterns"]:
        flags, _, source = key.partition(":")
        assert re.compile(source, int(flags)) is cache_of_re[(str, source, int(flags))]  # a look-up, not a compile
    assert patterns.prime_re_cache() == 0  # already there: nothing is replaced


def test_priming_leaves_a_cache_it_does_not_know_or_that_is_full_alone(cache_of_re, monkeypatch):
    monkeypatch.setattr(re, "_MAXCACHE", len(STORE[patterns.RE_LIBRARY]["patterns"]))
    assert patterns.prime_re_cache() == 0 and cache_of_re == {}  # no room left for the user's own patterns
    monkeypatch.setattr(re, "_MAXCACHE", 512)
    monkeypatch.setattr(re, "_cache", [])  # a Python that keeps its cache otherwise
    assert patterns.prime_re_cache() == 0


@pytest.fixture
def empty_store(monkeypatch):
    monkeypatch.setattr(patterns, "_store", None)
    monkeypatch.setattr(patterns, "_ready", {})
    monkeypatch.setattr(patterns, "compiled_afresh", [])
    return monkeypatch


def test_a_store_of_another_python_primes_nothing(empty_store, tmp_path, monkeypatch):
    other = dict(STORE, **{patterns.RE_LIBRARY: dict(STORE[patterns.RE_LIBRARY],
                                                     build=dict(STORE["re"]["build"], python="3.99.0"))})
    (tmp_path / "store.json").write_text(json.dumps(other), "utf-8")
    empty_store.setattr(patterns, "STORE", tmp_path / "store.json")
    monkeypatch.setattr(re, "_cache", {})
    assert patterns.prime_re_cache() == 0 and re._cache == {}


def test_a_store_of_another_regex_build_is_ignored(empty_store, tmp_path):
    other = dict(STORE, regex=dict(STORE["regex"], build=dict(STORE["regex"]["build"], regex="1999.1.1")))
    (tmp_path / "store.json").write_text(json.dumps(other), "utf-8")
    empty_store.setattr(patterns, "STORE", tmp_path / "store.json")
    key = next(iter(STORE["regex"]["patterns"]))
    source = key.partition(":")[2]
    assert patterns.compile_pattern(source, int(key.partition(":")[0])).pattern == source
    assert patterns._store["regex"] == {} and patterns._ready == {}
    assert patterns._store["re"] == STORE["re"]["patterns"]  # the other engine's part still counts


@pytest.mark.parametrize("damage", [b"", b"{not json", b"[]", b'{"build": 1}'])
def test_a_damaged_store_file_is_no_store(empty_store, tmp_path, damage):
    (tmp_path / "store.json").write_bytes(damage)
    empty_store.setattr(patterns, "STORE", tmp_path / "store.json")
    assert patterns.compile_pattern(r"\bbest\s+seller\b", regex.I).search("A BEST  SELLER").span() == (2, 14)
    assert patterns.compile_re(r"\bbest\s+seller\b", re.I).search("A BEST  SELLER").span() == (2, 14)
    assert patterns._store == {"regex": {}, "re": {}, patterns.RE_LIBRARY: {}}


@pytest.mark.parametrize(("engine", "entry"), [
    ("regex", [8224, "not base64!", {}, {}, 0, [], 0, 1]),
    ("regex", [8224, [1, 2], {}, {}, 0, [], 0, 1]),   # code as a list, not text
    ("regex", [8224, "AQAAAA==", {}, {}, 0, [], 0]),  # a field missing
    ("regex", "not a list"),
    ("re", [34, "AQAAAAIAAA==", 0, {}, []]),           # a number cut short
    ("re", [34, "AQAAAA==", 0, [], []]),               # group names that are not a table
    ("re", None),
])
def test_a_damaged_entry_is_compiled_afresh(empty_store, tmp_path, engine, entry):
    source = r"\bfree gift\b"
    data = {e: {"build": patterns.build_stamp(e), "patterns": {patterns.store_key(source, 2): entry}}
            for e in patterns.ENGINES}
    (tmp_path / "store.json").write_text(json.dumps(data), "utf-8")
    empty_store.setattr(patterns, "STORE", tmp_path / "store.json")
    compile_ = patterns.compile_pattern if engine == "regex" else patterns.compile_re
    found = compile_(source, 2)
    assert found.search("a FREE GIFT inside").span() == (2, 11)
    assert not any(key[0] == engine for key in patterns._ready)


def test_the_store_can_be_turned_off(empty_store):
    empty_store.setenv("LISTING_LINT_PATTERN_STORE", "off")
    key = next(iter(STORE["regex"]["patterns"]))
    flags, _, source = key.partition(":")
    patterns.compile_pattern(source, int(flags))
    assert patterns._ready == {} and ("regex", source, int(flags)) in patterns.compiled_afresh


def test_a_regex_build_without_the_stamped_names_has_no_store_and_still_compiles(empty_store):
    from regex import _regex

    empty_store.delattr(_regex, "MAGIC")
    assert patterns.compile_pattern(r"\bbest\s+seller\b", regex.I).search("A BEST SELLER").span() == (2, 13)
    assert patterns._store["regex"] == {}


@pytest.fixture
def keeping(empty_store):
    """A run that keeps what it compiles afresh (as the command line does); stopped after the test."""
    empty_store.setattr(patterns, "_kept_used", {engine: {} for engine in patterns.ENGINES})
    empty_store.setattr(patterns, "_keeper", [None, None])
    empty_store.setattr(patterns, "_kept_new", [False])
    empty_store.setattr(patterns, "_kept_ready", {})
    yield empty_store
    patterns.keep_compiled(None)


def _count_fresh(monkeypatch) -> list:
    calls: list = []
    real = patterns.compile_recorded
    monkeypatch.setattr(patterns, "compile_recorded", lambda *a: calls.append(a[1]) or real(*a))
    return calls


@pytest.mark.parametrize("engine", patterns.ENGINES)
def test_patterns_compiled_afresh_are_kept_and_taken_ready_made_next_time(keeping, engine):
    """A user's pattern (or every pattern, under a regex release or Python the bundled file was not built for) is
    kept in its compiled form; the next run takes it from there, and it matches as a fresh compile does."""
    keeping.setattr(patterns, "_store", {e: {} for e in patterns.ENGINES})  # as under another build
    compile_ = patterns.compile_pattern if engine == "regex" else patterns.compile_re
    sources = [r"\b(?:free|gratis)\s+(gift|sample)s?\b", r"(?i)call\s+us\s+at\s+(?P<number>\d[\d\s-]{6,})"]
    calls = _count_fresh(keeping)
    patterns.keep_compiled(lambda: {})
    first = [compile_(source, 0) for source in sources]
    assert calls == sources
    kept = patterns.compiled_to_keep()
    assert set(kept[engine]) == {patterns.store_key(s, 0) for s in sources} and not kept[
        "re" if engine == "regex" else "regex"]
    # The next run: the kept data goes through JSON, as it does through the cache folder.
    patterns.keep_compiled(lambda: json.loads(json.dumps(kept)))
    calls.clear()
    second = [compile_(source, 0) for source in sources]
    assert calls == [] and patterns.compiled_to_keep() is None  # nothing new: the kept file is not rewritten
    texts = ["a Free gift inside, free samples too; CALL us at 555 123 4567", "gratis sample", "call us at 12"]
    for a, b in zip(first, second):
        assert b is not a and (b.pattern, b.flags, b.groupindex) == (a.pattern, a.flags, a.groupindex)
        assert [(m.span(), m.groups()) for t in texts for m in b.finditer(t)] == \
            [(m.span(), m.groups()) for t in texts for m in a.finditer(t)]


def test_a_damaged_kept_entry_is_compiled_afresh_and_kept_again(keeping):
    source = r"\bfree gift\b"
    good = patterns.compile_recorded("regex", source, 2)[1]
    calls = _count_fresh(keeping)
    for damaged in ([8224, "not base64!", {}, {}, 0, [], 0, 1], "not a list", good[:3]):
        patterns.keep_compiled(lambda: {"regex": {patterns.store_key(source, 2): damaged}})
        assert patterns.compile_pattern(source, 2).search("a FREE GIFT").span() == (2, 11)
        assert patterns.compiled_to_keep()["regex"][patterns.store_key(source, 2)] == good
    assert calls == [source] * 3
    patterns.keep_compiled(lambda: (_ for _ in ()).throw(OSError("unreadable")))  # a loader that fails: no store
    assert patterns.compile_pattern(source, 2).search("free gift").span() == (0, 9)


def test_a_bad_user_pattern_still_raises_while_kept_ones_are_recorded(keeping):
    patterns.keep_compiled(lambda: {})
    with pytest.raises(regex.error):
        patterns.compile_pattern(r"(unclosed", 0)
    assert patterns.compiled_to_keep() is None
    assert patterns.compile_pattern(r"\d+", 0).findall("a 12 b 3") == ["12", "3"]  # the engine is restored


def test_compiling_in_threads_while_recording_keeps_each_pattern_under_its_own_text(keeping):
    """The language server lints in a thread: a pattern another thread compiles meanwhile is never kept under
    the wrong text."""
    import threading

    patterns.keep_compiled(lambda: {})
    sources = [rf"\b(?:word{n}|term{n})\s+\d{{{n % 5 + 1}}}\b" for n in range(300)]

    def work(part):
        for source in part:
            patterns.compile_pattern(source, 0)
            regex.compile(source + "|x", 0)  # compiled directly by regex, as a library does, meanwhile

    threads = [threading.Thread(target=work, args=(sources[i::3],)) for i in range(3)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    kept = patterns.compiled_to_keep()["regex"]
    assert len(kept) > 250
    for key, entry in kept.items():
        source = key.partition(":")[2]
        stored = patterns._from_entry("regex", source, entry)
        fresh = regex.compile(source)
        text = " ".join(f"word{n} 12345 term{n} 1" for n in range(300))
        assert [m.span() for m in stored.finditer(text)] == [m.span() for m in fresh.finditer(text)], key


def test_a_pattern_asked_for_again_is_not_compiled_again_while_keeping(keeping):
    """Patterns built per listing (a competitor's name) are asked for many times in a run: compiled (and
    recorded) once, then handed out as they are; past MAX_KEPT they are compiled as without a keeper."""
    calls = _count_fresh(keeping)
    patterns.keep_compiled(lambda: {})
    first = patterns.compile_pattern(r"(?<!\w)Brisa Nordica(?!\w)", 0)
    assert patterns.compile_pattern(r"(?<!\w)Brisa Nordica(?!\w)", 0) is first and len(calls) == 1
    keeping.setattr(patterns, "MAX_KEPT", 1)
    other = patterns.compile_pattern(r"(?<!\w)Kettle Works(?!\w)", 0)
    assert len(calls) == 1 and other.search("by Kettle Works.").span() == (3, 15)
    assert set(patterns.compiled_to_keep()["regex"]) == {r"0:(?<!\w)Brisa Nordica(?!\w)"}
