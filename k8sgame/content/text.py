"""Player-facing text: prose in both languages (``Text``: level briefings, concept titles,
quiz questions) and the game's own messages (``Message``: a key into ``assets/levels.yaml``
plus the engine values that fill it in)."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from k8sgame.content.assets import load_yaml

MESSAGES_FILE = "levels.yaml"


@dataclass(frozen=True)
class Text:
    """The same text in English and Korean."""

    en: str
    ko: str

    def get(self, language: str) -> str:
        return self.ko if language == "ko" else self.en

    @classmethod
    def from_data(cls, data: dict[str, str]) -> Text:
        return cls(str(data["en"]), str(data["ko"]))


@lru_cache(maxsize=1)
def messages() -> dict[str, dict[str, Any]]:
    """Every message template of ``assets/levels.yaml`` by key."""
    data = load_yaml(MESSAGES_FILE)
    flat: dict[str, dict[str, Any]] = {}
    for group, entries in data.items():
        for key, texts in entries.items():
            flat[f"{group}.{key}"] = texts
    return flat


@dataclass(frozen=True)
class Message:
    """A game message: template ``key`` with ``fields`` (engine values such as pod names and
    event messages, which stay in Kubernetes' English), and an optional ``detail`` message
    appended after a semicolon."""

    key: str
    fields: tuple[tuple[str, str], ...] = ()
    detail: Message | None = None

    def render(self, language: str = "en") -> str:
        texts = messages()[self.key]
        template = texts.get(language) or texts["en"]
        detail = self.detail.render(language) if self.detail is not None else ""
        if "{detail}" in template:
            # The template places its detail itself ("in 5m0s: <detail>").
            return template.format(**dict(self.fields), detail=detail)
        text = template.format(**dict(self.fields))
        return f"{text}; {detail}" if detail else text

    def keys(self) -> tuple[str, ...]:
        """This message's key and those of its details."""
        return (self.key, *(self.detail.keys() if self.detail else ()))

    def with_detail(self, detail: Message | None) -> Message:
        if detail is None:
            return self
        if self.detail is None:
            return Message(self.key, self.fields, detail)
        return Message(self.key, self.fields, self.detail.with_detail(detail))


def message(key: str, detail: Message | None = None, **fields: Any) -> Message:
    """Build a ``Message``; field values are turned into text."""
    return Message(key, tuple(sorted((name, str(value)) for name, value in fields.items())), detail)


def say(key: str, language: str = "en", **fields: Any) -> str:
    """A message rendered at once (CLI labels and headings)."""
    return message(key, **fields).render(language)
