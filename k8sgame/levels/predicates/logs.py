"""Log predicates: a container's log (current or previous instance, as ``kubectl logs`` and
``kubectl logs --previous`` show them) has a line containing or matching some text."""

from __future__ import annotations

import re
from typing import Any

from k8sgame.datafile.schema import Bool, Field, Obj, Problem, Str
from k8sgame.engine.errors import ApiError
from k8sgame.kubectl.commands.containers import default_container
from k8sgame.levels.predicates.registry import predicate
from k8sgame.levels.predicates.scene import Outcome, Scene, held


def _check(value: dict[str, Any], path: tuple, problems: list[Problem]) -> None:
    if "matches" in value:
        try:
            re.compile(str(value["matches"]))
        except re.error as error:
            problems.append(Problem((*path, "matches"), f"not a regular expression: {error}"))


@predicate(
    "log_line",
    Obj(
        {
            "pod": Field(Str("the pod's name"), required=True),
            "namespace": Field(Str("the namespace (default: the level's namespace)")),
            "container": Field(Str("the container (default: the first one)")),
            "previous": Field(Bool("read the previous instance's log (kubectl logs --previous)")),
            "contains": Field(Str("text a line contains")),
            "matches": Field(Str("a regular expression a line matches")),
        },
        "a container's log has a line with this text",
        exactly_one_of=("contains", "matches"),
        extra=_check,
    ),
)
def log_line(scene: Scene, params: dict[str, Any]) -> Outcome:
    namespace = scene.namespace_of(params)
    try:
        pod = scene.cluster.api.get("Pod", str(params["pod"]), namespace)
        # The container ``kubectl logs <pod>`` would show when none is named.
        container, _ = default_container(pod, params.get("container"))
        lines = scene.cluster.logs(
            str(params["pod"]), namespace, container, bool(params.get("previous", False))
        )
    except ApiError:
        return held(False, "reasons.missing", what=f"pod {params['pod']}")
    if "contains" in params:
        found = any(str(params["contains"]) in text for _, _, text in lines)
        wanted = str(params["contains"])
    else:
        pattern = re.compile(str(params["matches"]))
        found = any(pattern.search(text) for _, _, text in lines)
        wanted = str(params["matches"])
    return held(
        found,
        "reasons.log_found" if found else "reasons.log_missing",
        pod=params["pod"],
        text=wanted,
    )
