"""Grading every question kind: right, wrong, partial credit, and key points a short answer
missed — in English and in Korean with its own spacing and particles."""

from __future__ import annotations

from dataclasses import replace

from hypothesis import given, settings
from hypothesis import strategies as st
from quiz_helpers import MULTIPLE, NUMERIC, ORDERING, SHORT, SINGLE

from k8sgame.quiz.grading import grade


def test_single_and_numeric():
    assert grade(SINGLE, 0).correct and not grade(SINGLE, 1).correct
    assert not grade(SINGLE, 5).correct and not grade(SINGLE, True).correct
    assert grade(NUMERIC, 40).correct and grade(NUMERIC, 40.0).correct
    assert not grade(NUMERIC, 39).correct
    assert grade(replace(NUMERIC, tolerance=1.5), 38.5).correct


def test_multiple_needs_every_right_option_and_no_other():
    assert grade(MULTIPLE, frozenset({0, 1})).correct
    half = grade(MULTIPLE, frozenset({0}))
    assert (half.correct, half.score) == (False, 0.5)
    assert grade(MULTIPLE, frozenset({0, 1, 2})).score == 0.5
    assert grade(MULTIPLE, frozenset({2, 3})).score == 0.0


def test_ordering_gives_credit_for_pairs_in_order():
    assert grade(ORDERING, (0, 1, 2, 3)).correct
    swapped = grade(ORDERING, (1, 0, 2, 3))
    assert not swapped.correct and swapped.score == 5 / 6
    assert grade(ORDERING, (3, 2, 1, 0)).score == 0.0
    assert not grade(ORDERING, (0, 1, 2)).correct  # every step must be placed
    assert not grade(ORDERING, (0, 0, 1, 2)).correct


def test_short_answers_in_english_and_korean():
    assert grade(SHORT, "The API server stores it in etcd").correct
    assert grade(SHORT, "kube-apiserver가 etcd에 저장하고, 스케줄러가 노드를 고릅니다").correct
    assert grade(SHORT, "API서버가 etcd에 씁니다").correct
    missed = grade(SHORT, "etcdctl and the kubelet")
    assert not missed.correct and missed.score == 0.0
    assert [label.en for label in missed.missed] == ["API server", "etcd", "scheduler"]
    one = grade(SHORT, "스 케 줄 러")
    assert not one.correct and one.score == 1 / 3


def test_a_response_of_the_wrong_shape_is_wrong_not_an_error():
    for question in (SINGLE, MULTIPLE, ORDERING, NUMERIC, SHORT):
        for response in ("x", 1, 2.5, frozenset({9}), (9,)):
            assert 0.0 <= grade(question, response).score <= 1.0


_HANGUL_PARTICLES = st.sampled_from(
    ["", "은", "는", "이", "가", "을", "를", "의", "에", "에서", "으로"]
)


@settings(max_examples=200, deadline=None)
@given(
    particles=st.lists(_HANGUL_PARTICLES, min_size=3, max_size=3),
    spaces=st.lists(st.sampled_from(["", " ", "  ", "\n"]), min_size=4, max_size=4),
    filler=st.text(alphabet="가나다라 .,!?", max_size=30),
)
def test_korean_spacing_and_particles_never_fail_a_right_answer(particles, spaces, filler):
    answer = (
        f"{filler}API{spaces[0]}서버{particles[0]} etcd{particles[1]} "
        f"스{spaces[1]}케{spaces[2]}줄러{particles[2]}{spaces[3]}{filler}"
    )
    assert grade(SHORT, answer).correct


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=300))
def test_any_text_is_graded_without_error(answer):
    result = grade(SHORT, answer)
    assert 0.0 <= result.score <= 1.0
    assert result.correct == (result.score >= 2 / 3)
