"""Every level of chapters one and three, won through the game screen: each reference solution's files
are written in the editor (``vi NAME``, paste, ctrl+s) and its lines entered at the prompt,
then ``sleep`` lets cluster time pass until the result screen shows the win."""

import pytest
from pilot_helpers import paste

from k8sgame.levels.pack import default_pack_dir, load_pack
from k8sgame.tui.app import GameApp
from k8sgame.tui.screens.editor import EditorScreen
from k8sgame.tui.screens.play import PlayScreen
from k8sgame.tui.screens.result import ResultScreen

PACK = load_pack(default_pack_dir())
CHAPTER_ONE = [level for level in PACK if level.chapter == "pods"]
CHAPTER_THREE = [level for level in PACK if level.chapter == "traffic"]


def test_chapters_one_and_three_have_the_levels_this_test_plays():
    assert len(CHAPTER_ONE) >= 10
    assert len(CHAPTER_THREE) >= 10


@pytest.mark.parametrize("level", CHAPTER_ONE + CHAPTER_THREE, ids=lambda level: level.id)
async def test_the_reference_solution_wins_through_the_ui(store, level):
    app = GameApp(store=store, language="en", seed=0, clock_running=False)
    async with app.run_test(size=(100, 30)) as pilot:
        app.play(level)
        await pilot.pause()
        play = app.screen
        assert isinstance(play, PlayScreen)
        for name, text in sorted(level.solution.files.items()):
            await paste(pilot, f"vi {name}")
            assert isinstance(app.screen, EditorScreen)
            app.screen.query_one("#editor-text").text = text  # a paste into the editor
            await pilot.press("ctrl+s")
            await pilot.pause()
            assert app.screen is play and play.game.run.files[name] == text
        for line in level.solution.commands:
            await paste(pilot, line)
        for _ in range(int(level.horizon // 300) + 2):
            if not isinstance(app.screen, PlayScreen):
                break
            await paste(pilot, "sleep 5m")
        assert isinstance(app.screen, ResultScreen), play.game.checklist()
    assert level.id in store.results()
