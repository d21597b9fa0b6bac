"""Player-facing text: prose in both languages (``Text``: level briefings, concept titles,
quiz questions) and the game's own messages (``Message``: a key into one of the message
tables plus the engine values that fill it in).

The message tables are files in ``assets/``, each a tree of groups whose leaves are entries
with ``en`` and ``ko``; a message's key is its path, dotted (``reasons.missing``):

- ``levels.yaml``: why a goal line is not met yet, goal states, ``k8sgame levels`` labels;
- ``kubectl.yaml``: the game speaking inside kubectl output (what the sandbox cannot do);
- ``ui.json``: the game screen's words (JSON, read before the first frame: the standard
  library's parser loads in milliseconds, PyYAML's import alone takes over twenty);
- ``quiz.yaml``: the quiz's feedback and the text of the questions the engine generates.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from typing import Any

from k8sgame.content.assets import load_json, load_yaml

LEVEL_MESSAGES = "levels.yaml"
KUBECTL_NOTICES = "kubectl.yaml"
SCREEN_WORDS = "ui.json"
QUIZ_MESSAGES = "quiz.yaml"
MESSAGE_TABLES = (LEVEL_MESSAGES, KUBECTL_NOTICES, SCREEN_WORDS, QUIZ_MESSAGES)


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


@cache
def message_table(table: str = LEVEL_MESSAGES) -> dict[str, dict[str, str]]:
    """Every entry of the message table ``assets/<table>`` by its dotted key."""
    data = load_json(table) if table.endswith(".json") else load_yaml(table)
    entries: dict[str, dict[str, str]] = {}
    _collect(data, "", entries)
    return entries


def _collect(group: dict[str, Any], prefix: str, entries: dict[str, dict[str, str]]) -> None:
    for name, value in group.items():
        if isinstance(value.get("en"), str):
            entries[prefix + name] = value
        else:
            _collect(value, f"{prefix}{name}.", entries)


def template(key: str, language: str, table: str = LEVEL_MESSAGES) -> str:
    """The entry ``key`` of ``table`` in ``language`` (English where that one is empty)."""
    texts = message_table(table)[key]
    return texts.get(language) or texts["en"]


@dataclass(frozen=True)
class Message:
    """A game message: entry ``key`` of the message ``table`` with ``fields`` (engine values
    such as pod names and event messages, which stay in Kubernetes' English), and an optional
    ``detail`` message appended after a semicolon."""

    key: str
    # A field is text, or a message of its own (rendered in the same language).
    fields: tuple[tuple[str, str | Message], ...] = ()
    detail: Message | None = None
    table: str = LEVEL_MESSAGES

    def render(self, language: str = "en") -> str:
        text = template(self.key, language, self.table)
        fields = {
            name: value.render(language) if isinstance(value, Message) else value
            for name, value in self.fields
        }
        if self.detail is None:
            if "{detail}" in text:
                fields.setdefault("detail", "")
            return text.format(**fields)
        detail = self.detail.render(language)
        if "{detail}" in text:
            # The template places its detail itself ("in 5m0s: <detail>").
            return text.format(**fields, detail=detail)
        text = text.format(**fields)
        return f"{text}; {detail}" if detail else text

    def keys(self) -> tuple[str, ...]:
        """This message's key and those of its details."""
        return (self.key, *(self.detail.keys() if self.detail else ()))

    def with_detail(self, detail: Message | None) -> Message:
        if detail is None:
            return self
        if self.detail is None:
            return Message(self.key, self.fields, detail, self.table)
        return Message(self.key, self.fields, self.detail.with_detail(detail), self.table)


def message(
    key: str, detail: Message | None = None, /, *, table: str = LEVEL_MESSAGES, **fields: Any
) -> Message:
    """Build a ``Message``; field values are turned into text (a field may be called
    ``detail``: the template's own ``{detail}``, not a detail message)."""
    return Message(key, _text_fields(fields), detail, table)


def say(key: str, language: str = "en", /, *, table: str = LEVEL_MESSAGES, **fields: Any) -> str:
    """A message rendered at once (CLI labels, headings, the game screen's words)."""
    return message(key, table=table, **fields).render(language)


def _text_fields(fields: dict[str, Any]) -> tuple[tuple[str, str | Message], ...]:
    return tuple(
        sorted(
            (name, value if isinstance(value, Message) else str(value))
            for name, value in fields.items()
        )
    )
