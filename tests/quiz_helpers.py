"""Small questions of every kind, for the quiz tests."""

from __future__ import annotations

from dataclasses import replace

from k8sgame.content.text import Text
from k8sgame.quiz.model import KeyPoint, Option, Question


def _text(en: str, ko: str = "") -> Text:
    return Text(en, ko or en)


BASE = Question("q", "single", _text("?"), _text("!"), ("pods",), 1)
SINGLE = replace(BASE, options=(Option(_text("etcd"), True), Option(_text("kubelet"), False)))
MULTIPLE = replace(
    BASE,
    kind="multiple",
    options=(
        Option(_text("kubelet"), True),
        Option(_text("kube-proxy"), True),
        Option(_text("etcd"), False),
        Option(_text("scheduler"), False),
    ),
)
ORDERING = replace(BASE, kind="ordering", steps=tuple(_text(s) for s in "abcd"))
NUMERIC = replace(BASE, kind="numeric", number=40.0, unit="s")
SHORT = replace(
    BASE,
    kind="short",
    key_points=(
        KeyPoint(_text("API server", "API 서버"), ("api server", "kube-apiserver", "API 서버")),
        KeyPoint(_text("etcd"), ("etcd",)),
        KeyPoint(_text("scheduler", "스케줄러"), ("scheduler", "스케줄러")),
    ),
    needed=2,
)
