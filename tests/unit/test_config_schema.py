"""schemas/listing-lint.schema.json (issue 11): it agrees with the config loader, and taplo (Even Better TOML's
engine) validates config files with it."""

from __future__ import annotations

import json
import subprocess
import tomllib

import pytest

from conftest import EXAMPLES, ROOT
from listing_lint import config as cfg
from listing_lint.engine.spec import SpecError

SCHEMA = json.loads((ROOT / "schemas" / "listing-lint.schema.json").read_text(encoding="utf-8"))
jsonschema = pytest.importorskip("jsonschema")


def valid(data: dict) -> bool:
    return jsonschema.Draft7Validator(SCHEMA).is_valid(data)


def test_schema_names_exactly_the_keys_the_loader_accepts():
    props = SCHEMA["properties"]
    assert set(props) == cfg._TOP_KEYS
    assert set(props["brands"]["properties"]) == cfg._BRAND_KEYS
    assert set(props["rules"]["properties"]) == cfg._RULE_KEYS
    assert set(props["limits"]["properties"]) == cfg.LIMIT_KEYS
    assert props["columns"]["additionalProperties"]["enum"] == list(cfg.COLUMN_ROLES)


CASES = [
    pytest.param('marketplace = "amazon.de"\nencoding = "cp1252"\n[columns]\n"Item ref" = "sku"\n'
                 '[per-file-ignores]\n"drafts/*" = ["POL001"]\n', True, id="new-keys"),
    pytest.param('marketplce = "amazon.de"\n', False, id="unknown-top-key"),
    pytest.param('[columns]\nHeadline = "titel"\n', False, id="bad-column-role"),
    pytest.param('[limits]\ntitle-max-chars = -1\n', False, id="negative-limit"),
    pytest.param('[rules.severity]\nexternal-url = "fatal"\n', False, id="bad-severity"),
    pytest.param('[brands]\nown = "Vantora"\ncompetitors = ["Anker"]\n', True, id="string-or-list"),
]


@pytest.mark.parametrize("text, ok", CASES)
def test_schema_and_loader_agree(tmp_path, text, ok):
    assert valid(tomllib.loads(text)) is ok
    path = tmp_path / "listing-lint.toml"
    path.write_text(text, encoding="utf-8")
    if ok:
        cfg.load_config(path)
    else:
        with pytest.raises(SpecError):
            cfg.load_config(path)


def test_example_config_is_valid():
    assert valid(tomllib.loads((EXAMPLES / "listing-lint.toml").read_text(encoding="utf-8")))


def test_taplo_validates_config_files_with_the_schema(tmp_path):
    script = ROOT / "scripts" / "install-taplo"
    install = subprocess.run(["bash", str(script)], capture_output=True, text=True)
    if install.returncode == 3:
        pytest.skip(install.stderr.strip().splitlines()[-1])
    assert install.returncode == 0, install.stderr
    cli = subprocess.run(["bash", str(script), "--print-bin"], capture_output=True, text=True).stdout.strip()
    schema = (ROOT / "schemas" / "listing-lint.schema.json").as_uri()
    for name, text, ok in (("good", 'marketplace = "amazon.de"\n[columns]\nHeadline = "title"\n', True),
                           ("bad", '[columns]\nHeadline = "titel"\n', False)):
        path = tmp_path / f"{name}.toml"
        path.write_text(text, encoding="utf-8")
        result = subprocess.run(["node", cli, "check", "--schema", schema, str(path)], capture_output=True,
                                text=True, timeout=120)
        assert (result.returncode == 0) is ok, result.stderr
        if not ok:
            assert '"titel" is not one of' in result.stderr
