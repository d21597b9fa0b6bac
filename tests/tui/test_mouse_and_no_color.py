"""The mouse works where a player would reach for it, and NO_COLOR leaves a readable, colourless
screen (state in words, not colour)."""

from pilot_helpers import command, screen_text

from k8sgame.levels.pack import find_level
from k8sgame.tui.app import GameApp
from k8sgame.tui.screens.campaign import CampaignScreen
from k8sgame.tui.screens.play import PlayScreen
from k8sgame.tui.screens.viewer import ViewerScreen
from k8sgame.tui.widgets.cluster_tree import ClusterTree


async def _level_with_a_running_pod(pilot, app):
    app.play(find_level("liveness-wrong-port"))
    await pilot.pause()
    app.screen.action_pause()
    await command(pilot, "sleep 30s")


async def test_clicking_the_menu_the_cluster_tree_and_the_footer(store):
    app = GameApp(store=store, language="en", seed=0)
    async with app.run_test(size=(100, 30)) as pilot:
        await app.workers.wait_for_complete()
        await pilot.pause()
        # The menu's second line (inside its border) is Campaign.
        await pilot.click("#menu", offset=(4, 2))
        await pilot.pause()
        assert isinstance(app.screen, CampaignScreen)
        await pilot.press("escape")
        await pilot.pause()

        await _level_with_a_running_pod(pilot, app)
        play = app.screen
        tree = play.query_one(ClusterTree)
        line = next(
            index
            for index in range(tree.last_line + 1)
            if (node := tree.get_node_at_line(index)) is not None and node.data == "web"
        )
        await pilot.click(ClusterTree, offset=(8, line + 1))  # + 1: the box's top border
        await pilot.pause()
        assert tree.selected_pod == "web"
        await pilot.press("d")
        await pilot.pause()
        assert isinstance(app.screen, ViewerScreen)
        await pilot.pause()
        assert "Name:             web" in screen_text(app)  # describe opens at its top
        await pilot.press("escape")
        await pilot.pause()
        assert app.screen is play

        # A key in the footer is a button: F2 asks for the first hint.
        hint_key = next(key for key in play.query("FooterKey") if key.action == "hint")
        await pilot.click(hint_key, offset=(1, 0))
        await pilot.pause()
        assert play.game.run.tally.hints == 1


async def test_no_color_leaves_only_greys_and_keeps_the_state_in_words(store, monkeypatch):
    monkeypatch.setenv("NO_COLOR", "1")
    app = GameApp(store=store, language="en", seed=0)
    async with app.run_test(size=(120, 40)) as pilot:
        await _level_with_a_running_pod(pilot, app)
        await command(pilot, "sleep 3m")
        assert isinstance(app.screen, PlayScreen)
        strips = app.screen._compositor.render_strips()
        colours = {
            colour.triplet
            for strip in strips
            for segment in strip
            if segment.style is not None
            for colour in (segment.style.color, segment.style.bgcolor)
            if colour is not None and colour.triplet is not None
        }
        assert colours and all(red == green == blue for red, green, blue in colours)
        shown = screen_text(app)
        assert "CrashLoopBackOff" in shown or "Running" in shown
        assert "✘" in shown or "…" in shown


async def test_a_cordoned_node_is_marked_in_words_and_with_a_sign(store):
    app = GameApp(store=store, language="en", seed=0, clock_running=False)
    async with app.run_test(size=(120, 40)) as pilot:
        app.open_sandbox()
        await pilot.pause()
        await command(pilot, "cordon node-1")
        shown = screen_text(app)
        assert "node-1  ⚠ Ready,SchedulingDisabled" in shown
        assert "node-2  Ready" in shown
