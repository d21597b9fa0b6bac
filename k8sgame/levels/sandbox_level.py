"""The sandbox as a level with no goal: the documented default cluster (``k8sgame sandbox``'s),
the ``default`` namespace, nothing broken, nothing graded. Playing it uses the same run, log
and replay as any level."""

from __future__ import annotations

from functools import lru_cache

from k8sgame.content.text import Text, message_table
from k8sgame.levels.model import Answer, Level, StartingCluster

SANDBOX_ID = "sandbox"


def _text(key: str) -> Text:
    return Text.from_data(message_table()[key])


@lru_cache(maxsize=1)
def sandbox_level() -> Level:
    """The default sandbox cluster as a goal-less level."""
    return Level(
        id=SANDBOX_ID,
        chapter="",
        order=0,
        difficulty=0,
        concepts=(),
        estimated_minutes=0,
        title=_text("sandbox.title"),
        briefing=_text("sandbox.briefing"),
        explanation=Text("", ""),
        debrief=Text("", ""),
        interview=(),
        cluster=StartingCluster("default", None, None, (), 0.0),
        files={},
        horizon=300.0,
        goal=(),
        hints=(),
        par=0,
        solution=Answer(commands=(), files={}),
        wrong=(),
        choices=(),
    )
