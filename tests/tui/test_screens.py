"""Home, campaign, help, settings and the palette: what a player sees and where keys lead."""

from pilot_helpers import screen_text

from k8sgame.progress import open_progress
from k8sgame.tui.actions import ACTIONS
from k8sgame.tui.app import GameApp
from k8sgame.tui.screens.campaign import CampaignScreen
from k8sgame.tui.screens.help import HelpScreen
from k8sgame.tui.screens.play import PlayScreen
from k8sgame.tui.text import default_language, keys, ui


async def test_help_lists_every_key_of_the_registry_in_korean(store):
    app = GameApp(store=store, language="ko")
    async with app.run_test(size=(120, 60)) as pilot:
        await pilot.press("f1")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
        shown = screen_text(app)
        for action in ACTIONS:
            assert ui(f"keys.{action.text}", "ko") in shown
        await pilot.press("escape")
        await pilot.pause()
        assert not isinstance(app.screen, HelpScreen)


async def test_campaign_marks_won_levels_with_stars(store):
    store.record_win("first-pod", 2, 5, 1, 1)
    app = GameApp(store=store, language="en")
    async with app.run_test(size=(100, 60)) as pilot:
        await pilot.press("enter")  # Campaign is highlighted with no game to continue
        await pilot.pause()
        assert isinstance(app.screen, CampaignScreen)
        shown = screen_text(app)
        assert "Chapter 1: Pods that won't behave" in shown
        assert "Chapter 2: Self-healing and rollouts" in shown
        assert "Chapter 3: Getting traffic in" in shown
        assert "Chapter 4: Who may do what" in shown
        assert "★★☆ won" in shown
        assert shown.count("☆☆☆ not won") == 44
        await pilot.press("s")  # the highlighted (first unwon) level's start, in the sandbox
        await pilot.pause()
        assert isinstance(app.screen, PlayScreen) and app.screen.sandbox
        assert "Sandbox: start of" in screen_text(app)


async def test_switching_language_in_settings_is_saved(store):
    app = GameApp(store=store, language="en")
    async with app.run_test(size=(80, 30)) as pilot:
        await pilot.press(
            *["down"] * 5, "enter"
        )  # Settings, after Campaign, Sandbox, Quiz, Concepts, Progress
        await pilot.pause()
        await pilot.press("down", "enter")  # 한국어
        await pilot.pause()
        assert "캠페인" in screen_text(app)
    assert store.setting("language") == "ko"
    again = GameApp(store=store)
    assert again.language == "ko"


async def test_a_moved_aside_progress_file_is_told_in_the_layout(tmp_path):
    path = tmp_path / "progress.db"
    path.write_bytes(b"garbage" * 100)
    store, notice = open_progress(path)
    app = GameApp(store=store, notice=notice, language="en")
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        assert "could not be read. It was moved to" in screen_text(app).replace("\n", " ")
    store.close()


def test_language_defaults_from_the_locale():
    assert default_language({"LANG": "ko_KR.UTF-8"}) == "ko"
    assert default_language({"LC_ALL": "en_US.UTF-8", "LANG": "ko_KR.UTF-8"}) == "en"
    assert default_language({}) == "en"


def test_every_action_of_the_registry_has_its_words():
    assert all(f"keys.{action.text}" in keys() for action in ACTIONS)


async def test_home_paints_before_the_pack_loads_and_fills_in_after(store, monkeypatch):
    import threading

    from k8sgame.levels import pack

    store.record_win("first-pod", 2, 5, 1, 1)
    release = threading.Event()
    real_load = pack.load_pack

    def slow_load(root, **options):
        release.wait(10)
        return real_load(root, **options)

    monkeypatch.setattr(pack, "load_pack", slow_load)
    app = GameApp(store=store, language="en")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert "Loading the levels…" in screen_text(app)
        release.set()
        await app.workers.wait_for_complete()
        await pilot.pause()
        shown = screen_text(app)
        assert "1 of 45 levels won, 2 stars" in shown
        assert "Loading" not in shown


async def test_a_broken_level_pack_is_told_on_home_and_the_sandbox_still_opens(store, tmp_path):
    pack_dir = tmp_path / "pack"
    pack_dir.mkdir()
    (pack_dir / "chapters.yaml").write_text("chapters: [\n", encoding="utf-8")
    app = GameApp(store=store, language="en", pack_dir=pack_dir)
    async with app.run_test(size=(100, 30)) as pilot:
        await app.workers.wait_for_complete()
        await pilot.pause()
        shown = screen_text(app)
        assert "The level pack could not be loaded; the sandbox still works." in shown
        assert "chapters.yaml:2" in shown
        await pilot.press("down", "enter")  # Sandbox (Campaign is highlighted first)
        await pilot.pause()
        assert isinstance(app.screen, PlayScreen) and app.screen.sandbox


def test_the_app_module_loads_no_engine_levels_or_yaml_before_the_first_frame():
    """Start-up stays close to a bare Textual app's (benchmarks/startup.py): the engine, the
    levels and PyYAML load on a thread after home is painted."""
    from purity_helpers import modules_loaded_by

    code = "import k8sgame.tui.app, k8sgame.tui.screens.home"
    heavy = ("yaml", "numpy", "k8sgame.engine", "k8sgame.levels", "k8sgame.kubectl")
    assert modules_loaded_by(code, heavy) == []


async def test_at_80_columns_the_play_footer_fits_help_and_the_briefing_wraps_in_the_pane(store):
    from k8sgame.levels.pack import find_level

    cases = (
        ("en", "f1 Help", "RESTARTS column keeps growing and now and then it shows"),
        ("ko", "f1 도움말", "계속 늘고, 가끔 CrashLoopBackOff가 보입니다"),
    )
    for language, help_word, briefing in cases:
        app = GameApp(store=store, language=language, seed=0, clock_running=False)
        async with app.run_test(size=(80, 24)) as pilot:
            app.play(find_level("liveness-wrong-port"))
            await pilot.pause()
            footer = screen_text(app).splitlines()[-1]
            assert help_word in footer and "^p" in footer
            output = app.screen.query_one("#output")
            widest = max(strip.cell_length for strip in output.lines)
            assert widest <= output.scrollable_content_region.width
            # The briefing's authored line breaks are gone; the pane wraps it at its width.
            assert briefing in " ".join(strip.text.strip() for strip in output.lines)
