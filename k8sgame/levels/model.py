"""A loaded level: typed, immutable, and already checked (``loader.py`` builds it)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from k8sgame.content.text import Text
from k8sgame.engine.network.setup import NetworkSetup


@dataclass(frozen=True)
class GoalLine:
    id: str
    text: Text
    check: dict[str, Any]


@dataclass(frozen=True)
class Answer:
    """Commands in order and the files they read (``-f``)."""

    commands: tuple[str, ...]
    files: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class WrongAnswer:
    id: str
    answer: Answer
    fails: str
    feedback: Text


@dataclass(frozen=True)
class Option:
    label: Text | None
    value: Any = None
    answer: Answer | None = None

    def shown(self, language: str) -> str:
        if self.label is not None:
            return self.label.get(language)
        return str(self.value)


@dataclass(frozen=True)
class Choice:
    id: str
    question: Text
    options: tuple[Option, ...]
    single: bool = True
    measure: dict[str, Any] | None = None
    tolerance: float = 0.0
    lines: tuple[str, ...] = ()
    explanation: Text | None = None


@dataclass(frozen=True)
class Interview:
    question: Text
    answer: Text


@dataclass(frozen=True)
class StartingCluster:
    namespace: str
    nodes: tuple[dict[str, Any], ...] | None
    images: dict[str, Any] | None
    manifests: tuple[dict[str, Any], ...]
    warmup: float
    # (seconds to wait, what, argument) run after the manifests: the cluster's past. What is
    # "kubectl" (a command line), "stop_kubelet" or "start_kubelet" (a node's name).
    steps: tuple[tuple[float, str, str], ...] = ()
    # The CNI plugin, MetalLB's pool and the player's /etc/hosts (None: the defaults).
    network: NetworkSetup | None = None
    # An add-on installed before the manifests ("nginx": ingress-nginx), or "".
    ingress_controller: str = ""


@dataclass(frozen=True)
class Level:
    id: str
    chapter: str
    order: int
    difficulty: int
    concepts: tuple[str, ...]
    estimated_minutes: int
    title: Text
    briefing: Text
    explanation: Text
    debrief: Text
    interview: tuple[Interview, ...]
    cluster: StartingCluster
    files: dict[str, str]
    horizon: float
    goal: tuple[GoalLine, ...]
    hints: tuple[Text, ...]
    par: int
    solution: Answer
    wrong: tuple[WrongAnswer, ...]
    choices: tuple[Choice, ...]
    source: str = ""

    def line(self, line_id: str) -> GoalLine:
        for line in self.goal:
            if line.id == line_id:
                return line
        raise KeyError(line_id)

    def choice(self, choice_id: str) -> Choice:
        for choice in self.choices:
            if choice.id == choice_id:
                return choice
        raise KeyError(choice_id)
