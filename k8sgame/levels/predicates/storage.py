"""Storage predicates: a PersistentVolumeClaim is Bound (to a volume the
persistentvolume-controller bound it to), read from the claim's status."""

from __future__ import annotations

from typing import Any

from k8sgame.datafile.schema import Field, Obj, Str
from k8sgame.levels.predicates.registry import predicate
from k8sgame.levels.predicates.scene import Outcome, Scene, held

NAME = Field(
    Str(
        "the PersistentVolumeClaim's name",
        pattern=r"[a-z0-9]([-a-z0-9.]*[a-z0-9])?",
        pattern_hint="a DNS name",
    ),
    required=True,
)
NAMESPACE = Field(Str("the namespace (default: the level's namespace)"))


@predicate(
    "pvc_bound",
    Obj(
        {"name": NAME, "namespace": NAMESPACE},
        "the PersistentVolumeClaim is Bound to a PersistentVolume",
    ),
)
def pvc_bound(scene: Scene, params: dict[str, Any]) -> Outcome:
    name = str(params["name"])
    label = f"persistentvolumeclaim {name}"
    pvc = scene.cluster.api.peek("PersistentVolumeClaim", name, scene.namespace_of(params))
    if pvc is None:
        return held(False, "reasons.missing", what=label)
    phase = str((pvc.get("status") or {}).get("phase") or "Pending")
    volume = str((pvc.get("spec") or {}).get("volumeName") or "")
    if phase == "Bound":
        return held(True, "reasons.pvc_bound", what=label, volume=volume)
    return held(False, "reasons.pvc_not_bound", what=label, phase=phase)
