"""Snapshots of the home, campaign, play, result, quiz, concept and progress screens at 80×24 and 120×40, in English and
Korean. Update them with ``python -m pytest tests/tui/test_snapshots.py --snapshot-update``
after a deliberate change, and look at the report before committing."""

from datetime import UTC, datetime

import pytest
from pilot_helpers import command, paste

from k8sgame.levels.pack import find_level
from k8sgame.tui.app import GameApp
from k8sgame.tui.screens.concepts import ConceptsScreen
from k8sgame.tui.screens.progress import ProgressScreen
from k8sgame.tui.screens.quiz_menu import QuizMenuScreen

SIZES = [(80, 24), (120, 40)]
LANGUAGES = ["en", "ko"]


async def pack_loaded(pilot):
    """The pack loads on a thread after the first frame; the home screen then fills in."""
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()


def _app(store, language):
    store.record_win("first-pod", 3, 6, 0, 0)
    return GameApp(store=store, language=language, seed=0, clock_running=False)


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
@pytest.mark.parametrize("language", LANGUAGES)
def test_home(snap_compare, store, language, size):
    assert snap_compare(_app(store, language), run_before=pack_loaded, terminal_size=size)


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
@pytest.mark.parametrize("language", LANGUAGES)
def test_campaign(snap_compare, store, language, size):
    assert snap_compare(
        _app(store, language), run_before=pack_loaded, press=["enter"], terminal_size=size
    )


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
@pytest.mark.parametrize("language", LANGUAGES)
def test_play(snap_compare, store, language, size):
    async def open_level(pilot):
        pilot.app.play(find_level("liveness-wrong-port"))
        await pilot.pause()
        await command(pilot, "get pods")

    assert snap_compare(_app(store, language), run_before=open_level, terminal_size=size)


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
@pytest.mark.parametrize("language", LANGUAGES)
def test_result(snap_compare, store, language, size):
    async def win(pilot):
        pilot.app.play(find_level("pending-taint"))
        await pilot.pause()
        level = find_level("pending-taint")
        for name, text in level.solution.files.items():
            pilot.app.screen.game.write_file(name, text)
        for line in level.solution.commands:
            await paste(pilot, line)
        await command(pilot, "sleep 5m")

    assert snap_compare(_app(store, language), run_before=win, terminal_size=size)


def _quiz_app(store, language):
    app = _app(store, language)
    app.wall_clock = lambda: datetime(2026, 12, 7, 9, 0, tzinfo=UTC)  # type: ignore[method-assign]
    return app


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
@pytest.mark.parametrize("language", LANGUAGES)
def test_quiz_feedback(snap_compare, store, language, size):
    async def answer_wrong(pilot):
        await pack_loaded(pilot)
        pilot.app.push_screen(QuizMenuScreen())
        await pilot.pause()
        await pilot.press("enter")  # Practice: every topic
        await pilot.pause()
        await pilot.press("enter")  # the first option, a wrong one for seed 0
        await pilot.pause()

    assert snap_compare(_quiz_app(store, language), run_before=answer_wrong, terminal_size=size)


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
@pytest.mark.parametrize("language", LANGUAGES)
def test_concepts(snap_compare, store, language, size):
    async def browse(pilot):
        await pack_loaded(pilot)
        pilot.app.push_screen(ConceptsScreen("liveness-probe"))
        await pilot.pause()

    assert snap_compare(_quiz_app(store, language), run_before=browse, terminal_size=size)


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
@pytest.mark.parametrize("language", LANGUAGES)
def test_progress(snap_compare, store, language, size):
    async def open_progress(pilot):
        await pack_loaded(pilot)
        pilot.app.push_screen(ProgressScreen())
        await pilot.pause()

    store.record_answer("ct-kubelet-duties", "2026-12-07T08:00:00.000000Z", True, 1.0, "quiz")
    assert snap_compare(_quiz_app(store, language), run_before=open_progress, terminal_size=size)
