"""levels/schema.json is generated from the same description the loader checks against, so
editors and the game never disagree. Regenerate with K8SGAME_UPDATE_SCHEMA=1."""

from __future__ import annotations

import json
import os
from pathlib import Path

from k8sgame.levels.pack import default_pack_dir
from k8sgame.levels.spec import json_schema

SCHEMA_FILE = Path(__file__).resolve().parents[2] / "levels" / "schema.json"


def _rendered() -> str:
    return json.dumps(json_schema(), indent=2, ensure_ascii=False, sort_keys=False) + "\n"


def test_published_schema_is_current():
    if os.environ.get("K8SGAME_UPDATE_SCHEMA"):
        SCHEMA_FILE.write_text(_rendered(), encoding="utf-8")
    assert SCHEMA_FILE.read_text(encoding="utf-8") == _rendered()


def test_every_level_file_points_editors_at_the_schema():
    for path in sorted(default_pack_dir().glob("*/*.yaml")):
        first = path.read_text(encoding="utf-8").splitlines()[0]
        assert first == "# yaml-language-server: $schema=../schema.json", path


def test_schema_lists_every_predicate_with_its_parameters():
    definitions = json_schema()["definitions"]["check"]["oneOf"]
    names = {next(iter(option["properties"])) for option in definitions}
    assert {
        "pod_ready",
        "restarts_stable",
        "pod_phase",
        "pod_condition",
        "field",
        "event",
        "log_line",
        "scheduled_on",
        "exists",
        "not_exists",
        "all",
        "any",
        "not",
    } <= names


def test_editors_schema_accepts_every_level_and_rejects_bad_ones():
    import jsonschema
    import yaml

    validator = jsonschema.Draft7Validator(json.loads(SCHEMA_FILE.read_text(encoding="utf-8")))
    for path in sorted(default_pack_dir().glob("*/*.yaml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        errors = [error.message for error in validator.iter_errors(data)]
        assert not errors, (path, errors)
        broken = dict(data, goal=[{"id": "x", "text": data["title"], "check": {"pod_redy": {}}}])
        assert list(validator.iter_errors(broken)), path
        untranslated = dict(data, title={"en": "only English"})
        assert list(validator.iter_errors(untranslated)), path
