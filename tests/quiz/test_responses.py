"""Reading typed responses: letters for shuffled options, an order of letters, numbers and
durations; anything else gets a message in the player's language, never a traceback."""

from __future__ import annotations

from dataclasses import replace

import pytest
from hypothesis import given
from hypothesis import strategies as st
from quiz_helpers import MULTIPLE, NUMERIC, ORDERING, SHORT, SINGLE

from k8sgame.quiz.grading import grade
from k8sgame.quiz.responses import ResponseError, parse_response, shown_order


def test_letters_name_the_shown_options():
    shown = (1, 0)  # b is shown first
    assert parse_response(SINGLE, "a", shown) == 1
    assert parse_response(SINGLE, " B ", shown) == 0
    assert grade(SINGLE, parse_response(SINGLE, "b", shown)).correct
    shown = (3, 2, 1, 0)
    assert parse_response(MULTIPLE, "c, d", shown) == frozenset({1, 0})
    assert parse_response(MULTIPLE, "dc", shown) == frozenset({0, 1})


def test_an_order_names_every_letter_once():
    shown = (2, 0, 3, 1)
    assert parse_response(ORDERING, "b d a c", shown) == (0, 1, 2, 3)
    with pytest.raises(ResponseError) as caught:
        parse_response(ORDERING, "b d a", shown)
    assert caught.value.reason.render("en") == (
        "put every letter from a to d in order, each once (for example: c a b)"
    )
    assert "a부터 d까지" in caught.value.reason.render("ko")


def test_numbers_and_durations():
    assert parse_response(NUMERIC, "40") == 40.0
    assert parse_response(NUMERIC, "40s") == 40.0
    assert parse_response(NUMERIC, "40 초") == 40.0
    assert parse_response(NUMERIC, "1m30s") == 90.0
    assert parse_response(NUMERIC, "25%") == parse_response(NUMERIC, "25 퍼센트") == 25.0
    with pytest.raises(ResponseError):
        parse_response(replace(NUMERIC, unit=""), "1m30s")
    with pytest.raises(ResponseError) as caught:
        parse_response(NUMERIC, "forty")
    assert caught.value.reason.render("ko") == "숫자로 답하세요"


def test_bad_letters_and_empty_answers():
    with pytest.raises(ResponseError) as caught:
        parse_response(SINGLE, "c", (0, 1))
    assert caught.value.reason.render() == "answer with option letters from a to b"
    with pytest.raises(ResponseError):
        parse_response(SINGLE, "ab", (0, 1))
    with pytest.raises(ResponseError):
        parse_response(SHORT, "   ")
    assert parse_response(SHORT, " etcd ") == "etcd"


def test_shown_order_is_fixed_by_the_seed_and_never_gives_the_order_away():
    assert shown_order(ORDERING, 7) == shown_order(ORDERING, 7)
    orders = {shown_order(ORDERING, seed) for seed in range(30)}
    assert len(orders) > 5 and (0, 1, 2, 3) not in orders
    assert sorted(shown_order(MULTIPLE, 3)) == [0, 1, 2, 3]


@given(st.text(max_size=100), st.integers(0, 50))
def test_any_typed_text_is_a_response_or_a_response_error(text, seed):
    for question in (SINGLE, MULTIPLE, ORDERING, NUMERIC, SHORT):
        try:
            response = parse_response(question, text, shown_order(question, seed))
        except ResponseError as error:
            assert error.reason.render("ko")
        else:
            assert 0.0 <= grade(question, response).score <= 1.0
