"""The play screen (and the sandbox): goal, cluster, terminal, events, prompt and clock."""

from __future__ import annotations

import time

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import Screen
from textual.widgets import Footer, Input, RichLog, Static

from k8sgame.content.prompt_words import EDIT, EDITORS
from k8sgame.content.prose import reflow
from k8sgame.engine.timefmt import go_duration
from k8sgame.kubectl.completion import Kind, Snapshot, complete
from k8sgame.kubectl.result import Result
from k8sgame.levels.model import Level
from k8sgame.levels.play import Action
from k8sgame.play.session import SKIP_LIMIT, PlaySession
from k8sgame.tui.actions import localize
from k8sgame.tui.text import ui
from k8sgame.tui.typed_app import UsesGameApp
from k8sgame.tui.widgets.checklist import Checklist
from k8sgame.tui.widgets.cluster_tree import ClusterTree
from k8sgame.tui.widgets.events_pane import EventsPane
from k8sgame.tui.widgets.prompt import Prompt

SPEEDS = (1, 10, 60)
TICK = 0.1  # wall seconds between clock steps
SAVE_EVERY = 30  # ticks between saves of the time reached


def clock_text(seconds: float) -> str:
    whole = int(seconds)
    return f"{whole // 3600:02d}:{whole % 3600 // 60:02d}:{whole % 60:02d}"


class PlayScreen(UsesGameApp, Screen):
    CSS_PATH = "play.tcss"

    def __init__(
        self,
        level: Level,
        seed: int,
        *,
        sandbox: bool = False,
        log: tuple[Action, ...] = (),
        until: float | None = None,
    ) -> None:
        super().__init__()
        self.level = level
        self.seed = seed
        self.sandbox = sandbox
        self._log = log
        self._until = until
        self.running = True
        self.speed = SPEEDS[0]
        self._last_tick = 0.0
        self._ticks = 0
        self.game: PlaySession | None = None

    # -- building ---------------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        app = self.game_app
        language = app.language
        localize(self, "play", language)
        self.game = PlaySession(
            self.level,
            self.seed,
            language,
            app.store,
            sandbox=self.sandbox,
            log=self._log,
            until=self._until,
        )
        title = self.level.title.get(language)
        if self.sandbox and self.level.goal:
            title = ui("play.sandbox_of", language, title=title)
        with Horizontal(id="topbar"):
            yield Static(title, id="level-title", markup=False)
            yield Static("", id="clock", markup=False)
        with Horizontal(id="main"):
            with Vertical(id="left"):
                if not self.sandbox:
                    with VerticalScroll(id="goal-box"):
                        yield Checklist(language, id="goal")
                yield ClusterTree(language, id="cluster")
            with Vertical(id="right"):
                # min_width 1: lines wrap at the pane's width, not at RichLog's default of 78.
                yield RichLog(id="output", markup=False, wrap=True, highlight=False, min_width=1)
                with VerticalScroll(id="events-box"):
                    yield EventsPane(language, id="events")
        yield Prompt(
            list(app.store.history()),
            self.complete,
            id="prompt",
            placeholder=ui("play.prompt", language),
        )
        yield Footer(compact=True)

    def on_mount(self) -> None:
        language = self.game_app.language
        if not self.sandbox:
            self.query_one("#goal-box").border_title = ui("play.goal", language)
        self.query_one("#cluster").border_title = ui("play.cluster", language)
        self.query_one("#output").border_title = ui("play.terminal", language)
        self.query_one("#events-box").border_title = ui("play.events", language)
        self.running = self.game_app.clock_running
        self.show_briefing()
        self.refresh_views()
        self._last_tick = time.monotonic()
        self.set_interval(TICK, self.tick)
        self.query_one(Prompt).focus()

    # -- the clock --------------------------------------------------------------------------

    def tick(self) -> None:
        now = time.monotonic()
        elapsed = min(now - self._last_tick, 0.5)
        self._last_tick = now
        if not self.running or self.game is None or self.game_app.screen is not self:
            return
        self.playing.advance(elapsed * self.speed)
        self._ticks += 1
        if self._ticks % SAVE_EVERY == 0:
            self.playing.save()
        self.refresh_views()

    def refresh_views(self) -> None:
        game = self.game
        if game is None:
            return
        if not game.look_ahead_ready:
            # Once this answer is on screen, make the copy the next check looks ahead on.
            self.call_after_refresh(game.prepare_look_ahead)
        cluster = game.run.cluster
        language = self.game_app.language
        state = ui("play.running" if self.running else "play.paused", language)
        self.query_one("#clock", Static).update(
            ui(
                "play.clock",
                language,
                time=clock_text(cluster.now - game.run.start),
                state=state,
                speed=self.speed,
            )
        )
        namespace = self.level.cluster.namespace
        nodes = sorted(cluster.api.view("Node"), key=lambda n: n["metadata"]["name"])
        pods = sorted(cluster.api.view("Pod", namespace), key=lambda p: p["metadata"]["name"])
        self.query_one(ClusterTree).show(nodes, pods, cluster.now)
        self.query_one(EventsPane).show(list(cluster.api.view("Event", namespace)), cluster.now)
        if not self.sandbox:
            self.query_one(Checklist).show(game.checklist())
            if game.won and game.record_win(self.game_app.wall_clock()):
                self.running = False
                self.show_result()

    # -- output -----------------------------------------------------------------------------

    def write(self, text: str, style: str = "") -> None:
        self.query_one("#output", RichLog).write(Text(text.rstrip("\n"), style=style))

    def echo(self, line: str, result: Result, stdout_style: str = "") -> None:
        """A prompt line and what it printed, as a terminal shows them (warnings that did
        not fail the command in yellow, errors in red)."""
        self.write(f"$ {line}".rstrip(), "bold")
        error_style = "red" if result.exit_code else "yellow"
        for stream, text in result.pieces():
            self.write(text, stdout_style if stream == "stdout" else error_style)

    def show_briefing(self) -> None:
        language = self.game_app.language
        self.write(ui("play.briefing", language), "bold")
        self.write(reflow(self.level.briefing.get(language)))
        if self.level.choices and not self.sandbox:
            self.write(ui("play.choices", language), "bold")
            for choice in self.level.choices:
                self.write(f"[{choice.id}] {reflow(choice.question.get(language))}")
                for index, option in enumerate(choice.options):
                    letter = chr(ord("a") + index)
                    self.write(
                        ui("play.option", language, letter=letter, text=option.shown(language))
                    )

    @property
    def playing(self) -> PlaySession:
        """The game on this screen (there is one from mount on)."""
        if self.game is None:
            raise RuntimeError("the play screen has no game yet")
        return self.game

    # -- the prompt -------------------------------------------------------------------------

    def complete(self, line: str):
        return complete(line, self.snapshot())

    def snapshot(self) -> Snapshot:
        cluster = self.playing.run.cluster
        namespace = self.level.cluster.namespace
        kinds = []
        names: dict[str, tuple[str, ...]] = {}
        for info in cluster.api.registry.stored():
            kinds.append(Kind(info.plural, info.singular, tuple(info.short_names)))
            objects = cluster.api.view(info.kind, namespace if info.namespaced else None)
            found = tuple(sorted(obj["metadata"]["name"] for obj in objects))
            if found:
                names[info.plural] = found
        return Snapshot(
            tuple(kinds),
            names,
            names.get("namespaces", ()),
            tuple(sorted(self.playing.run.files)),
        )

    def on_prompt_candidates(self, message: Prompt.Candidates) -> None:
        self.write("  ".join(message.candidates), "dim")

    def on_input_submitted(self, event: Input.Submitted) -> None:
        line = event.value.strip()
        prompt = self.query_one(Prompt)
        prompt.value = ""
        if not line:
            return
        prompt.remember(line)
        self.game_app.store.add_history(line)
        self.run_line(line)

    def run_line(self, line: str) -> Result:
        words = line.split()
        # A few shell words for the working directory: ls, cat FILE, and an editor on FILE.
        if words[0] == EDIT.word or words[:2] == ["kubectl", "edit"]:
            # kubectl edit opens the game's editor, as kubectl opens $EDITOR.
            self.open_editor(target=line.split("edit", 1)[1].strip())
            return Result()
        if words[0] in EDITORS and len(words) == 2:
            self.open_editor(name=words[1])
            return Result()
        shell = self.playing.shell(words)
        if shell is not None:
            self.echo(line, shell)
            return shell
        result = self.playing.submit(line)
        shown = line[len("kubectl ") :] if line.startswith("kubectl ") else line
        if shown.split()[:1] in (["sleep"], ["hint"], ["answer"], ["trace"]):
            self.echo(shown, result, "cyan")
        else:
            self.echo(f"kubectl {shown}", result)
        self.refresh_views()
        return result

    # -- keys -------------------------------------------------------------------------------

    def action_back(self) -> None:
        self.playing.save()
        self.playing.leave(self.game_app.wall_clock())
        self.game_app.pop_screen()

    def action_concepts(self) -> None:
        """The concept browser at this level's first concept (from a line not met, say)."""
        from k8sgame.tui.screens.concepts import ConceptsScreen

        concepts = self.playing.level.concepts
        self.game_app.push_screen(ConceptsScreen(concepts[0] if concepts else None))

    def action_hint(self) -> None:
        if self.sandbox:
            self.write(ui("play.no_hints_in_sandbox", self.game_app.language), "yellow")
            return
        self.write(self.playing.hint(), "bold cyan")
        self.refresh_views()

    def action_briefing(self) -> None:
        self.show_briefing()

    def action_pause(self) -> None:
        self.running = not self.running
        self.refresh_views()

    def action_speed(self) -> None:
        self.speed = SPEEDS[(SPEEDS.index(self.speed) + 1) % len(SPEEDS)]
        self.refresh_views()

    def action_skip(self) -> None:
        seconds = self.playing.skip_to_next_event()
        key = "play.skipped" if seconds < SKIP_LIMIT else "play.nothing_happened"
        self.write(ui(key, self.game_app.language, seconds=go_duration(round(seconds))), "dim")
        self.refresh_views()

    def action_reset(self) -> None:
        """Ask first: a reset throws away every command and change made so far."""
        from k8sgame.tui.screens.confirm import ConfirmScreen

        language = self.game_app.language
        question = ui("play.reset_question", language)
        if not self.sandbox:
            question += "\n" + ui("play.reset_hints", language, hints=self.playing.run.tally.hints)
        self.game_app.push_screen(
            ConfirmScreen(question, ui("play.reset_confirm", language)), self._reset_answered
        )

    def _reset_answered(self, confirmed: bool | None) -> None:
        if confirmed:
            self.reset()

    def reset(self) -> None:
        self.game = self.playing.restarted()
        self.query_one("#output", RichLog).clear()
        self.write(ui("play.reset", self.game_app.language), "bold")
        self.show_briefing()
        self.refresh_views()

    def action_focus_cluster(self) -> None:
        self.query_one(ClusterTree).focus()

    def action_focus_prompt(self) -> None:
        self.query_one(Prompt).focus()

    def _pod_command(self, command: str) -> None:
        pod = self.query_one(ClusterTree).selected_pod
        if pod is None:
            self.write(ui("play.select_pod", self.game_app.language), "yellow")
            return
        result = self.run_line(command.format(pod=pod))
        from k8sgame.tui.screens.viewer import ViewerScreen

        self.game_app.push_screen(ViewerScreen(command.format(pod=pod), result))

    def action_describe(self) -> None:
        self._pod_command("describe pod {pod}")

    def action_logs(self) -> None:
        self._pod_command("logs {pod}")

    def action_previous(self) -> None:
        self._pod_command("logs {pod} --previous")

    def action_yaml(self) -> None:
        self._pod_command("get pod {pod} -o yaml")

    def action_edit(self) -> None:
        pod = self.query_one(ClusterTree).selected_pod
        if pod is None:
            self.write(ui("play.select_pod", self.game_app.language), "yellow")
            return
        self.open_editor(target=f"pod/{pod}")

    def action_new_manifest(self) -> None:
        files = sorted(self.playing.run.files)
        self.open_editor(name=files[0] if files else "manifest.yaml")

    def open_editor(self, target: str | None = None, name: str = "manifest.yaml") -> None:
        from k8sgame.tui.screens.editor import EditorScreen

        if target is not None:
            opened = self.playing.open_edit(target)
            if isinstance(opened, Result):
                self.echo(f"kubectl edit {target}", opened)
                return
            screen = EditorScreen(self.playing, target=target, text=opened.text)
        else:
            screen = EditorScreen(self.playing, name=name)
        was_running = self.running
        self.running = False  # time stops while the editor is open

        def closed(result: tuple[str, Result] | None) -> None:
            self.running = was_running
            self._last_tick = time.monotonic()
            if result is not None:
                command, outcome = result
                if command.startswith("#"):
                    self.write(outcome.stdout, "dim")
                else:
                    self.echo(f"kubectl {command}", outcome)
            self.refresh_views()

        self.game_app.push_screen(screen, closed)

    def show_result(self) -> None:
        from k8sgame.tui.screens.result import ResultScreen

        win = self.playing.run.win
        if win is not None:
            self.game_app.push_screen(ResultScreen(self.level, win))

    def on_unmount(self) -> None:
        if self.game is not None:
            self.playing.save()
