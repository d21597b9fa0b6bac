"""The short-answer normaliser: what counts as saying a key point."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from k8sgame.quiz.normalise import MAX_ANSWER_CHARACTERS, normalise, says


@pytest.mark.parametrize(
    ("answer", "form", "expected"),
    [
        ("etcd에 저장", "etcd", True),
        ("the etcd cluster", "etcd", True),
        ("etcdctl", "etcd", False),
        ("the API-Server", "api server", True),
        ("apiserver", "api server", True),
        ("kube-apiserver", "apiserver", True),
        ("kubeapiserver", "apiserver", False),
        ("API 서버가 받는다", "API서버", True),
        ("라이브니스 프로브를 씁니다", "라이브니스프로브", True),
        ("liveness probes", "liveness probe", True),
        ("liveness", "live", False),
        ("ＥＴＣＤ", "etcd", True),  # full-width letters
        ("", "etcd", False),
        ("anything", "!!", False),  # a form with nothing to compare never matches
    ],
)
def test_says(answer, form, expected):
    assert says(answer, form) is expected


def test_normalise_folds_case_width_and_punctuation():
    assert normalise("  Kube-API  Server!! ") == "kube api server"
    assert normalise("ＡＢＣ，서버") == "abc 서버"


@given(st.text())
def test_normalise_is_idempotent_and_bounded(text):
    once = normalise(text)
    assert normalise(once) == once
    assert len(once) <= MAX_ANSWER_CHARACTERS * 4  # NFKC may widen a character


@given(st.text(max_size=200), st.text(max_size=30))
def test_says_never_raises(answer, form):
    assert says(answer, form) in (True, False)
