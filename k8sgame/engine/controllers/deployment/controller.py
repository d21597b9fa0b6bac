"""The Deployment controller as ``deployment-controller`` (``pkg/controller/deployment``:
``deployment_controller.go``, ``sync.go``, ``rolling.go``, ``recreate.go``, ``progress.go``).

Each sync of a Deployment:

1. claims the ReplicaSets its selector matches (adopting orphans, releasing strays);
2. records ``DeploymentPaused`` / ``DeploymentResumed`` on the Progressing condition;
3. when paused, or when only ``spec.replicas`` changed, scales the ReplicaSets it has
   (proportionally while a rolling update is under way) and does nothing else;
4. otherwise rolls out: RollingUpdate grows the new ReplicaSet within ``maxSurge`` and shrinks
   old ones within ``maxUnavailable``; Recreate scales every old one to 0, waits until their
   pods are gone, then creates the new one at full size;
5. deletes old, empty ReplicaSets beyond ``revisionHistoryLimit`` once a rollout is complete;
6. writes status: counts, Available and Progressing conditions, the progress deadline.
"""

from __future__ import annotations

import re
from typing import Any

from k8sgame.engine.apiserver.client import Client
from k8sgame.engine.clock import SimClock
from k8sgame.engine.controllers.base import Informer, QueueController, Result
from k8sgame.engine.controllers.deployment import conditions as cond
from k8sgame.engine.controllers.deployment.fenceposts import (
    created_order,
    is_rolling_update,
    is_saturated,
    max_surge,
    max_unavailable,
    new_replica_set_size,
    new_rs_new_replicas,
    old_replica_set_scale_downs,
    proportion,
    replicas,
    status_count,
    total_replicas,
    total_status,
)
from k8sgame.engine.controllers.deployment.revisions import (
    DESIRED_REPLICAS,
    HASH_LABEL,
    REVISION,
    equal_ignore_hash,
    max_revision,
    new_rs_annotations,
    replicas_annotations,
    revision,
    template_hash,
)
from k8sgame.engine.controllers.ownership import claim, controller_ref, controller_reference
from k8sgame.engine.controllers.replicaset import KIND_NAMESPACE_INDEX
from k8sgame.engine.errors import ApiError
from k8sgame.engine.events import NORMAL, WARNING, EventRecorder
from k8sgame.engine.kinds.deployment import RECREATE
from k8sgame.engine.labels import SelectorError, from_label_selector
from k8sgame.engine.objcopy import clone
from k8sgame.engine.store import DELETED, WatchEvent
from k8sgame.engine.timefmt import parse_rfc3339

COMPONENT = "deployment-controller"
# ``HasProgressDeadline``: math.MaxInt32 means "no deadline".
NO_DEADLINE = 2**31 - 1
# A stuck Deployment is looked at again when its deadline passes; a check due in under a
# second is retried after the work queue's first back-off step (``enqueueRateLimited``).
RATE_LIMITED_RETRY = 0.005
_INT = re.compile(r"[+-]?[0-9]{1,10}")

Obj = dict[str, Any]


def _active(replica_sets: list[Obj]) -> list[Obj]:
    """``FilterActiveReplicaSets``: those with a size above 0."""
    return [rs for rs in replica_sets if replicas(rs) > 0]


def _deadline(deployment: Obj) -> int | None:
    value = (deployment.get("spec") or {}).get("progressDeadlineSeconds")
    if value is None or int(value) == NO_DEADLINE:
        return None
    return int(value)


def deployment_complete(deployment: Obj, status: dict[str, Any]) -> bool:
    """``DeploymentComplete``: every replica updated and available, and the latest spec seen."""
    wanted = replicas(deployment)
    return (
        int(status.get("updatedReplicas") or 0) == wanted
        and int(status.get("replicas") or 0) == wanted
        and int(status.get("availableReplicas") or 0) == wanted
        and int(status.get("observedGeneration") or 0)
        >= int(deployment["metadata"].get("generation") or 0)
    )


def deployment_progressing(deployment: Obj, status: dict[str, Any]) -> bool:
    """``DeploymentProgressing``: more updated, fewer old, more ready or more available pods
    than the stored status says."""
    old = deployment.get("status") or {}

    def count(source: dict[str, Any], field: str) -> int:
        return int(source.get(field) or 0)

    old_old = count(old, "replicas") - count(old, "updatedReplicas")
    new_old = count(status, "replicas") - count(status, "updatedReplicas")
    return (
        count(status, "updatedReplicas") > count(old, "updatedReplicas")
        or new_old < old_old
        or count(status, "readyReplicas") > count(old, "readyReplicas")
        or count(status, "availableReplicas") > count(old, "availableReplicas")
    )


class DeploymentController(QueueController[tuple[str, str]]):
    name = "deployment-controller"
    kinds = ("Deployment", "ReplicaSet", "Pod")

    def __init__(self, api: Client, informer: Informer, clock: SimClock) -> None:
        super().__init__(api, informer, clock)
        self.clock = clock
        self.recorder = EventRecorder(api, clock)

    # -- which Deployments an event concerns -------------------------------------------------

    def on_event(self, event: WatchEvent) -> None:
        md = event.obj["metadata"]
        namespace = md.get("namespace", "")
        if event.kind == "Deployment":
            self.queue.add((namespace, md["name"]))
        elif event.kind == "ReplicaSet":
            self._replica_set_event(event, namespace)
        elif event.type == DELETED:
            self._pod_deleted(event.obj, namespace)

    def _replica_set_event(self, event: WatchEvent, namespace: str) -> None:
        ref = controller_ref(event.obj)
        old_ref = controller_ref(event.old) if event.old is not None else None
        for owner in (ref, old_ref):
            if owner is not None and owner.get("kind") == "Deployment":
                self.queue.add((namespace, str(owner.get("name", ""))))
        if ref is None and event.type != DELETED:
            labels = event.obj["metadata"].get("labels") or {}
            for deployment in self._deployments(namespace):
                if self._selects(deployment, labels):
                    self.queue.add((namespace, deployment["metadata"]["name"]))

    def _pod_deleted(self, pod: Obj, namespace: str) -> None:
        """A Recreate rollout waits for the old pods to go: the last one's deletion wakes it."""
        ref = controller_ref(pod)
        if ref is None or ref.get("kind") != "ReplicaSet":
            return
        rs = self.informer.get(("ReplicaSet", namespace, str(ref.get("name", ""))))
        owner = controller_ref(rs) if rs is not None else None
        if owner is None or owner.get("kind") != "Deployment":
            return
        name = str(owner.get("name", ""))
        deployment = self.informer.get(("Deployment", namespace, name))
        strategy = ((deployment or {}).get("spec") or {}).get("strategy") or {}
        if strategy.get("type") == RECREATE:
            self.queue.add((namespace, name))

    def _deployments(self, namespace: str) -> list[Obj]:
        return [
            d for _, d in self.informer.by_index(KIND_NAMESPACE_INDEX, f"Deployment/{namespace}")
        ]

    @staticmethod
    def _selects(deployment: Obj, labels: dict[str, str]) -> bool:
        try:
            selector = from_label_selector((deployment.get("spec") or {}).get("selector"))
        except SelectorError:
            return False
        return not selector.empty and selector.matches(labels)

    # -- the sync ---------------------------------------------------------------------------

    def reconcile(self, key: tuple[str, str]) -> Result | None:
        namespace, name = key
        deployment = self.informer.get(("Deployment", namespace, name))
        if deployment is None:
            return None
        deployment = clone(deployment)
        rs_list = self._claim(deployment)
        if deployment["metadata"].get("deletionTimestamp"):
            new_rs, old_rss = self._split(deployment, rs_list)
            self._sync_status(deployment, [*old_rss, new_rs], new_rs)
            return None
        deployment = self._check_paused(deployment)
        if (deployment.get("spec") or {}).get("paused") or self._scaling_event(deployment, rs_list):
            self._sync(deployment, rs_list)
            return None
        if ((deployment.get("spec") or {}).get("strategy") or {}).get("type") == RECREATE:
            return self._rollout_recreate(deployment, rs_list)
        return self._rollout_rolling(deployment, rs_list)

    # -- claiming ReplicaSets ---------------------------------------------------------------

    def _claim(self, deployment: Obj) -> list[Obj]:
        """``ClaimReplicaSets``: owned ones that still match, and matching orphans adopted."""
        return claim(
            self.informer,
            self.api,
            deployment,
            "ReplicaSet",
            lambda labels: self._selects(deployment, labels),
        )

    # -- the new ReplicaSet and revisions ---------------------------------------------------

    @staticmethod
    def _split(deployment: Obj, rs_list: list[Obj]) -> tuple[Obj | None, list[Obj]]:
        """``FindNewReplicaSet`` (the oldest whose template matches) and the rest."""
        ordered = sorted(rs_list, key=created_order)
        template = (deployment.get("spec") or {}).get("template")
        new_rs = next(
            (
                rs
                for rs in ordered
                if equal_ignore_hash((rs.get("spec") or {}).get("template"), template)
            ),
            None,
        )
        return new_rs, [rs for rs in ordered if rs is not new_rs]

    def _new_and_old(
        self, deployment: Obj, rs_list: list[Obj], create: bool
    ) -> tuple[Obj | None, list[Obj]]:
        """``getAllReplicaSetsAndSyncRevision``: the new ReplicaSet (created when asked and
        missing) with its revision brought up to date, and the old ones."""
        new_rs, old_rss = self._split(deployment, rs_list)
        new_revision = max_revision(old_rss) + 1
        if new_rs is not None:
            return self._refresh_new(deployment, new_rs, new_revision), old_rss
        if not create:
            return None, old_rss
        return self._create_new(deployment, old_rss, new_revision), old_rss

    def _refresh_new(self, deployment: Obj, new_rs: Obj, new_revision: int) -> Obj:
        current = new_rs["metadata"].get("annotations") or {}
        annotations = new_rs_annotations(deployment, current, new_revision, exists=True)
        min_ready = int((deployment.get("spec") or {}).get("minReadySeconds") or 0)
        if annotations != current or int(new_rs["spec"].get("minReadySeconds") or 0) != min_ready:
            updated = clone(new_rs)
            updated["metadata"]["annotations"] = annotations
            updated["spec"]["minReadySeconds"] = min_ready
            return self.api.update(updated)
        status = deployment.setdefault("status", {})
        changed = self._set_revision(deployment, str(current.get(REVISION, "")))
        if (
            _deadline(deployment) is not None
            and cond.get_condition(status, cond.PROGRESSING) is None
        ):
            cond.set_condition(
                status,
                cond.new_condition(
                    cond.PROGRESSING,
                    "True",
                    cond.FOUND_NEW_RS,
                    f'Found new replica set "{new_rs["metadata"]["name"]}"',
                    self.clock.now,
                ),
            )
            changed = True
        if changed:
            self._write(deployment)
        return new_rs

    def _create_new(self, deployment: Obj, old_rss: list[Obj], new_revision: int) -> Obj | None:
        md, spec = deployment["metadata"], deployment.get("spec") or {}
        status = deployment.setdefault("status", {})
        template = clone(spec.get("template") or {})
        collisions = status.get("collisionCount")
        pod_hash = template_hash(template, collisions)
        template_md = template.setdefault("metadata", {})
        template_md["labels"] = {**(template_md.get("labels") or {}), HASH_LABEL: pod_hash}
        selector = clone(spec.get("selector") or {})
        selector["matchLabels"] = {**(selector.get("matchLabels") or {}), HASH_LABEL: pod_hash}
        name = f"{md['name']}-{pod_hash}"
        rs: Obj = {
            "apiVersion": "apps/v1",
            "kind": "ReplicaSet",
            "metadata": {
                "name": name,
                "namespace": md.get("namespace", ""),
                "ownerReferences": [controller_reference(deployment)],
                "labels": dict(template_md["labels"]),
            },
            "spec": {
                "replicas": 0,
                "minReadySeconds": int(spec.get("minReadySeconds") or 0),
                "selector": selector,
                "template": template,
            },
        }
        count = new_rs_new_replicas(deployment, [*old_rss, rs], rs)
        rs["spec"]["replicas"] = count
        rs["metadata"]["annotations"] = new_rs_annotations(deployment, {}, new_revision, False)
        try:
            created = self.api.create(rs)
        except ApiError as error:
            if error.reason == "AlreadyExists":
                return self._collision(deployment, name)
            message = f'Failed to create new replica set "{name}": {error.message}'
            if _deadline(deployment) is not None:
                cond.set_condition(
                    status,
                    cond.new_condition(
                        cond.PROGRESSING, "False", cond.FAILED_RS_CREATE, message, self.clock.now
                    ),
                )
                self._write(deployment)
            self.recorder.record(deployment, WARNING, cond.FAILED_RS_CREATE, message, COMPONENT)
            raise
        if count > 0:
            self._scaling_event_record(deployment, "up", name, 0, count)
        self._set_revision(deployment, str(new_revision))
        if _deadline(deployment) is not None:
            cond.set_condition(
                status,
                cond.new_condition(
                    cond.PROGRESSING,
                    "True",
                    cond.NEW_RS_CREATED,
                    f'Created new replica set "{name}"',
                    self.clock.now,
                ),
            )
        self._write(deployment)
        return created

    def _collision(self, deployment: Obj, name: str) -> Obj | None:
        """A ReplicaSet of that name exists: it is ours when we own it and the template is
        the same; otherwise bump ``collisionCount`` so the next try hashes differently."""
        existing = self.informer.get(
            ("ReplicaSet", deployment["metadata"].get("namespace", ""), name)
        ) or self.api.peek("ReplicaSet", name, deployment["metadata"].get("namespace", ""))
        if existing is not None:
            ref = controller_ref(existing)
            if (
                ref is not None
                and ref.get("uid") == deployment["metadata"].get("uid")
                and equal_ignore_hash(
                    (existing.get("spec") or {}).get("template"),
                    (deployment.get("spec") or {}).get("template"),
                )
            ):
                return existing
        status = deployment.setdefault("status", {})
        status["collisionCount"] = int(status.get("collisionCount") or 0) + 1
        self._write(deployment)
        raise ApiError("AlreadyExists", f'replicasets.apps "{name}" already exists', 409)

    @staticmethod
    def _set_revision(deployment: Obj, value: str) -> bool:
        """``SetDeploymentRevision``: the Deployment carries its newest revision."""
        annotations = deployment["metadata"].setdefault("annotations", {})
        if annotations.get(REVISION) == value:
            return False
        annotations[REVISION] = value
        return True

    def _write(self, deployment: Obj) -> None:
        """``UpdateStatus``: a Deployment's status write also carries its annotations (the
        revision), as the deployment status strategy keeps only spec and labels."""
        stored = self.api.update_status(deployment)
        deployment["metadata"]["resourceVersion"] = stored["metadata"].get("resourceVersion")

    # -- scaling ----------------------------------------------------------------------------

    def _scale(
        self, deployment: Obj, rs: Obj, size: int, operation: str | None = None
    ) -> tuple[bool, Obj]:
        """``scaleReplicaSet``: a new size and the replica annotations; whether the size
        changed, and the ReplicaSet as stored now. The event says "up" or "down" as the size
        moves, unless ``operation`` names it (a proportional scale names one for all)."""
        annotations = rs["metadata"].get("annotations") or {}
        wanted = replicas_annotations(deployment)
        size_changes = replicas(rs) != size
        if not size_changes and all(annotations.get(k) == v for k, v in wanted.items()):
            return False, rs
        updated = clone(rs)
        updated["spec"]["replicas"] = size
        updated["metadata"]["annotations"] = {**annotations, **wanted}
        stored = self.api.update(updated)
        if size_changes:
            word = operation if operation is not None else ("down" if replicas(rs) > size else "up")
            self._scaling_event_record(deployment, word, rs["metadata"]["name"], replicas(rs), size)
        return size_changes, stored

    def _scaling_event_record(
        self, deployment: Obj, operation: str, name: str, before: int, after: int
    ) -> None:
        self.recorder.record(
            deployment,
            NORMAL,
            "ScalingReplicaSet",
            f"Scaled {operation} replica set {name} from {before} to {after}",
            COMPONENT,
        )

    def _scaling_event(self, deployment: Obj, rs_list: list[Obj]) -> bool:
        """``isScalingEvent``: an active ReplicaSet was sized for another replica count."""
        new_rs, old_rss = self._new_and_old(deployment, rs_list, create=False)
        wanted = replicas(deployment)
        for rs in _active([*old_rss, *([new_rs] if new_rs else [])]):
            desired = (rs["metadata"].get("annotations") or {}).get(DESIRED_REPLICAS)
            # strconv.ParseInt(s, 10, 32): an optional sign and ASCII digits.
            if desired is not None and _INT.fullmatch(desired) and int(desired) != wanted:
                return True
        return False

    def _sync(self, deployment: Obj, rs_list: list[Obj]) -> None:
        """``sync``: scale what exists (a paused Deployment or a change of replicas only)."""
        new_rs, old_rss = self._new_and_old(deployment, rs_list, create=False)
        self._scale_all(deployment, new_rs, old_rss)
        if (deployment.get("spec") or {}).get("paused"):
            self._cleanup(deployment, old_rss)
        # Sizes changed above: status reads the stored ReplicaSets again.
        fresh = self._claim(deployment)
        new_rs, old_rss = self._split(deployment, fresh)
        self._sync_status(deployment, [*old_rss, *([new_rs] if new_rs else [])], new_rs)

    def _scale_all(self, deployment: Obj, new_rs: Obj | None, old_rss: list[Obj]) -> None:
        """``scale``: one active ReplicaSet takes the new size; a saturated new one lets the
        old ones go; during a rolling update the change is shared in proportion."""
        wanted = replicas(deployment)
        everything = [*old_rss, *([new_rs] if new_rs else [])]
        active = _active(everything)
        # FindActiveOrLatest: the one active ReplicaSet, else the new one, else the newest.
        target: Obj | None = None
        if len(active) == 1:
            target = active[0]
        elif not active:
            newest_first = sorted(old_rss, key=created_order, reverse=True)
            target = new_rs or (newest_first[0] if newest_first else None)
        if len(active) <= 1:
            if target is not None and replicas(target) != wanted:
                self._scale(deployment, target, wanted)
            return
        if is_saturated(deployment, new_rs):
            for rs in _active(old_rss):
                self._scale(deployment, rs, 0)
            return
        if not is_rolling_update(deployment):
            return
        allowed = wanted + max_surge(deployment) if wanted > 0 else 0
        to_add = allowed - total_replicas(active)
        if to_add > 0:
            # ReplicaSetsBySizeNewer: largest first, the newer of two the same size first.
            active.sort(key=created_order, reverse=True)
            active.sort(key=lambda rs: -replicas(rs))
            operation = "up"
        elif to_add < 0:
            active.sort(key=lambda rs: (-replicas(rs), created_order(rs)))
            operation = "down"
        else:
            operation = ""
        added = 0
        sizes = {}
        for rs in active:
            share = proportion(rs, deployment, to_add, added) if to_add else 0
            sizes[rs["metadata"]["name"]] = replicas(rs) + share
            added += share
        for index, rs in enumerate(active):
            name = rs["metadata"]["name"]
            if index == 0 and to_add:
                sizes[name] = max(sizes[name] + to_add - added, 0)
            self._scale(deployment, rs, sizes[name], operation)

    # -- rolling update ---------------------------------------------------------------------

    def _rollout_rolling(self, deployment: Obj, rs_list: list[Obj]) -> Result | None:
        new_rs, old_rss = self._new_and_old(deployment, rs_list, create=True)
        if new_rs is None:
            return None
        all_rss = [*old_rss, new_rs]
        if self._reconcile_new(deployment, all_rss, new_rs):
            return self._sync_rollout_status(deployment, all_rss, new_rs)
        if self._reconcile_old(deployment, all_rss, _active(old_rss), new_rs):
            return self._sync_rollout_status(deployment, all_rss, new_rs)
        if deployment_complete(deployment, deployment.get("status") or {}):
            self._cleanup(deployment, old_rss)
        return self._sync_rollout_status(deployment, all_rss, new_rs)

    def _reconcile_new(self, deployment: Obj, all_rss: list[Obj], new_rs: Obj) -> bool:
        """``reconcileNewReplicaSet``: grow the new ReplicaSet within the surge (or shrink it
        to the replicas)."""
        size = new_replica_set_size(deployment, all_rss, new_rs)
        if size is None:
            return False
        return self._scale(deployment, new_rs, size)[0]

    def _reconcile_old(
        self, deployment: Obj, all_rss: list[Obj], old_rss: list[Obj], new_rs: Obj
    ) -> bool:
        """``reconcileOldReplicaSets``: shrink old ReplicaSets within the unavailability
        budget, unavailable pods first."""
        steps = old_replica_set_scale_downs(deployment, all_rss, old_rss, new_rs)
        latest: dict[str, Obj] = {}
        for rs, size in steps:
            name = rs["metadata"]["name"]
            # A second step on the same ReplicaSet writes over what the first one stored.
            latest[name] = self._scale(deployment, latest.get(name, rs), size)[1]
        return bool(steps)

    # -- recreate ---------------------------------------------------------------------------

    def _rollout_recreate(self, deployment: Obj, rs_list: list[Obj]) -> Result | None:
        new_rs, old_rss = self._new_and_old(deployment, rs_list, create=False)
        all_rss = [*old_rss, *([new_rs] if new_rs else [])]
        scaled = False
        for rs in _active(old_rss):
            scaled = self._scale(deployment, rs, 0)[0] or scaled
        if scaled or self._old_pods_running(new_rs, old_rss):
            return self._sync_rollout_status(deployment, all_rss, new_rs)
        if new_rs is None:
            new_rs, old_rss = self._new_and_old(deployment, rs_list, create=True)
            if new_rs is None:
                return None
            all_rss = [*old_rss, new_rs]
        if replicas(new_rs) != replicas(deployment):
            self._scale(deployment, new_rs, replicas(deployment))
        if deployment_complete(deployment, deployment.get("status") or {}):
            self._cleanup(deployment, old_rss)
        return self._sync_rollout_status(deployment, all_rss, new_rs)

    def _old_pods_running(self, new_rs: Obj | None, old_rss: list[Obj]) -> bool:
        """``oldPodsRunning``: an old ReplicaSet still counts pods, or one of its pods (even
        one shutting down) is not yet Succeeded or Failed."""
        if total_status(old_rss, "replicas") > 0:
            return True
        new_uid = new_rs["metadata"].get("uid") if new_rs else None
        uids = {rs["metadata"].get("uid") for rs in old_rss} - {new_uid}
        if not old_rss:
            return False
        namespace = old_rss[0]["metadata"].get("namespace", "")
        for _, pod in self.informer.by_index(KIND_NAMESPACE_INDEX, f"Pod/{namespace}"):
            ref = controller_ref(pod)
            if ref is None or ref.get("uid") not in uids:
                continue
            if (pod.get("status") or {}).get("phase") not in ("Succeeded", "Failed"):
                return True
        return False

    # -- history ----------------------------------------------------------------------------

    def _cleanup(self, deployment: Obj, old_rss: list[Obj]) -> None:
        """``cleanupDeployment``: delete the oldest empty ReplicaSets beyond the history
        limit."""
        limit = (deployment.get("spec") or {}).get("revisionHistoryLimit")
        if limit is None:
            return
        alive = [rs for rs in old_rss if not rs["metadata"].get("deletionTimestamp")]
        extra = len(alive) - int(limit)
        if extra <= 0:
            return
        alive.sort(key=lambda rs: (revision(rs), created_order(rs)))
        for rs in alive[:extra]:
            if (
                status_count(rs, "replicas") != 0
                or replicas(rs) != 0
                or int(rs["metadata"].get("generation") or 0)
                > status_count(rs, "observedGeneration")
            ):
                continue
            try:
                self.api.delete(
                    "ReplicaSet", rs["metadata"]["name"], rs["metadata"].get("namespace", "")
                )
            except ApiError as error:
                if error.reason != "NotFound":
                    raise

    # -- status -----------------------------------------------------------------------------

    def _check_paused(self, deployment: Obj) -> Obj:
        """``checkPausedConditions``."""
        if _deadline(deployment) is None:
            return deployment
        status = deployment.setdefault("status", {})
        current = cond.get_condition(status, cond.PROGRESSING)
        if current is not None and current.get("reason") == cond.TIMED_OUT:
            return deployment
        paused = bool((deployment.get("spec") or {}).get("paused"))
        has_paused = current is not None and current.get("reason") == cond.PAUSED
        if paused and not has_paused:
            reason, message = cond.PAUSED, "Deployment is paused"
        elif not paused and has_paused:
            reason, message = cond.RESUMED, "Deployment is resumed"
        else:
            return deployment
        cond.set_condition(
            status, cond.new_condition(cond.PROGRESSING, "Unknown", reason, message, self.clock.now)
        )
        self._write(deployment)
        return deployment

    def _calculate_status(
        self, deployment: Obj, all_rss: list[Obj], new_rs: Obj | None
    ) -> dict[str, Any]:
        """``calculateStatus``: counts over the ReplicaSets and the Available condition."""
        available = total_status(all_rss, "availableReplicas")
        unavailable = max(total_replicas(all_rss) - available, 0)
        old = deployment.get("status") or {}
        status: dict[str, Any] = {
            "observedGeneration": int(deployment["metadata"].get("generation") or 0),
            "replicas": total_status(all_rss, "replicas"),
            "updatedReplicas": status_count(new_rs, "replicas"),
            "readyReplicas": total_status(all_rss, "readyReplicas"),
            "availableReplicas": available,
            "unavailableReplicas": unavailable,
            "terminatingReplicas": total_status(all_rss, "terminatingReplicas"),
        }
        status = {k: v for k, v in status.items() if v or k == "terminatingReplicas"}
        if old.get("conditions"):
            status["conditions"] = clone(old["conditions"])
        if old.get("collisionCount") is not None:
            status["collisionCount"] = old["collisionCount"]
        if available >= replicas(deployment) - max_unavailable(deployment):
            available_condition = cond.new_condition(
                cond.AVAILABLE,
                "True",
                cond.MINIMUM_AVAILABLE,
                "Deployment has minimum availability.",
                self.clock.now,
            )
        else:
            available_condition = cond.new_condition(
                cond.AVAILABLE,
                "False",
                cond.MINIMUM_UNAVAILABLE,
                "Deployment does not have minimum availability.",
                self.clock.now,
            )
        cond.set_condition(status, available_condition)
        return status

    def _sync_status(self, deployment: Obj, all_rss: list[Obj | None], new_rs: Obj | None) -> None:
        """``syncDeploymentStatus``."""
        rss = [rs for rs in all_rss if rs is not None]
        status = self._calculate_status(deployment, rss, new_rs)
        if status != (deployment.get("status") or {}):
            deployment["status"] = status
            self._write(deployment)

    def _sync_rollout_status(
        self, deployment: Obj, all_rss: list[Obj], new_rs: Obj | None
    ) -> Result | None:
        """``syncRolloutStatus``: the Progressing condition and the deadline."""
        status = self._calculate_status(deployment, all_rss, new_rs)
        deadline = _deadline(deployment)
        if deadline is None:
            cond.remove_condition(status, cond.PROGRESSING)
        current = cond.get_condition(status, cond.PROGRESSING)
        complete_before = (
            status.get("replicas") == status.get("updatedReplicas")
            and current is not None
            and current.get("reason") == cond.NEW_RS_AVAILABLE
        )
        now = self.clock.now
        if deadline is not None and not complete_before:
            subject = (
                f'ReplicaSet "{new_rs["metadata"]["name"]}"'
                if new_rs is not None
                else f'Deployment "{deployment["metadata"]["name"]}"'
            )
            if deployment_complete(deployment, status):
                cond.set_condition(
                    status,
                    cond.new_condition(
                        cond.PROGRESSING,
                        "True",
                        cond.NEW_RS_AVAILABLE,
                        f"{subject} has successfully progressed.",
                        now,
                    ),
                )
            elif deployment_progressing(deployment, status):
                cond.replace_condition(
                    status,
                    cond.new_condition(
                        cond.PROGRESSING, "True", cond.RS_UPDATED, f"{subject} is progressing.", now
                    ),
                )
            elif self._timed_out(deployment, status, deadline):
                cond.set_condition(
                    status,
                    cond.new_condition(
                        cond.PROGRESSING,
                        "False",
                        cond.TIMED_OUT,
                        f"{subject} has timed out progressing.",
                        now,
                    ),
                )
        failure = self._replica_failure(all_rss, new_rs)
        if failure is not None:
            cond.set_condition(status, failure)
        else:
            cond.remove_condition(status, cond.REPLICA_FAILURE)
        if status == (deployment.get("status") or {}):
            return self._requeue_stuck(deployment, status, deadline)
        # The write's own event brings the next sync, which looks at the deadline.
        deployment["status"] = status
        self._write(deployment)
        return None

    def _timed_out(self, deployment: Obj, status: dict[str, Any], deadline: int) -> bool:
        """``DeploymentTimedOut``: the Progressing condition has not moved for longer than
        the deadline."""
        current = cond.get_condition(status, cond.PROGRESSING)
        if current is None or current.get("reason") == cond.NEW_RS_AVAILABLE:
            return False
        if current.get("reason") == cond.TIMED_OUT:
            return True
        stamp = current.get("lastUpdateTime")
        return stamp is not None and parse_rfc3339(stamp) + deadline < self.clock.now

    def _requeue_stuck(
        self, deployment: Obj, status: dict[str, Any], deadline: int | None
    ) -> Result | None:
        """``requeueStuckDeployment``: look again when the deadline passes."""
        current = cond.get_condition(status, cond.PROGRESSING)
        if deadline is None or current is None:
            return None
        if deployment_complete(deployment, status) or current.get("reason") == cond.TIMED_OUT:
            return None
        stamp = current.get("lastUpdateTime")
        if not stamp:
            return None
        after = parse_rfc3339(stamp) + deadline - self.clock.now
        if after < 1.0:
            return Result(requeue_after=RATE_LIMITED_RETRY)
        # Upstream adds a second "to avoid milliseconds skew in AddAfter".
        return Result(requeue_after=after + 1.0)

    @staticmethod
    def _replica_failure(all_rss: list[Obj], new_rs: Obj | None) -> dict[str, Any] | None:
        """``getReplicaFailures``: the new ReplicaSet's ReplicaFailure condition (else an old
        one's), copied onto the Deployment."""
        ordered = ([new_rs] if new_rs is not None else []) + [
            rs for rs in all_rss if rs is not new_rs
        ]
        for rs in ordered:
            for condition in (rs.get("status") or {}).get("conditions") or []:
                if condition.get("type") == cond.REPLICA_FAILURE:
                    return {
                        "type": cond.REPLICA_FAILURE,
                        "status": condition.get("status"),
                        "lastUpdateTime": condition.get("lastTransitionTime"),
                        "lastTransitionTime": condition.get("lastTransitionTime"),
                        "reason": condition.get("reason"),
                        "message": condition.get("message"),
                    }
        return None
