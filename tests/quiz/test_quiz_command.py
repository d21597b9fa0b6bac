"""``k8sgame quiz`` in a terminal: a seeded session asked, graded and reported, in English and
Korean; bad topics and broken banks get a message, never a traceback."""

from __future__ import annotations

import io
from datetime import UTC, datetime, timedelta

import pytest
from rich.console import Console
from test_bank_loader import BANK

from k8sgame.content.text import SCREEN_WORDS, message
from k8sgame.progress.store import in_memory
from k8sgame.quiz.commands import main


@pytest.fixture
def banks(tmp_path):
    (tmp_path / "sample.yaml").write_text(BANK, encoding="utf-8")
    return tmp_path


def _run(monkeypatch, args, typed, **kwargs):
    monkeypatch.setattr("sys.stdin", io.StringIO(typed))
    out = io.StringIO()
    code = main(args, Console(file=out, width=200, color_system=None), **kwargs)
    return code, out.getvalue()


def _session(monkeypatch, banks, typed, language="en"):
    return _run(
        monkeypatch,
        [
            "--banks",
            str(banks),
            "--seed",
            "3",
            "--count",
            "3",
            "--topic",
            "architecture",
            "--lang",
            language,
        ],
        typed,
        levels_for=lambda concept, language: [f"level about {concept}"],
    )


def test_a_seeded_session_is_asked_graded_and_reported(monkeypatch, banks):
    typed = "a\na key-value store for the cluster state\nc\nc b a\n"
    code, out = _session(monkeypatch, banks, typed)
    assert code == 0
    # The architecture area holds three of the sample's items: seed 3 asks them in this order,
    # with the options shuffled by the seed.
    first, second, third = (
        out.index(text)
        for text in ("Where is cluster state stored?", "What is etcd?", "Order them")
    )
    assert first < second < third
    assert "  a) the kubelet\n  b) etcd\n(one letter)\n> ✗ Not quite.\nThe answer: b) etcd\n" in out
    assert "(answer in a few words, in English or Korean)\n> ✓ Right.\n" in out
    assert "A good answer: A key-value store for cluster state." in out
    # "c" alone is not an order of three steps, so the question is asked again.
    assert "  a) etcd\n  b) API server\n  c) kubectl\n" in out
    assert "> answer with option letters from a to c" not in out
    assert (
        "put every letter from a to c in order, each once (for example: c a b)\n> ✓ Right." in out
    )
    assert "Score: 2 of 3" in out
    assert "  - etcd: 1 of 2 right; levels: level about etcd" in out
    assert (
        "k8sgame quiz --topic architecture --seed 3 --count 3 asks the same questions again." in out
    )


def test_the_same_seed_asks_the_same_questions_in_korean_too(monkeypatch, banks):
    _, first = _session(monkeypatch, banks, "")
    _, again = _session(monkeypatch, banks, "")
    assert first == again
    _, korean = _session(monkeypatch, banks, "", language="ko")
    assert "3문제 중 1번" in korean and "클러스터 상태는 어디에 저장되나요?" in korean
    assert "점수: 0문제 중 0개 정답" in korean


def test_end_of_input_stops_with_a_report(monkeypatch, banks):
    code, out = _session(monkeypatch, banks, "")
    assert code == 0 and "Score: 0 of 0" in out


def test_bad_topics_and_broken_banks(monkeypatch, banks, tmp_path_factory):
    code, out = _run(monkeypatch, ["--banks", str(banks), "--topic", "nope"], "")
    assert code == 2
    assert 'error: unknown topic "nope": use a concept or an area from "k8sgame quiz topics"' in out
    broken = tmp_path_factory.mktemp("broken")
    (broken / "sample.yaml").write_text(BANK.replace("difficulty: 1", "difficulty: 9"), "utf-8")
    code, out = _run(monkeypatch, ["--banks", str(broken)], "")
    assert code == 1
    assert "the question banks could not be loaded:" in out
    assert "sample.yaml:6:17: questions[0].difficulty: must be at most 5, got 9" in out


def test_topics_lists_areas_and_concepts_with_their_counts(monkeypatch, banks):
    code, out = _run(monkeypatch, ["topics", "--banks", str(banks)], "")
    assert code == 0
    assert "architecture (3)" in out
    assert "  etcd (2): etcd" in out


def test_wrong_answers_come_back_for_review_when_due(monkeypatch, banks):
    store = in_memory()
    now = [datetime(2026, 12, 7, 9, 0, tzinfo=UTC)]
    args = ["--banks", str(banks), "--seed", "3", "--count", "3", "--topic", "architecture"]
    code, _ = _run(
        monkeypatch,
        args,
        "a\na key-value store for the cluster state\nc b a\n",
        book=store,
        clock=lambda: now[0],
    )
    assert code == 0
    assert [(a.item_id, a.correct, a.source) for a in store.answers()] == [
        ("which-stores-state", False, "quiz"),
        ("what-is-etcd", True, "quiz"),
        ("chain", True, "quiz"),
    ]
    review = ["review", "--banks", str(banks), "--seed", "3"]
    code, out = _run(monkeypatch, review, "", book=store, clock=lambda: now[0])
    assert "Nothing is due for review now." in out
    now[0] += timedelta(minutes=1)  # the first learning step
    code, out = _run(monkeypatch, review, "b\n", book=store, clock=lambda: now[0])
    assert "Question 1 of 1" in out and "Where is cluster state stored?" in out
    assert "✓ Right." in out and "Score: 1 of 1" in out
    assert [a.source for a in store.answers()][-1] == "review"
    code, out = _run(monkeypatch, review, "", book=store, clock=lambda: now[0])
    assert "Nothing is due for review now." in out


def test_a_progress_notice_is_told_in_the_players_language(monkeypatch, banks):
    notice = message("progress.unwritable", None, table=SCREEN_WORDS, path="/x", detail="denied")
    _, out = _run(monkeypatch, ["topics", "--banks", str(banks), "--lang", "ko"], "", notice=notice)
    assert out.startswith("/x에 진행 상황을 저장할 수 없습니다(denied).")


class _TimedInput(io.StringIO):
    """Typed lines that each take the player 70 seconds."""

    def __init__(self, text, now):
        super().__init__(text)
        self.now = now

    def readline(self, *args):
        self.now[0] += timedelta(seconds=70)
        return super().readline(*args)


def test_a_mock_interview_shows_the_clock_and_ends_when_time_is_up(monkeypatch, banks):
    now = [datetime(2026, 12, 7, 9, 0, tzinfo=UTC)]
    # Seed 5 asks the back-off number first, then the QoS question.
    monkeypatch.setattr("sys.stdin", _TimedInput("40\nb\nb\n", now))
    out = io.StringIO()
    args = ["mock", "--banks", str(banks), "--seed", "5", "--count", "3", "--minutes", "2"]
    code = main(args, Console(file=out, width=200, color_system=None), clock=lambda: now[0])
    text = out.getvalue()
    assert code == 0
    assert text.startswith("Mock interview: 3 questions from every topic in 2 minutes.")
    assert "Question 1 of 3 · " in text and " · 2:00 left" in text
    assert " · 0:50 left" in text  # the second question, 70 s later
    assert "Question 3 of 3" not in text  # the second answer came after the deadline
    assert "Time is up: 2 question(s) not answered count as wrong." in text
    assert "Seconds before the 3rd restart?\n\n(seconds: 40, 40s or 1m30s)\n> ✓ Right." in text
    assert "Score: 1 of 3" in text


def test_a_mock_interview_mixes_the_areas():
    from k8sgame.quiz.loader import load_bank_text
    from k8sgame.quiz.practice import mixed

    items = list(load_bank_text(BANK, "sample.yaml").items)
    asked = mixed(items, 2, seed=1)
    areas = {a.question.concepts[0] for a in asked}
    # The sample has architecture items (etcd, pod-creation-flow) and others
    # (crashloopbackoff, qos-classes): two questions come from two areas.
    assert len(asked) == 2 and len(areas) == 2


def test_reviews_of_levels_are_pointed_to_the_game(monkeypatch, banks):
    store = in_memory()
    store.save_review_card("level:first-pod", 1, "{}", "2026-12-07T08:00:00.000000Z")
    now = datetime(2026, 12, 7, 9, 0, tzinfo=UTC)
    code, out = _run(
        monkeypatch, ["review", "--banks", str(banks)], "", book=store, clock=lambda: now
    )
    assert code == 0
    assert out == "1 more review(s) due are levels to replay: open Quiz in the game (k8sgame).\n"
