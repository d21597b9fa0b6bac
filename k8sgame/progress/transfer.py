"""Progress as a JSON file: export everything the database holds, and import such a file into
another database without losing what either side had.

Merging keeps the best of both: a level's best figures, every answer once, for each review card
the copy reviewed last, the imported settings, the history lines not yet there, and the saved
game only where there is none. A file that is not a progress export is refused with where and
what, and the database is left as it was.
"""

from __future__ import annotations

import json
from dataclasses import dataclass

from k8sgame.datafile.schema import (
    Field,
    Int,
    ListOf,
    MapOf,
    Number,
    Obj,
    Problem,
    Str,
    render_path,
)
from k8sgame.progress.saves import SavedGame, SaveError, decode_log, encode_log
from k8sgame.progress.store import AnswerRecord, LevelResult, ProgressStore

FORMAT = "k8sgame-progress"
FORMAT_VERSION = 1

_COUNT = Int("a count", 0)
_RESULT = Obj(
    {
        "level_id": Field(Str(), required=True),
        "stars": Field(Int("stars", 0, 3), required=True),
        "best_commands": Field(_COUNT, required=True),
        "fewest_hints": Field(_COUNT, required=True),
        "best_changes": Field(_COUNT, required=True),
        "wins": Field(_COUNT, required=True),
    }
)
_ANSWER = Obj(
    {
        "item_id": Field(Str(), required=True),
        "answered_at": Field(Str(), required=True),
        "correct": Field(Int("0 or 1", 0, 1), required=True),
        "score": Field(Number(), required=True),
        "source": Field(Str(), required=True),
    }
)
_CARD = Obj(
    {
        "item_id": Field(Str(), required=True),
        "card_id": Field(Int("the card's number", 1), required=True),
        "card": Field(Str("the FSRS card as JSON", max_length=10_000), required=True),
        "due": Field(Str(), required=True),
    }
)
_SAVED = Obj(
    {
        "level_id": Field(Str(), required=True),
        "seed": Field(Int(), required=True),
        "time": Field(Number(), required=True),
        "log": Field(Str("the action log as JSON", max_length=10_000_000), required=True),
    }
)
_EXPORT = Obj(
    {
        "format": Field(Str(), required=True),
        "version": Field(Int(), required=True),
        "results": Field(ListOf(_RESULT, max_items=100_000), required=True),
        "settings": Field(MapOf(Str(min_length=0)), required=True),
        "history": Field(ListOf(Str(min_length=0, max_length=10_000), max_items=100_000)),
        "saved_game": Field(_SAVED),
        "answers": Field(ListOf(_ANSWER, max_items=1_000_000), required=True),
        "review_cards": Field(ListOf(_CARD, max_items=100_000), required=True),
    }
)


class TransferError(ValueError):
    """A file that is not a progress export this game can read."""


@dataclass(frozen=True)
class Exported:
    """Everything a progress file holds."""

    results: tuple[LevelResult, ...]
    settings: dict[str, str]
    history: tuple[str, ...]
    saved_game: SavedGame | None
    answers: tuple[AnswerRecord, ...]
    review_cards: tuple[tuple[str, int, str, str], ...]  # item, card id, card JSON, due


def export_progress(store: ProgressStore) -> str:
    """The whole database as JSON text."""
    saved = store.saved_game()
    data = {
        "format": FORMAT,
        "version": FORMAT_VERSION,
        "results": [vars(result) for result in store.results().values()],
        "settings": store.settings(),
        "history": store.history(),
        "saved_game": None
        if saved is None
        else {
            "level_id": saved.level_id,
            "seed": saved.seed,
            "time": saved.time,
            "log": encode_log(saved.log),
        },
        "answers": [{**vars(answer), "correct": int(answer.correct)} for answer in store.answers()],
        "review_cards": [
            {"item_id": item, "card_id": card_id, "card": card, "due": due}
            for item, card_id, card, due in store.review_cards()
        ],
    }
    if saved is None:
        del data["saved_game"]
    return json.dumps(data, ensure_ascii=False, indent=1) + "\n"


def read_export(text: str) -> Exported:
    """Check and read an export; raises TransferError saying where and what."""
    try:
        data = json.loads(text)
    except json.JSONDecodeError as error:
        raise TransferError(f"{error.lineno}:{error.colno}: not JSON: {error.msg}") from None
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        raise TransferError(f'not a k8sgame progress file (no "format": "{FORMAT}")')
    if data.get("version") != FORMAT_VERSION:
        raise TransferError(
            f"written by another k8sgame (progress file version {data.get('version')!r}, "
            f"this game reads {FORMAT_VERSION})"
        )
    problems: list[Problem] = []
    _EXPORT.check(data, (), problems, {})
    if problems:
        raise TransferError("; ".join(f"{render_path(p.path)}: {p.message}" for p in problems[:5]))
    saved = None
    if data.get("saved_game") is not None:
        entry = data["saved_game"]
        try:
            log = decode_log(entry["log"])
        except SaveError as error:
            raise TransferError(f"saved_game.log: {error}") from None
        saved = SavedGame(entry["level_id"], entry["seed"], float(entry["time"]), log)
    return Exported(
        results=tuple(LevelResult(**r) for r in data["results"]),
        settings=dict(data["settings"]),
        history=tuple(data.get("history") or ()),
        saved_game=saved,
        answers=tuple(
            AnswerRecord(
                a["item_id"], a["answered_at"], bool(a["correct"]), float(a["score"]), a["source"]
            )
            for a in data["answers"]
        ),
        review_cards=tuple(
            (c["item_id"], c["card_id"], c["card"], c["due"]) for c in data["review_cards"]
        ),
    )


def import_progress(store: ProgressStore, text: str) -> Exported:
    """Merge an export into ``store`` in one transaction; returns what was read."""
    exported = read_export(text)
    store.merge(
        results=exported.results,
        settings=exported.settings,
        history=exported.history,
        saved_game=exported.saved_game,
        answers=exported.answers,
        review_cards=_cards_to_keep(store.review_cards(), exported.review_cards),
    )
    return exported


Card = tuple[str, int, str, str]


def _cards_to_keep(here: list[Card], imported: tuple[Card, ...]) -> list[Card]:
    """For an item with a card on both sides, the copy reviewed last (this side's on a tie);
    an imported card for a new item gets the next free number here."""
    mine = {card[0]: card for card in here}
    next_id = max((card[1] for card in here), default=0) + 1
    keep = []
    for item, _card_id, card, due in imported:
        if item in mine:
            if _last_review(card) > _last_review(mine[item][2]):
                keep.append((item, mine[item][1], _numbered(card, mine[item][1]), due))
            continue
        keep.append((item, next_id, _numbered(card, next_id), due))
        next_id += 1
    return keep


def _last_review(card: str) -> str:
    try:
        value = json.loads(card).get("last_review")
    except (json.JSONDecodeError, AttributeError):
        return ""
    return str(value or "")


def _numbered(card: str, card_id: int) -> str:
    """The card's JSON with its ``card_id`` set to the number it has here."""
    try:
        data = json.loads(card)
    except json.JSONDecodeError:
        return card
    if isinstance(data, dict):
        data["card_id"] = card_id
        return json.dumps(data)
    return card
