"""Tab completion at the game's kubectl prompt (a pure function of the line and a snapshot)."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from k8sgame.kubectl.completion import Kind, Snapshot, complete

SNAPSHOT = Snapshot(
    kinds=(
        Kind("pods", "pod", ("po",)),
        Kind("nodes", "node", ("no",)),
        Kind("configmaps", "configmap", ("cm",)),
    ),
    names={"pods": ("web", "web-2", "db"), "nodes": ("node-1",)},
    namespaces=("default", "kube-system"),
    files=("web.yaml",),
)


@pytest.mark.parametrize(
    ("line", "after", "candidates"),
    [
        ("g", "get ", ()),
        ("kubectl desc", "kubectl describe ", ()),
        ("de", "de", ("delete", "describe")),
        ("get pods w", "get pods web", ("web", "web-2")),
        ("get pods d", "get pods db ", ()),
        ("get c", "get c", ("cm", "configmap", "configmaps")),
        ("get pod/", "get pod/", ("pod/db", "pod/web", "pod/web-2")),
        ("describe po/d", "describe po/db ", ()),
        ("logs d", "logs db ", ()),
        ("logs web --p", "logs web --pre", ("--prefix", "--previous")),
        ("logs web --prev", "logs web --previous ", ()),
        ("apply -f w", "apply -f web.yaml ", ()),
        ("get pods -o y", "get pods -o yaml ", ()),
        ("get pods --output=j", "get pods --output=json", ("json", "jsonpath=")),
        ("get pods -n kube", "get pods -n kube-system ", ()),
        ("create n", "create namespace ", ()),
        ("create s", "create se", ("secret", "service", "serviceaccount")),
        ("create svc ", "create svc ", ("clusterip", "externalname", "loadbalancer", "nodeport")),
        ("create service n", "create service nodeport ", ()),
        ("cordon ", "cordon node-1 ", ()),
        ("get nodes nope", "get nodes nope", ()),
        ("sleep 3", "sleep 3", ()),
    ],
)
def test_completion_of_verbs_kinds_names_and_flags(line, after, candidates):
    result = complete(line, SNAPSHOT)
    assert (result.line, result.candidates) == (after, candidates)


def test_completing_nothing_lists_every_verb_and_the_game_words():
    result = complete("", SNAPSHOT)
    assert result.line == ""
    assert {"get", "describe", "logs", "apply", "edit", "sleep", "hint", "answer"} <= set(
        result.candidates
    )


@given(st.text(max_size=60))
def test_completion_only_ever_extends_the_line(line):
    result = complete(line, SNAPSHOT)
    assert result.line.startswith(line) or result.line.startswith(line.rsplit("=", 1)[0])
