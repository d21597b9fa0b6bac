"""The shape of a level file, written once: the loader checks files against it and
``levels/schema.json`` (for editors, through yaml-language-server) is generated from it."""

from __future__ import annotations

from typing import Any

from k8sgame.datafile.schema import (
    AnyValue,
    Bool,
    Duration,
    Enum,
    Field,
    Int,
    ListOf,
    MapOf,
    Obj,
    Ref,
    Scalar,
    Schema,
    Str,
    Text,
)
from k8sgame.levels.predicates import expression_schema
from k8sgame.levels.predicates.registry import EXPRESSION

ID_PATTERN = r"[a-z0-9]([-a-z0-9]*[a-z0-9])?"
ID_HINT = "lowercase letters, digits and '-'"
# A file the player sees in the game's working directory: a plain name or a relative path.
# No "." or ".." parts: a file name never leaves the working directory.
_FILE_PART = r"(?!\.{1,2}(/|$))[A-Za-z0-9_.-]+"
FILE_NAME_PATTERN = rf"{_FILE_PART}(/{_FILE_PART})*"
FILE_NAME_HINT = "a relative path of letters, digits, '.', '_', '-' and '/', without . or .. parts"

COMMAND = Str(
    "a kubectl command without the leading 'kubectl' (apply -f fix.yaml), 'sleep 30s', "
    "'answer CHOICE OPTION' or 'hint'",
    max_length=4000,
)

FILE_CONTENT = Str("the file's text", min_length=0, max_length=200_000)
FILE_REF = Obj(
    {
        "path": Field(
            Str("a file inside the level pack, relative to this level file"), required=True
        )
    },
    "the file's text, read from a file of the pack",
)


class FileValue(Schema):
    """Inline text, or ``{path: ...}`` to a file of the same pack."""

    description = "the file's text, or {path: relative/file.yaml} inside the pack"

    def check(self, value: Any, path: tuple, problems: list, refs: Any) -> None:
        if isinstance(value, dict):
            FILE_REF.check(value, path, problems, refs)
        else:
            FILE_CONTENT.check(value, path, problems, refs)

    def json(self) -> dict[str, Any]:
        return {"description": self.description, "oneOf": [FILE_CONTENT.json(), FILE_REF.json()]}


FILES = MapOf(
    FileValue(),
    "files by name: the player's working directory (kubectl apply -f NAME reads them)",
    key_pattern=FILE_NAME_PATTERN,
    key_hint=FILE_NAME_HINT,
    max_items=50,
)

TAINT = Obj(
    {
        "key": Field(Str("the taint key"), required=True),
        "value": Field(Str("the taint value", min_length=0)),
        "effect": Field(
            Enum(("NoSchedule", "PreferNoSchedule", "NoExecute"), "the taint effect"),
            required=True,
        ),
    },
    "a node taint",
)

NODE = Obj(
    {
        "name": Field(
            Str("the node name", pattern=ID_PATTERN, pattern_hint=ID_HINT), required=True
        ),
        "cpu": Field(Str("CPU capacity, a quantity (2, 1500m)")),
        "memory": Field(Str("memory capacity, a quantity (4Gi)")),
        "pods": Field(Str("pod capacity (default 110)")),
        "labels": Field(MapOf(Str("label value", min_length=0), "node labels")),
        "taints": Field(ListOf(TAINT, "node taints", max_items=20)),
        "ready": Field(Bool("whether the node is up (default true)")),
    },
    "a node of the starting cluster",
)

CLUSTER = Obj(
    {
        "namespace": Field(
            Str(
                "the player's namespace (created if it is not default)",
                pattern=ID_PATTERN,
                pattern_hint=ID_HINT,
            )
        ),
        "nodes": Field(
            ListOf(
                NODE,
                "the nodes (default: the sandbox's control-plane, node-1, node-2)",
                min_items=1,
                max_items=50,
            )
        ),
        "images": Field(
            AnyValue("image behaviours laid over assets/images.yaml (docs/images.md)", "object")
        ),
        "manifests": Field(
            ListOf(
                AnyValue("a Kubernetes object", "object"),
                "objects created at the start",
                max_items=200,
            )
        ),
        "steps": Field(
            ListOf(
                Obj(
                    {
                        "after": Field(
                            Duration("cluster time that passes before the command", 3600)
                        ),
                        "kubectl": Field(
                            Str(
                                "a kubectl command without the leading 'kubectl', run by the"
                                " cluster's admin (set image deploy/web web=nginx:1.99)",
                                max_length=4000,
                            )
                        ),
                        "stop_kubelet": Field(
                            Str("a node whose kubelet stops (systemctl stop kubelet)")
                        ),
                        "start_kubelet": Field(Str("a node whose stopped kubelet starts again")),
                    },
                    "one step of the cluster's past",
                    exactly_one_of=("kubectl", "stop_kubelet", "start_kubelet"),
                ),
                "kubectl commands run after the manifests, in order: the history the player"
                " inherits (a rollout that went wrong, a node that was drained)",
                max_items=50,
            )
        ),
        "warmup": Field(
            Duration("cluster time that passes before the player starts (default 0)", 3600)
        ),
        "network": Field(
            Obj(
                {
                    "plugin": Field(
                        Enum(
                            ("calico", "flannel"),
                            "the CNI plugin: calico enforces NetworkPolicy, flannel does not"
                            " (default calico)",
                        )
                    ),
                    "loadBalancerPool": Field(
                        ListOf(
                            Str("an address range (192.168.49.200-192.168.49.210) or a CIDR"),
                            "installs MetalLB with these addresses for LoadBalancer Services"
                            " (without it they stay <pending>)",
                            max_items=10,
                        )
                    ),
                    "ingressController": Field(
                        Enum(
                            ("nginx",),
                            "installs an Ingress controller (ingress-nginx, its IngressClass"
                            " nginx, behind a LoadBalancer Service with a pool, else a"
                            " NodePort Service on 30080 and 30443, which no other Service of"
                            " the level may take)",
                        )
                    ),
                    "outsideHosts": Field(
                        MapOf(
                            Str("an IPv4 address"),
                            "names the player's machine knows (its /etc/hosts), name: address",
                        )
                    ),
                },
                "the cluster's network",
            )
        ),
    },
    "the starting cluster",
)

GOAL_LINE = Obj(
    {
        "id": Field(
            Str("the line's id (wrong answers name it)", pattern=ID_PATTERN, pattern_hint=ID_HINT),
            required=True,
        ),
        "text": Field(Text("the line the player reads"), required=True),
        "check": Field(Ref(EXPRESSION, "the predicate that decides it"), required=True),
    },
    "one line of the goal checklist",
)

ANSWER = Obj(
    {
        "commands": Field(
            ListOf(COMMAND, "commands in order", min_items=1, max_items=100), required=True
        ),
        "files": Field(FILES),
    },
    "commands (and files they apply) that the test suite replays",
)

WRONG = Obj(
    {
        "id": Field(
            Str("the wrong answer's id", pattern=ID_PATTERN, pattern_hint=ID_HINT), required=True
        ),
        "commands": Field(
            ListOf(COMMAND, "commands in order", min_items=1, max_items=100), required=True
        ),
        "files": Field(FILES),
        "fails": Field(
            Str(
                "the goal line (or choice) it must leave unmet",
                pattern=ID_PATTERN,
                pattern_hint=ID_HINT,
            ),
            required=True,
        ),
        "feedback": Field(Text("what the player is told"), required=True),
    },
    "a usual wrong fix: it must not win, and must fail on the named goal line",
)

OPTION = Obj(
    {
        "label": Field(Text("what the player reads (default: the value)")),
        "value": Field(Scalar("a value compared with what the engine measures")),
        "commands": Field(
            ListOf(
                COMMAND,
                "commands the engine tries on a copy of the cluster",
                min_items=1,
                max_items=50,
            )
        ),
        "files": Field(FILES),
    },
    "an answer option: a value (with measure) or commands (the engine tries them)",
    exactly_one_of=("value", "commands"),
)

MEASURE = Obj(
    {
        "restart_delay": Field(
            Obj(
                {
                    "pod": Field(Str("the pod"), required=True),
                    "container": Field(Str("the container (default: the first)")),
                    "restart": Field(
                        Int("which restart: the restart count it brings", 1), required=True
                    ),
                },
                "seconds between a crash and the restart that brings the restart count to N",
            )
        ),
        "field": Field(
            Obj(
                {
                    "kind": Field(Str("the object's kind"), required=True),
                    "name": Field(Str("the object's name"), required=True),
                    "path": Field(Str("a JSONPath (.status.qosClass)"), required=True),
                    "after": Field(Duration("let this much cluster time pass first")),
                },
                "the value of a field",
            )
        ),
    },
    "what the engine measures on a copy of the cluster to decide which values are right",
    exactly_one_of=("restart_delay", "field"),
)

CHOICE = Obj(
    {
        "id": Field(
            Str("the choice's id", pattern=ID_PATTERN, pattern_hint=ID_HINT), required=True
        ),
        "question": Field(Text("the question"), required=True),
        "single": Field(Bool("exactly one option is right (default true)")),
        "measure": Field(MEASURE),
        "tolerance": Field(Duration("for durations: how far a value may be from the measurement")),
        "lines": Field(
            ListOf(Str(pattern=ID_PATTERN), "goal lines a commands option must meet (default: all)")
        ),
        "options": Field(
            ListOf(OPTION, "the options (a, b, c…)", min_items=2, max_items=8), required=True
        ),
        "explanation": Field(Text("shown after the player answers")),
    },
    "a question the engine answers by trying each option on a copy of the cluster",
)

INTERVIEW = Obj(
    {
        "question": Field(Text("an interview question this level prepares for"), required=True),
        "answer": Field(Text("a short model answer"), required=True),
    },
    "an interview question and its answer",
)

DEBRIEF = Obj(
    {
        "text": Field(Text("what happened and why the fix works"), required=True),
        "interview": Field(
            ListOf(INTERVIEW, "interview questions you can now answer", min_items=1, max_items=10),
            required=True,
        ),
    },
    "shown after winning",
)

LEVEL = Obj(
    {
        "id": Field(
            Str("the level id, also the file name", pattern=ID_PATTERN, pattern_hint=ID_HINT),
            required=True,
        ),
        "chapter": Field(
            Str(
                "the chapter id, also the directory name", pattern=ID_PATTERN, pattern_hint=ID_HINT
            ),
            required=True,
        ),
        "order": Field(Int("position in the chapter", 1, 999), required=True),
        "difficulty": Field(Int("1 (first steps) to 5 (expert)", 1, 5), required=True),
        "concepts": Field(
            ListOf(
                Str(pattern=ID_PATTERN),
                "concept ids from assets/concepts.yaml",
                min_items=1,
                max_items=20,
            ),
            required=True,
        ),
        "estimated_minutes": Field(Int("how long a first try takes", 1, 240), required=True),
        "title": Field(Text("the level's title", 120), required=True),
        "briefing": Field(Text("the situation, shown at the start"), required=True),
        "explanation": Field(Text("the Kubernetes behind the level"), required=True),
        "debrief": Field(DEBRIEF, required=True),
        "cluster": Field(CLUSTER, required=True),
        "files": Field(FILES),
        "horizon": Field(
            Duration("cluster time the engine looks ahead after each action (default 5m)", 3 * 3600)
        ),
        "goal": Field(
            ListOf(
                GOAL_LINE, "the goal checklist: every line must be met", min_items=1, max_items=20
            ),
            required=True,
        ),
        "hints": Field(
            ListOf(Text("a hint"), "hints, from a nudge to the answer", min_items=1, max_items=10),
            required=True,
        ),
        "par": Field(
            Int("changes (commands that change the cluster) a good solution needs", 1, 100),
            required=True,
        ),
        "solution": Field(ANSWER, required=True),
        "wrong": Field(ListOf(WRONG, "usual wrong answers", max_items=20)),
        "choices": Field(ListOf(CHOICE, "questions the engine answers", max_items=10)),
    },
    "a k8sgame level: a broken cluster, a goal the engine checks, hints and a replayed solution",
)

REFS: dict[str, Schema] = {EXPRESSION: expression_schema()}

SCHEMA_ID = "https://k8sgame.dev/levels/schema.json"


def json_schema() -> dict[str, Any]:
    """The JSON Schema (draft-07) of a level file, as published in ``levels/schema.json``."""
    schema = LEVEL.json()
    return {
        "$schema": "http://json-schema.org/draft-07/schema#",
        "$id": SCHEMA_ID,
        "title": "k8sgame level",
        **schema,
        "definitions": {name: ref.json() for name, ref in sorted(REFS.items())},
    }
