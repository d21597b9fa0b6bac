"""``self.game_app``: a screen's app, typed as the game's own.

Textual types ``app`` as ``App[object]``; screens read the game's state from it (language,
levels, progress), so they mix this in and use ``game_app``, the same object.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, cast

if TYPE_CHECKING:
    from k8sgame.tui.app import GameApp


class UsesGameApp:
    @property
    def game_app(self) -> GameApp:
        return cast("GameApp", self.app)  # type: ignore[attr-defined]
