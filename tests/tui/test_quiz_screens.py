"""The quiz, the concept browser and the progress screen in the game: reached from home's
destinations, played with keys to a report, wrong answers due again for review."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from pilot_helpers import screen_text

from k8sgame.quiz.practice import Asked
from k8sgame.quiz.reviews import stamp
from k8sgame.tui.app import GameApp
from k8sgame.tui.screens.concepts import ConceptsScreen
from k8sgame.tui.screens.progress import ProgressScreen
from k8sgame.tui.screens.quiz import QuizScreen
from k8sgame.tui.screens.quiz_menu import QuizMenuScreen

NOW = datetime(2026, 12, 7, 9, 0, tzinfo=UTC)


def _app(store, language="en", now=None):
    app = GameApp(store=store, language=language, seed=3, clock_running=False)
    clock = now if now is not None else [NOW]
    app.wall_clock = lambda: clock[0]  # type: ignore[method-assign]
    return app


async def _open(pilot, destination):
    """Choose a destination in home's menu."""
    menu = pilot.app.screen.query_one("#menu")
    menu.highlighted = [o.id for o in menu.options].index(destination)
    await pilot.press("enter")
    await pilot.pause()


async def _answer_current(pilot, right: bool):
    """Answer the question on screen, rightly or wrongly, from the question's own answer."""
    screen = pilot.app.screen
    asked: Asked = screen.practice.current
    question = asked.question
    if question.kind == "single":
        right_index = next(i for i, o in enumerate(question.options) if o.correct)
        target = right_index if right else next(i for i in asked.shown if i != right_index)
        await pilot.press(*["down"] * asked.shown.index(target), "enter")
    else:
        letters = "abcdefghij"
        if question.kind == "multiple":
            wanted = [i for i, o in enumerate(question.options) if o.correct == right]
            text = " ".join(letters[asked.shown.index(i)] for i in wanted) or "a"
        elif question.kind == "ordering":
            order = list(range(len(question.steps)))
            if not right:
                order.reverse()
            text = " ".join(letters[asked.shown.index(i)] for i in order)
        elif question.kind == "numeric":
            text = f"{question.number + (0 if right else 1000):g}"
        else:
            text = question.model_answer.en if right else "no idea"
        screen.query_one("#quiz-answer").value = text
        await pilot.press("enter")
    await pilot.pause()


async def test_home_lists_every_destination_and_the_reviews_due(store):
    store.save_review_card("iv-etcd", 1, "{}", stamp(NOW - timedelta(hours=1)))
    app = _app(store)
    async with app.run_test(size=(100, 40)) as pilot:
        await pilot.pause()
        shown = screen_text(app)
        for name in ("Campaign", "Sandbox", "Quiz", "Concepts", "Progress", "Settings", "Help"):
            assert name in shown
        assert "1 review(s) due today" in shown


async def test_a_practice_session_is_answered_with_keys_to_its_report(store):
    app = _app(store)
    async with app.run_test(size=(100, 40)) as pilot:
        await _open(pilot, "quiz")
        assert isinstance(app.screen, QuizMenuScreen)
        assert "Reviews: nothing due now" in screen_text(app)
        await pilot.press("enter")  # Practice: every topic
        await pilot.pause()
        assert isinstance(app.screen, QuizScreen)
        assert "Question 1 of 10 · " in screen_text(app)
        for number in range(10):
            await _answer_current(pilot, right=number % 2 == 0)
            shown = screen_text(app)
            assert ("✓ Right." if number % 2 == 0 else "✗ Not quite.") in shown
            await pilot.press("enter")  # Next (or See the result)
            await pilot.pause()
        shown = screen_text(app)
        assert "Score: 5 of 10" in shown and "To study next:" in shown
        answers = store.answers()
        assert [a.correct for a in answers] == [n % 2 == 0 for n in range(10)]
        assert {a.source for a in answers} == {"quiz"}
        # Every wrong answer is a review card, due a minute later.
        assert len(store.due_items(stamp(NOW + timedelta(minutes=1)))) == 5


async def test_a_typed_answer_that_cannot_be_read_is_told_and_asked_again(store):
    app = _app(store)
    async with app.run_test(size=(100, 40)) as pilot:
        await _open(pilot, "quiz")
        await pilot.press("enter")
        await pilot.pause()
        while app.screen.practice.current.question.kind == "single":
            await _answer_current(pilot, right=True)
            await pilot.press("enter")
            await pilot.pause()
        question = app.screen.practice.current.question
        answered = len(app.screen.practice.answers)
        app.screen.query_one("#quiz-answer").value = "" if question.kind == "short" else "zz"
        await pilot.press("enter")
        await pilot.pause()
        assert len(app.screen.practice.answers) == answered
        assert app.screen.practice.current.question is question
        assert ("type an answer" if question.kind == "short" else "answer with") in screen_text(app)


async def test_a_mock_interview_ends_when_its_time_is_up(store):
    now = [NOW]
    app = _app(store, now=now)
    async with app.run_test(size=(100, 40)) as pilot:
        await _open(pilot, "quiz")
        menu = app.screen.query_one("#quiz-menu")
        await pilot.press(*["down"] * [o.id for o in menu.options].index("mock"), "enter")
        await pilot.pause()
        assert "Question 1 of 10 · " in screen_text(app) and "20:00 left" in screen_text(app)
        await _answer_current(pilot, right=True)
        await pilot.press("enter")
        await pilot.pause()
        now[0] += timedelta(minutes=21)
        app.screen.tick()
        await pilot.pause()
        shown = screen_text(app)
        assert "Time is up: 9 question(s) not answered count as wrong." in shown
        assert "Score: 1 of 10" in shown
        assert [a.source for a in store.answers()] == ["mock"]


async def test_a_wrong_answer_comes_back_in_a_review_session(store):
    now = [NOW]
    app = _app(store, now=now)
    async with app.run_test(size=(100, 40)) as pilot:
        await _open(pilot, "quiz")
        await pilot.press("enter")
        await pilot.pause()
        first = app.screen.practice.current.question.id
        await _answer_current(pilot, right=False)
        await pilot.press("escape", "escape")
        await pilot.pause()
        now[0] += timedelta(minutes=2)
        await _open(pilot, "quiz")
        menu = app.screen.query_one("#quiz-menu")
        assert "Reviews: 1 due" in screen_text(app)
        await pilot.press(*["down"] * [o.id for o in menu.options].index("reviews"), "enter")
        await pilot.pause()
        assert app.screen.practice.current.question.id == first
        await _answer_current(pilot, right=True)
        assert [a.source for a in store.answers()] == ["quiz", "review"]


async def test_the_concept_browser_shows_levels_and_practises_a_concept(store):
    app = _app(store, language="ko")
    async with app.run_test(size=(120, 40)) as pilot:
        app.push_screen(ConceptsScreen("liveness-probe"))
        await pilot.pause()
        shown = screen_text(app)
        assert "레벨:" in shown and "문제:" in shown
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, QuizScreen)
        assert all("liveness-probe" in a.question.concepts for a in app.screen.practice.asked)


async def test_the_progress_screen_shows_accuracy_by_area_and_the_streak(store):
    from k8sgame.quiz.loader import load_banks
    from k8sgame.quiz.practice import items_for

    etcd = items_for(load_banks(), "etcd")[0].id  # an item of the architecture area only
    store.record_answer(etcd, stamp(NOW - timedelta(days=1)), True, 1.0, "quiz")
    store.record_answer(etcd, stamp(NOW), False, 0.0, "quiz")
    app = _app(store)
    async with app.run_test(size=(100, 40)) as pilot:
        await _open(pilot, "progress")
        assert isinstance(app.screen, ProgressScreen)
        shown = screen_text(app)
        assert "Streak: 2 day(s) in a row with an answer" in shown
        assert "How a cluster is built: 1 of 2 right (50%)" in shown


async def test_a_failed_goal_line_leads_to_the_concepts_and_comes_back_as_a_review(store):
    from k8sgame.levels.pack import find_level
    from k8sgame.tui.screens.play import PlayScreen

    now = [NOW]
    app = _app(store, now=now)
    level = find_level("liveness-wrong-port")
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        app.play(level)
        await pilot.pause()
        assert "✘" in screen_text(app)  # the restarts line is not met
        await pilot.press("f10")
        await pilot.pause()
        assert isinstance(app.screen, ConceptsScreen)
        first = level.concepts[0]
        assert app.screen.query_one("#concepts-list").highlighted_option.id == first
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, PlayScreen)
        await pilot.press("escape")  # leave the level unwon
        await pilot.pause()
        now[0] += timedelta(minutes=2)
        await _open(pilot, "quiz")
        shown = screen_text(app)
        assert f"Review: replay the level “{level.title.en}”" in shown
        menu = app.screen.query_one("#quiz-menu")
        menu.highlighted = [o.id for o in menu.options].index(f"level:{level.id}")
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, PlayScreen) and app.screen.playing.level.id == level.id


async def test_markup_in_a_bank_is_shown_as_text(store):
    from dataclasses import replace

    from quiz_helpers import SINGLE

    from k8sgame.content.text import Text

    tricky = replace(
        SINGLE,
        prompt=Text("Is [bold]this[/] bold?", "[red]빨강[/]?"),
        options=(
            replace(SINGLE.options[0], text=Text("[link=http://x]y[/]", "[link=http://x]y[/]")),
            SINGLE.options[1],
        ),
    )
    app = _app(store)
    async with app.run_test(size=(100, 30)) as pilot:
        app.push_screen(QuizScreen([Asked(tricky, (0, 1))], "quiz"))
        await pilot.pause()
        shown = screen_text(app)
        assert "Is [bold]this[/] bold?" in shown
        assert "a) [link=http://x]y[/]" in shown


async def test_the_palette_offers_every_place_and_in_a_level_its_concepts(store):
    from k8sgame.levels.pack import find_level

    app = _app(store, language="ko")
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        titles = [command.title for command in app.get_system_commands(app.screen)]
        for place in ("캠페인", "퀴즈", "개념", "진행 상황", "설정"):
            assert f"이동: {place}" in titles
        assert "이 레벨의 개념" not in titles
        app.play(find_level("liveness-wrong-port"))
        await pilot.pause()
        commands = {c.title: c for c in app.get_system_commands(app.screen)}
        commands["이 레벨의 개념"].callback()
        await pilot.pause()
        assert isinstance(app.screen, ConceptsScreen)
