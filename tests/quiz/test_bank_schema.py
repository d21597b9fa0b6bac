"""assets/quiz/schema.json is generated from the same description the bank loader checks
against, and every shipped bank passes both. Regenerate with K8SGAME_UPDATE_SCHEMA=1."""

from __future__ import annotations

import json
import os

import jsonschema
import pytest

from k8sgame.datafile.located import load_located
from k8sgame.quiz.loader import quiz_dir
from k8sgame.quiz.spec import json_schema

SCHEMA_FILE = quiz_dir() / "schema.json"
BANK_FILES = sorted(quiz_dir().glob("*.yaml"))


def _rendered() -> str:
    return json.dumps(json_schema(), indent=2, ensure_ascii=False, sort_keys=False) + "\n"


def test_published_schema_is_current():
    if os.environ.get("K8SGAME_UPDATE_SCHEMA"):
        SCHEMA_FILE.write_text(_rendered(), encoding="utf-8")
    assert SCHEMA_FILE.read_text(encoding="utf-8") == _rendered()


@pytest.mark.parametrize("path", BANK_FILES, ids=lambda p: p.name)
def test_every_bank_points_editors_at_the_schema_and_passes_it(path):
    text = path.read_text(encoding="utf-8")
    assert text.splitlines()[0] == "# yaml-language-server: $schema=schema.json"
    jsonschema.validate(load_located(text).data, json_schema())
