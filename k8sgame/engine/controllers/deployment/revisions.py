"""Revisions and pod-template hashes (``pkg/controller/controller_utils.go`` ``ComputeHash``,
``deployment/util/deployment_util.go``).

A Deployment names each ReplicaSet ``<deployment>-<pod-template-hash>`` and counts its
templates by the ``deployment.kubernetes.io/revision`` annotation: the ReplicaSet that
matches the template gets the highest revision, so rolling back to an old template gives that
old ReplicaSet the next number (K8S-FACTS §7.5).
"""

from __future__ import annotations

import json
from typing import Any

from k8sgame.engine.controllers.deployment.fenceposts import (
    DESIRED_REPLICAS,
    MAX_REPLICAS,
    max_surge,
    replicas,
)

HASH_LABEL = "pod-template-hash"
REVISION = "deployment.kubernetes.io/revision"
REVISION_HISTORY = "deployment.kubernetes.io/revision-history"
CHANGE_CAUSE = "kubernetes.io/change-cause"
LAST_APPLIED = "kubectl.kubernetes.io/last-applied-configuration"
ROLLBACK_TO = "deprecated.deployment.rollback.to"
# Annotations a Deployment does not copy onto its ReplicaSets (``annotationsToSkip``).
SKIPPED_ANNOTATIONS = frozenset(
    (LAST_APPLIED, REVISION, REVISION_HISTORY, DESIRED_REPLICAS, MAX_REPLICAS, ROLLBACK_TO)
)
# ``maxRevHistoryLengthInChars``: the revision-history annotation keeps its newest entries.
MAX_HISTORY_CHARS = 2000
# ``rand.SafeEncodeString``: no vowels, no look-alike digits, so names never spell words.
SAFE_ALPHABET = "bcdfghjklmnpqrstvwxz2456789"
_FNV_OFFSET = 0x811C9DC5
_FNV_PRIME = 0x01000193

Obj = dict[str, Any]


def _fnv32a(data: bytes) -> int:
    value = _FNV_OFFSET
    for byte in data:
        value = ((value ^ byte) * _FNV_PRIME) & 0xFFFFFFFF
    return value


def safe_encode(text: str) -> str:
    """``rand.SafeEncodeString``."""
    return "".join(SAFE_ALPHABET[ord(ch) % len(SAFE_ALPHABET)] for ch in text)


def template_hash(template: Obj, collision_count: int | None = None) -> str:
    """``ComputeHash``: FNV-32a of the template, then of the collision count, written as a
    decimal number in the safe alphabet.

    Upstream hashes Go's printed form of the struct, which Python cannot reproduce, so the
    engine hashes the template's canonical JSON: the same shape of name (``7c5ddbdf54``),
    a different value than a real cluster gives the same template."""
    data = json.dumps(template, sort_keys=True, separators=(",", ":")).encode()
    if collision_count is not None:
        # An 8-byte buffer with the uint32 in its first four bytes, as upstream writes it.
        data += collision_count.to_bytes(4, "little") + bytes(4)
    return safe_encode(str(_fnv32a(data)))


def without_hash(template: Obj | None) -> Obj:
    """The template without the ``pod-template-hash`` label (``EqualIgnoreHash``'s view)."""
    template = dict(template or {})
    metadata = dict(template.get("metadata") or {})
    labels = dict(metadata.get("labels") or {})
    labels.pop(HASH_LABEL, None)
    if labels:
        metadata["labels"] = labels
    else:
        metadata.pop("labels", None)
    if metadata:
        template["metadata"] = metadata
    else:
        template.pop("metadata", None)
    return template


def equal_ignore_hash(a: Obj | None, b: Obj | None) -> bool:
    """``EqualIgnoreHash``: the same template apart from the hash label."""
    return without_hash(a) == without_hash(b)


def revision(obj: Obj | None) -> int:
    """The revision annotation as a number (0 when missing or unreadable)."""
    if obj is None:
        return 0
    try:
        return int((obj["metadata"].get("annotations") or {}).get(REVISION, "0"))
    except ValueError:
        return 0


def max_revision(replica_sets: list[Obj]) -> int:
    return max((revision(rs) for rs in replica_sets), default=0)


def _history_with(history: str | None, old: str) -> str:
    """The revision history with ``old`` appended, dropping the oldest entries while it is
    longer than ``MAX_HISTORY_CHARS``."""
    if not history:
        return old
    entries = [*history.split(","), old]
    while len(entries) > 1 and len(",".join(entries)) > MAX_HISTORY_CHARS:
        entries.pop(0)
    return ",".join(entries)


def replicas_annotations(deployment: Obj) -> dict[str, str]:
    """``SetReplicasAnnotations``: the size and the most pods the Deployment allowed."""
    desired = replicas(deployment)
    return {
        DESIRED_REPLICAS: str(desired),
        MAX_REPLICAS: str(desired + max_surge(deployment)),
    }


def new_rs_annotations(
    deployment: Obj, current: dict[str, str], new_revision: int, exists: bool
) -> dict[str, str]:
    """``SetNewReplicaSetAnnotations``: the new ReplicaSet's annotations given its
    ``current`` ones — the Deployment's own (but the skipped ones), the new revision (the
    number it had joins ``revision-history``), and for a new ReplicaSet the replica counts."""
    annotations = dict(current)
    for key, value in (deployment["metadata"].get("annotations") or {}).items():
        if key not in SKIPPED_ANNOTATIONS:
            annotations[key] = value
    old = annotations.get(REVISION, "")
    try:
        old_number = int(old) if old else 0
    except ValueError:
        old_number = 0
    if old_number < new_revision:
        annotations[REVISION] = str(new_revision)
        if old:
            annotations[REVISION_HISTORY] = _history_with(annotations.get(REVISION_HISTORY), old)
    if not exists:
        annotations.update(replicas_annotations(deployment))
    return annotations
