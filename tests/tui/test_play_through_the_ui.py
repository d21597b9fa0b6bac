"""Chapter-one levels played through the game screen only: typing at the prompt, editing YAML
in the editor, reading the checklist the engine fills in."""

from pilot_helpers import command, output_text, screen_text, type_text

from k8sgame.levels.pack import find_level
from k8sgame.tui.app import GameApp
from k8sgame.tui.screens.editor import EditorScreen
from k8sgame.tui.screens.play import PlayScreen
from k8sgame.tui.screens.result import ResultScreen


async def _open_level(pilot, app, level_id):
    app.play(find_level(level_id))
    await pilot.pause()
    assert isinstance(app.screen, PlayScreen)
    app.screen.action_pause()  # the tests move time with `sleep`, not the wall clock
    await pilot.pause()


async def test_liveness_level_won_by_editing_the_file_and_replacing_the_pod(store):
    app = GameApp(store=store, language="en", seed=0)
    async with app.run_test(size=(120, 40)) as pilot:
        await _open_level(pilot, app, "liveness-wrong-port")
        play = app.screen
        await command(pilot, "describe pod web")
        assert "Liveness probe failed" in output_text(app)
        await command(pilot, "vi web.yaml")
        assert isinstance(app.screen, EditorScreen)
        editor = app.screen.query_one("#editor-text")
        line = next(i for i, text in enumerate(editor.text.splitlines()) if "port: 8080" in text)
        await pilot.press(
            *["down"] * line, "end", "backspace", "backspace", "backspace", "backspace"
        )
        await type_text(pilot, "80")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert app.screen is play
        assert "port: 80\n" in play.game.run.files["web.yaml"]
        await command(pilot, "replace --force -f web.yaml")
        assert 'pod "web" deleted' in output_text(app)
        await command(pilot, "sleep 4m")
        await pilot.pause()
        assert isinstance(app.screen, ResultScreen)
        shown = screen_text(app)
        assert "Level won" in shown and "★★★" in shown
    result = store.results()["liveness-wrong-port"]
    assert (result.stars, result.best_changes) == (3, 1)
    assert store.saved_game() is None


async def test_a_wrong_fix_leaves_the_restart_line_unmet_with_the_engines_reason(store):
    app = GameApp(store=store, language="en", seed=0)
    async with app.run_test(size=(120, 40)) as pilot:
        await _open_level(pilot, app, "liveness-wrong-port")
        await command(pilot, "delete pod web")
        await command(pilot, "apply -f web.yaml")
        await command(pilot, "sleep 4m")
        assert isinstance(app.screen, PlayScreen)
        checklist = app.screen.game.checklist()
        line = next(line for line in checklist if line.id == "no-restarts")
        assert line.state == "not_met"
        assert line.reason.startswith("restarts still climbing: container web of pod web")
        assert "✘ Pod web runs for 3 minutes" in screen_text(app)
    assert "liveness-wrong-port" not in store.results()


async def test_image_typo_fixed_with_kubectl_edit_from_the_cluster_view(store):
    app = GameApp(store=store, language="ko", seed=0)
    async with app.run_test(size=(120, 40)) as pilot:
        await _open_level(pilot, app, "image-typo")
        play = app.screen
        await pilot.press("f9")  # the cluster view
        tree = play.query_one("#cluster")
        while tree.selected_pod != "shop":
            await pilot.press("down")
        await pilot.press("e")
        await pilot.pause()
        assert isinstance(app.screen, EditorScreen)
        area = app.screen.query_one("#editor-text")
        line = next(i for i, text in enumerate(area.text.splitlines()) if "image: ngnix" in text)
        await pilot.press(*["down"] * line, "end", *["left"] * len("ngnix:1.27"))
        await pilot.press("delete", "delete", "delete", "delete", "delete")
        await type_text(pilot, "nginx")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert app.screen is play
        assert "pod/shop edited" in output_text(app)
        await pilot.press("f7")  # skip to the next event, until the level is won
        for _ in range(10):
            if isinstance(app.screen, ResultScreen):
                break
            play.action_skip()
            await pilot.pause()
        assert isinstance(app.screen, ResultScreen)
        assert "레벨 클리어" in screen_text(app)
    assert store.results()["image-typo"].stars == 3


async def test_continue_resumes_the_level_where_it_was_left(store):
    app = GameApp(store=store, language="en", seed=5)
    async with app.run_test(size=(80, 24)) as pilot:
        await _open_level(pilot, app, "image-typo")
        await command(pilot, "sleep 90s")
        await command(pilot, "get pods")
        before = app.screen.game.run.cluster.dump_state()
        await pilot.press("escape")
        await pilot.pause()
    saved = store.saved_game()
    assert saved is not None and saved.level_id == "image-typo"
    app = GameApp(store=store, language="en")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        # Continue names the level once the pack has loaded on its thread.
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert "Continue: " in screen_text(app)
        await pilot.press("enter")  # Continue is highlighted when there is a game to continue
        await pilot.pause()
        assert isinstance(app.screen, PlayScreen)
        assert app.screen.game.run.cluster.dump_state() == before
        assert app.screen.query_one("#prompt").history[-1] == "get pods"


async def test_edit_at_the_prompt_opens_the_editor_and_a_missing_object_gets_kubectls_error(store):
    app = GameApp(store=store, language="en", seed=0)
    async with app.run_test(size=(80, 24)) as pilot:
        await _open_level(pilot, app, "image-typo")
        await command(pilot, "edit pod nope")
        assert 'Error from server (NotFound): pods "nope" not found' in output_text(app)
        await command(pilot, "edit pod/shop")
        assert isinstance(app.screen, EditorScreen)
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, PlayScreen)


async def test_reset_asks_first_and_keeps_the_hints_already_taken(store):
    from k8sgame.tui.screens.confirm import ConfirmScreen

    app = GameApp(store=store, language="en", seed=0)
    async with app.run_test(size=(120, 40)) as pilot:
        await _open_level(pilot, app, "liveness-wrong-port")
        play = app.screen
        await pilot.press("f2")
        await command(pilot, "sleep 1m")
        await command(pilot, "delete pod web")
        for cancel in (["escape"], ["enter"]):  # esc, or Enter on Cancel (focused first)
            await pilot.press("f8")
            await pilot.pause()
            assert isinstance(app.screen, ConfirmScreen)
            assert "Hints taken so far still count: 1." in screen_text(app)
            await pilot.press(*cancel)
            await pilot.pause()
            assert app.screen is play
            assert play.game.run.cluster.now - play.game.run.start >= 60
        await pilot.press("f8")
        await pilot.pause()
        await pilot.press("shift+tab", "enter")  # onto Reset
        await pilot.pause()
        assert app.screen is play
        run = play.game.run
        assert run.cluster.now == run.start
        assert (run.tally.hints, run.tally.commands) == (1, 0)
        assert "The level was reset to its start." in output_text(app)
        assert [pod["metadata"]["name"] for pod in run.cluster.store.view("Pod", "default")] == [
            "web"
        ]
        await pilot.press("f2")
        await pilot.pause()
        assert "Hint 2:" in output_text(app)
    saved = store.saved_game()
    assert [action["kind"] for action in saved.log] == ["hint", "hint"]
