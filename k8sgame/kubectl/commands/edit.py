"""``kubectl edit``: the object's YAML goes to an editor, and what comes back is sent as a
patch of the differences (``kubectl/pkg/cmd/util/editor``).

kubectl blocks on a terminal editor; the game instead splits an edit in two so its own editor
can sit in between: ``open_edit`` gives the text to show, ``save_edit`` sends the result. A
session without an editor (the headless sandbox) says so plainly.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import yaml

from k8sgame.engine.errors import ApiError
from k8sgame.engine.objcopy import clone
from k8sgame.engine.patch import PatchError, strategic_merge_patch
from k8sgame.kubectl.commands.apply import three_way_patch
from k8sgame.kubectl.commands.targets import named_targets
from k8sgame.kubectl.errors import KubectlError, NotModelledError, server_error
from k8sgame.kubectl.parser import Flag, Invocation
from k8sgame.kubectl.printing import resource_label
from k8sgame.kubectl.result import Result
from k8sgame.kubectl.serialize import to_yaml
from k8sgame.kubectl.verbs import Effect, handles, register_verb
from k8sgame.manifests import load_value, yaml_problem

if TYPE_CHECKING:
    from k8sgame.kubectl.session import KubectlSession

register_verb(
    "edit",
    (Flag("filename", short="f", repeat=True), Flag("output", short="o")),
    effect=Effect.CHANGES,
)

# kubectl's header above the object (editoptions.go), so the buffer reads like the real one.
HEADER = (
    "# Please edit the object below. Lines beginning with a '#' will be ignored,\n"
    "# and an empty file will abort the edit. If an error occurs while saving this file will be\n"
    "# reopened with the relevant failures.\n"
    "#\n"
)


@dataclass
class EditSession:
    """One object being edited: where it lives and the YAML the editor was given."""

    info: Any
    name: str
    namespace: str
    original: dict[str, Any]
    text: str


def open_edit(session: KubectlSession, inv: Invocation) -> EditSession:
    """Fetch the (single) object named by the command and render it for the editor."""
    targets = named_targets(session, inv)
    if len(targets) != 1:
        raise KubectlError("the game's editor edits one object at a time")
    info, name, namespace = targets[0]
    obj = clone(session.api.get(info.kind, name, namespace))
    return EditSession(info, name, namespace, obj, HEADER + to_yaml(obj))


def _strip_comments(text: str) -> str:
    return "".join(
        line for line in text.splitlines(keepends=True) if not line.lstrip().startswith("#")
    )


def save_edit(session: KubectlSession, edit: EditSession, text: str) -> Result:
    """Send what the editor returned: nothing changed cancels, otherwise a patch of the
    differences against the object as it is now."""
    body = _strip_comments(text)
    if not body.strip():
        return Result(stderr="Edit cancelled, no changes made.\n", exit_code=0)
    try:
        edited = load_value(body)
    except yaml.YAMLError as exc:
        return Result(
            stderr=f"error: error parsing edited object: {yaml_problem(exc)}\n", exit_code=1
        )
    if edited == edit.original:
        return Result(stderr="Edit cancelled, no changes made.\n")
    if not isinstance(edited, dict) or edited.get("kind") != edit.original.get("kind"):
        return Result(
            stderr="error: At least one of apiVersion, kind and name was changed\n", exit_code=1
        )
    if (edited.get("metadata") or {}).get("name") != edit.name:
        return Result(
            stderr="error: At least one of apiVersion, kind and name was changed\n", exit_code=1
        )
    store = session.api
    try:
        live = store.get(edit.info.kind, edit.name, edit.namespace)
        patch = three_way_patch(edit.original, edited)
        merged = strategic_merge_patch(clone(live), patch)
        merged["metadata"]["resourceVersion"] = live["metadata"]["resourceVersion"]
        stored = store.update(merged)
    except PatchError as error:
        return Result(stderr=f"error: {error}\n", exit_code=1)
    except ApiError as error:
        return Result(stderr=server_error(error), exit_code=1)
    session.cluster.settle()
    label = resource_label(edit.info, edit.name)
    if stored["metadata"]["resourceVersion"] == live["metadata"]["resourceVersion"]:
        return Result(stdout=f"{label} skipped\n")
    return Result(stdout=f"{label} edited\n")


@handles("edit")
def run(session: KubectlSession, inv: Invocation) -> Result:
    """Edit through the session's editor (a function from text to text), if it has one."""
    edit = open_edit(session, inv)
    editor = getattr(session, "editor", None)
    if editor is None:
        raise NotModelledError("edit_needs_editor")
    return save_edit(session, edit, editor(edit.text))
