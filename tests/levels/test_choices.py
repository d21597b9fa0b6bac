"""Choices (``levels/choices.py``): each option is played on its own copy of the level and
judged by the goal lines it names, never by comparing text."""

from __future__ import annotations

import yaml

from k8sgame.levels.choices import truth
from k8sgame.levels.loader import load_level_text
from k8sgame.levels.pack import default_pack_dir


def test_commands_options_are_judged_by_playing_them():
    data = yaml.safe_load((default_pack_dir() / "pods" / "image-typo.yaml").read_text("utf-8"))
    patch = 'patch pod shop -p \'{"spec":{"containers":[{"name":"shop","image":"%s"}]}}\''
    data["choices"] = [
        {
            "id": "which-fix",
            "question": {
                "en": "Which command fixes the shop?",
                "ko": "어떤 명령이 shop을 고치나요?",
            },
            "lines": ["shop-ready"],
            "options": [
                {"commands": [patch % "nginx:1.999"]},
                {"commands": [patch % "nginx:1.27"]},
                {"commands": ["delete pod shop"]},
            ],
        }
    ]
    level = load_level_text(yaml.safe_dump(data, allow_unicode=True), "<text>")
    assert truth(level, 0)["which-fix"] == (False, True, False)
