"""Event predicates: an event with a reason was (or was not) recorded since the player's last
change ("no BackOff since the fix") or since the start."""

from __future__ import annotations

from typing import Any

from k8sgame.datafile.schema import Bool, Enum, Field, Obj, Str
from k8sgame.engine.timefmt import parse_rfc3339
from k8sgame.levels.predicates.registry import predicate
from k8sgame.levels.predicates.scene import Outcome, Scene, held


def _since(scene: Scene, params: dict[str, Any]) -> float:
    return scene.start if params.get("since") == "start" else scene.fix


def matching_events(scene: Scene, params: dict[str, Any]) -> list[dict[str, Any]]:
    since = _since(scene, params)
    namespace = scene.namespace_of(params)
    found = []
    for event in scene.cluster.api.view("Event", namespace):
        if event.get("reason") != params["reason"]:
            continue
        if params.get("type") and event.get("type") != params["type"]:
            continue
        involved = event.get("involvedObject") or {}
        if params.get("kind") and involved.get("kind") != params["kind"]:
            continue
        if params.get("name") and involved.get("name") != params["name"]:
            continue
        text = params.get("message_contains")
        if text and text not in str(event.get("message", "")):
            continue
        stamp = event.get("lastTimestamp") or event.get("firstTimestamp")
        # Timestamps have whole seconds; an event in the second of the fix counts as after it.
        if not stamp or parse_rfc3339(stamp) + 1 <= since:
            continue
        found.append(event)
    return found


@predicate(
    "event",
    Obj(
        {
            "reason": Field(
                Str("the event's reason: BackOff, Unhealthy, Killing, FailedScheduling…"),
                required=True,
            ),
            "type": Field(Enum(("Normal", "Warning"), "the event type")),
            "kind": Field(Str("the kind of the object the event is about")),
            "name": Field(Str("the name of the object the event is about")),
            "namespace": Field(Str("the namespace (default: the level's namespace)")),
            "message_contains": Field(Str("text the event's message contains")),
            "since": Field(
                Enum(
                    ("fix", "start"),
                    "count events from the player's last change (default) or from the start",
                )
            ),
            "present": Field(Bool("true (default): such an event exists; false: none does")),
        },
        "an event with this reason was recorded (or was not) since the fix",
    ),
)
def event(scene: Scene, params: dict[str, Any]) -> Outcome:
    found = matching_events(scene, params)
    wanted = params.get("present", True)
    about = params.get("name") or params.get("kind") or "-"
    if found:
        newest = found[-1]
        return held(
            bool(wanted),
            "reasons.event_seen",
            reason=params["reason"],
            about=about,
            count=sum(int(e.get("count") or 1) for e in found),
            text=newest.get("message", ""),
        )
    return held(not wanted, "reasons.event_absent", reason=params["reason"], about=about)
