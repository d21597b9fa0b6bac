"""``RealPodControl`` (``pkg/controller/controller_utils.go``): how workload controllers
create pods from a template and delete them, each with its Event on the owner
(``SuccessfulCreate``/``Created pod: x``, ``SuccessfulDelete``/``Deleted pod: x``, or
``FailedCreate``/``FailedDelete``)."""

from __future__ import annotations

from typing import Any

from k8sgame.engine.apiserver.client import Client
from k8sgame.engine.controllers.ownership import controller_reference
from k8sgame.engine.errors import ApiError
from k8sgame.engine.events import NORMAL, WARNING, EventRecorder
from k8sgame.engine.objcopy import clone

Obj = dict[str, Any]


class PodControl:
    """Creates and deletes the pods of one controller, as its ``component``."""

    def __init__(self, api: Client, recorder: EventRecorder, component: str) -> None:
        self.api = api
        self.recorder = recorder
        self.component = component

    def create(self, owner: Obj, template: Obj | None, finalizers: tuple[str, ...] = ()) -> bool:
        """A pod from ``template`` (``generateName: <owner>-``, its labels, annotations and
        finalizers, a controller reference); whether it was created."""
        template = template or {}
        template_md = template.get("metadata") or {}
        md = owner["metadata"]
        pod: Obj = {
            "apiVersion": "v1",
            "kind": "Pod",
            "metadata": {
                "generateName": f"{md['name']}-",
                "namespace": md.get("namespace", ""),
                "ownerReferences": [controller_reference(owner)],
            },
            "spec": clone(template.get("spec") or {}),
        }
        for field in ("labels", "annotations", "finalizers"):
            if template_md.get(field):
                pod["metadata"][field] = clone(template_md[field])
        if finalizers:
            pod["metadata"]["finalizers"] = [*pod["metadata"].get("finalizers", []), *finalizers]
        try:
            created = self.api.create(pod)
        except ApiError as error:
            self.recorder.record(
                owner, WARNING, "FailedCreate", f"Error creating: {error.message}", self.component
            )
            return False
        self.recorder.record(
            owner,
            NORMAL,
            "SuccessfulCreate",
            f"Created pod: {created['metadata']['name']}",
            self.component,
        )
        return True

    def delete(self, owner: Obj, pod: Obj) -> None:
        """Delete ``pod``; a pod already gone is no error."""
        name = pod["metadata"]["name"]
        try:
            self.api.delete("Pod", name, pod["metadata"].get("namespace", ""))
        except ApiError as error:
            if error.reason != "NotFound":
                self.recorder.record(
                    owner,
                    WARNING,
                    "FailedDelete",
                    f"Error deleting: {error.message}",
                    self.component,
                )
            return
        self.recorder.record(
            owner, NORMAL, "SuccessfulDelete", f"Deleted pod: {name}", self.component
        )
