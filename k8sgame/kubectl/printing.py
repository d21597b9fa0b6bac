"""Printing objects with ``-o``: the formats every kubectl verb that returns objects shares
(``cli-runtime/pkg/genericclioptions/print_flags.go``), plus the table-only ``wide``."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from k8sgame.kubectl.custom_columns import print_columns
from k8sgame.kubectl.errors import KubectlError, NotModelledError
from k8sgame.kubectl.jsonpath import list_object, print_template
from k8sgame.kubectl.kyaml import to_kyaml
from k8sgame.kubectl.serialize import as_list, to_json, to_yaml

if TYPE_CHECKING:
    from k8sgame.kubectl.session import KubectlSession

# kubectl's list for verbs without a table printer (run, create, patch, label, ...).
OBJECT_FORMATS = (
    "go-template,go-template-file,json,jsonpath,jsonpath-as-json,jsonpath-file,kyaml,name,"
    "template,templatefile,yaml"
)
# kubectl get adds the table-based ones.
GET_FORMATS = (
    "custom-columns,custom-columns-file,go-template,go-template-file,json,jsonpath,"
    "jsonpath-as-json,jsonpath-file,kyaml,name,template,templatefile,wide,yaml"
)
TEMPLATES = ("go-template", "template")
FILE_TEMPLATES = ("go-template-file", "templatefile", "jsonpath-file", "custom-columns-file")


@dataclass(frozen=True)
class Output:
    """A parsed ``-o`` value: the format and, for templates, its argument."""

    format: str  # "", wide, yaml, json, name, jsonpath, jsonpath-as-json, custom-columns
    argument: str = ""

    @property
    def table(self) -> bool:
        return self.format in ("", "wide")


def resource_label(info: Any, name: str) -> str:
    """``pod/web``, ``deployment.apps/web``: how kubectl names an object in its output."""
    prefix = info.singular if not info.group else f"{info.singular}.{info.group}"
    return f"{prefix}/{name}"


def no_printer(output: str, allowed: str = OBJECT_FORMATS) -> KubectlError:
    return KubectlError(
        f'unable to match a printer suitable for the output format "{output}", '
        f"allowed formats are: {allowed}"
    )


def parse_output(session: KubectlSession, output: str, allowed: str = OBJECT_FORMATS) -> Output:
    """Check an ``-o`` value before anything is changed, as kubectl does."""
    name, _, argument = output.partition("=")
    formats = allowed.split(",")
    if name in TEMPLATES and name in formats:
        if not argument:
            raise KubectlError("template format specified but no template given")
        raise NotModelledError("template_not_modelled", output=name)
    if name in FILE_TEMPLATES and name in formats:
        raise NotModelledError("file_output_not_modelled", output=name)
    if output and name not in formats:
        raise no_printer(output, allowed)
    if name in ("jsonpath", "jsonpath-as-json") and not argument:
        raise KubectlError("template format specified but no template given")
    if name == "custom-columns" and not argument:
        raise KubectlError("custom-columns format specified but no custom columns given")
    if argument and name not in ("jsonpath", "jsonpath-as-json", "custom-columns"):
        raise no_printer(output, allowed)
    return Output(name, argument)


def check_object_output(session: KubectlSession, output: str) -> Output:
    """``parse_output`` for verbs that print objects but no table."""
    return parse_output(session, output, OBJECT_FORMATS)


def print_objects(
    items: list[tuple[Any, dict[str, Any]]],
    output: Output | str,
    struct_order: bool = False,
    single: bool | None = None,
    no_headers: bool = False,
) -> str:
    """Print (kind info, object) pairs in a non-table format. ``single`` (default: exactly one
    item) prints the object itself rather than a List; ``struct_order`` keeps a generated
    object's key order in JSON. Template errors raise JsonPathError."""
    chosen = output if isinstance(output, Output) else Output(output)
    # A kind asked for in another served version (``hpa.v1.autoscaling``) is shown in it.
    objects = [info.view(obj) if info.view else obj for info, obj in items]
    alone = len(objects) == 1 if single is None else single
    if chosen.format == "name":
        return "".join(
            resource_label(info, obj["metadata"].get("name", "")) + "\n" for info, obj in items
        )
    if chosen.format in ("jsonpath", "jsonpath-as-json"):
        data = objects[0] if alone else list_object(objects)
        return print_template(chosen.argument, data, as_json=chosen.format == "jsonpath-as-json")
    if chosen.format == "custom-columns":
        return print_columns(chosen.argument, objects, no_headers)
    document = objects[0] if alone else as_list(objects)
    if chosen.format == "yaml":
        return to_yaml(document)
    if chosen.format == "kyaml":
        return to_kyaml(document, sort_keys=not struct_order)
    return to_json(document, sort_keys=not struct_order)
