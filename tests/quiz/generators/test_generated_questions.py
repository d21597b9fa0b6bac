"""Every registered generator makes a well-formed question for any seed."""

import math

from hypothesis import given, settings
from hypothesis import strategies as st

from k8sgame.quiz.generators import GENERATORS, generate


@settings(max_examples=15, deadline=None)
@given(st.sampled_from(sorted(GENERATORS)), st.integers(0, 2**31 - 1))
def test_every_generator_makes_a_valid_question(name, seed):
    question = generate(name, seed)
    assert question.generator == name and question.seed == seed
    assert question.id == f"{name}-{seed}"
    assert question.prompt.en.strip() and question.prompt.ko.strip()
    assert question.explanation.en.strip() and question.explanation.ko.strip()
    assert set(question.concepts) <= set(GENERATORS[name].concepts)
    assert 1 <= question.difficulty <= 5
    if question.kind == "single":
        assert sum(option.correct for option in question.options) == 1
    if question.kind in ("single", "multiple"):
        texts = [option.text for option in question.options]
        assert len(set(texts)) == len(texts) >= 2
    if question.kind == "numeric":
        assert math.isfinite(question.number) and question.tolerance >= 0
