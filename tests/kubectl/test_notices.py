"""The game's own messages inside kubectl output (assets/kubectl.yaml): every one in English
and Korean, with the same fields to fill in."""

from __future__ import annotations

import string

import pytest
import yaml

from k8sgame.assets import assets_dir

NOTICES = yaml.safe_load((assets_dir() / "kubectl.yaml").read_text(encoding="utf-8"))


def _fields(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


@pytest.mark.parametrize("key", sorted(NOTICES))
def test_every_notice_has_both_languages_and_the_same_fields(key):
    texts = NOTICES[key]
    assert set(texts) == {"en", "ko"}
    assert texts["en"].strip() and texts["ko"].strip()
    assert _fields(texts["en"]) == _fields(texts["ko"])
