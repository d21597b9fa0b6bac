"""``kubectl explain``: the fields of a kind, drawn from the engine's schema data.

The layout is kubectl 1.35's OpenAPI v3 renderer: the ``plaintext`` template in
``staging/src/k8s.io/kubectl/pkg/explain/v2/templates/plaintext.tmpl`` executed by
``staging/src/k8s.io/kubectl/pkg/explain/v2/explain.go``. Resource and field-path parsing is
``SplitAndParseResourceRequestWithMatchingPrefix`` (``kubectl/pkg/explain/explain.go``), the
flags and argument checks are ``kubectl/pkg/cmd/explain/explain.go``. Descriptions are the
game's own English and Korean prose in ``assets/explain.yaml``; where the engine passes a
field through without modelling it (``Anything`` fields and ``open`` structs) the text says so
instead of describing contents the game does not have.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING, Any

from k8sgame.content.assets import load_yaml
from k8sgame.engine.api.registry import KindInfo
from k8sgame.engine.api.schema import Anything, FieldType, ListOf, MapOf, Scalar, Struct
from k8sgame.kubectl.errors import KubectlError
from k8sgame.kubectl.parser import Flag, Invocation
from k8sgame.kubectl.result import Result
from k8sgame.kubectl.verbs import handles, register_verb

if TYPE_CHECKING:
    from k8sgame.kubectl.session import KubectlSession

register_verb(
    "explain",
    (
        Flag("recursive", "bool", default=False),
        Flag("api-version", default=""),
        Flag("output", short="o", default="plaintext"),
    ),
)

EXPLAIN_FILE = "explain.yaml"
PLAINTEXT = "plaintext"
PLAINTEXT_OPENAPIV2 = "plaintext-openapiv2"

# Go types as the OpenAPI v3 document types them, after kubectl's "typeGuess" template:
# named types whose schema is not an object (Time is ``type: string``) show the primitive;
# Quantity and IntOrString are ``oneOf`` without a ``type`` and so show their own name.
_SCALAR_TYPES = {
    "string": "string",
    "int32": "integer",
    "int64": "integer",
    "bool": "boolean",
    "float64": "number",
    "resource.Quantity": "Quantity",
    "intstr.IntOrString": "IntOrString",
    "v1.Time": "string",
    "v1.MicroTime": "string",
    "[]uint8": "string",
}
# Scalars that are ``$ref``s upstream: their type description follows the field's in the
# single-field view (plaintext.tmpl "description" walks allOf/items/additionalProperties).
_SCALAR_DOC_KEYS = {
    "resource.Quantity": "Quantity",
    "intstr.IntOrString": "IntOrString",
    "v1.Time": "Time",
    "v1.MicroTime": "MicroTime",
}


@lru_cache(maxsize=1)
def explain_docs() -> dict[str, Any]:
    """``assets/explain.yaml``, parsed once per process."""
    data = load_yaml(EXPLAIN_FILE)
    if not isinstance(data, dict):
        raise ValueError(f"{EXPLAIN_FILE}: expected a mapping at the top level")
    return data


def _text(entry: Any, language: str) -> str:
    if not isinstance(entry, dict):
        return ""
    text = entry.get(language) or entry.get("en") or ""
    return str(text).strip()


@dataclass(frozen=True)
class FieldDoc:
    """One property of a struct as explain shows it."""

    name: str
    schema: FieldType
    type_name: str
    required: bool
    enum: tuple[str, ...]
    description: str
    # The game's remark that it does not model this field's contents ("" when it does).
    note: str
    # The struct whose fields come next (lists and maps unwrapped), if the engine models one.
    target: Struct | None
    # The type's own description, appended in the single-field view.
    type_description: str
    # True when the game passes this field's contents through without modelling them.
    unmodeled: bool


class Docs:
    """Descriptions, types, enums and required markers for the engine's structs."""

    def __init__(self, data: dict[str, Any], language: str) -> None:
        self.data = data
        self.language = language

    def note(self, key: str, **fields: str) -> str:
        notes = self.data.get("_notes") or {}
        return _text(notes.get(key), self.language).format(**fields)

    def struct_description(self, struct: Struct) -> str:
        text = _text(self.data.get(struct.doc_key), self.language)
        if struct.open:
            key = "open_struct_partial" if struct.fields else "open_struct"
            text = _join_lines(text, self.note(key, struct=struct.name))
        return text

    def field(self, owner: Struct, name: str) -> FieldDoc:
        schema = owner.fields[name]
        entry = self.data.get(f"{owner.doc_key}.{name}") or {}
        target = _target(schema)
        override = entry.get("type") if isinstance(entry, dict) else None
        type_name = str(override) if override else _type_name(schema)
        unmodeled = _is_unmodeled(schema)
        description = _text(entry, self.language)
        note = self.note("unmodeled_field") if unmodeled else ""
        type_description = ""
        if target is not None:
            type_description = self.struct_description(target)
        else:
            scalar = _innermost(schema)
            doc_key = ""
            if isinstance(scalar, Scalar):
                doc_key = _SCALAR_DOC_KEYS.get(scalar.go_type, "")
            elif override and str(override) in _SCALAR_DOC_KEYS.values():
                # An unmodelled field whose upstream type is a documented scalar (Quantity).
                doc_key = str(override)
            if doc_key:
                type_description = _text(self.data.get(doc_key), self.language)
        enum = tuple(str(v) for v in (entry.get("enum") or ())) if isinstance(entry, dict) else ()
        required = bool(entry.get("required")) if isinstance(entry, dict) else False
        return FieldDoc(
            name,
            schema,
            type_name,
            required,
            enum,
            description,
            note,
            target,
            type_description,
            unmodeled,
        )


def _join_lines(first: str, second: str) -> str:
    return f"{first}\n{second}" if first and second else first or second


def _innermost(schema: FieldType) -> FieldType:
    while isinstance(schema, ListOf | MapOf):
        schema = schema.item if isinstance(schema, ListOf) else schema.value
    return schema


def _target(schema: FieldType) -> Struct | None:
    inner = _innermost(schema)
    return inner if isinstance(inner, Struct) else None


def _is_unmodeled(schema: FieldType) -> bool:
    inner = _innermost(schema)
    return isinstance(inner, Anything) or (isinstance(inner, Struct) and inner.open)


def _type_name(schema: FieldType) -> str:
    """kubectl's ``typeGuess``: ``[]X``, ``map[string]X``, a struct's name, or a JSON type."""
    if isinstance(schema, ListOf):
        return "[]" + _type_name(schema.item)
    if isinstance(schema, MapOf):
        return "map[string]" + _type_name(schema.value)
    if isinstance(schema, Struct):
        return schema.name
    if isinstance(schema, Scalar):
        return _SCALAR_TYPES.get(schema.go_type, "Object")
    return "Object"


def all_structs(schema: Struct) -> list[Struct]:
    """Every struct reachable from ``schema`` (itself first), each once by name."""
    seen: dict[str, Struct] = {}

    def walk(node: FieldType) -> None:
        inner = _innermost(node)
        if isinstance(inner, Struct) and inner.name not in seen:
            seen[inner.name] = inner
            for child in inner.fields.values():
                walk(child)

    walk(schema)
    return list(seen.values())


# --- text layout: go-wordwrap's WrapString and the template's "indent" -------------------------


def _width(char: str) -> int:
    """Columns a character takes; Hangul and other wide characters take two.

    go-wordwrap counts runes; counting display columns keeps Korean text inside the 80-column
    layout kubectl aims for and changes nothing for ASCII text."""
    return 2 if unicodedata.east_asian_width(char) in ("W", "F") else 1


def wrap(text: str, limit: int) -> str:
    """``wordwrap.WrapString`` (github.com/mitchellh/go-wordwrap v1.0.1), which
    ``kubectl/pkg/util/term.NewWordWrapWriter`` applies for the template's ``wrap``."""
    out: list[str] = []
    current = 0
    word: list[str] = []
    space: list[str] = []
    word_len = 0
    space_len = 0
    for char in text:
        if char == "\n":
            if not word:
                if current + space_len > limit:
                    current = 0
                else:
                    current += space_len
                    out.extend(space)
                space, space_len = [], 0
            else:
                current += space_len + word_len
                out.extend(space)
                out.extend(word)
                space, space_len, word, word_len = [], 0, [], 0
            out.append(char)
            current = 0
        elif char.isspace() and char != "\u00a0":
            if not space or word:
                current += space_len + word_len
                out.extend(space)
                out.extend(word)
                space, space_len, word, word_len = [], 0, [], 0
            space.append(char)
            space_len += _width(char)
        else:
            word.append(char)
            word_len += _width(char)
            if current + word_len + space_len > limit and word_len < limit:
                out.append("\n")
                current = 0
                space, space_len = [], 0
    if not word:
        if current + space_len <= limit:
            out.extend(space)
    else:
        out.extend(space)
        out.extend(word)
    return "".join(out)


def indent(amount: int, text: str) -> str:
    """The template's ``indent``: a pad before the text and after every newline."""
    pad = " " * amount
    return pad + text.replace("\n", "\n" + pad)


# --- rendering: plaintext.tmpl ------------------------------------------------------------------


def _enum_short(enum: tuple[str, ...], amount: int) -> str:
    """``extractEnum`` in the list view: ``enum: A, B, C, D, ....`` (at most four)."""
    if not enum:
        return ""
    shown = [_enum_value(v) for v in enum[:4]]
    tail = ", ...." if len(enum) > 4 else ""
    return "\n" + " " * amount + "enum: " + ", ".join(shown) + tail


def _enum_long(enum: tuple[str, ...]) -> str:
    """``extractEnum`` in the single-field view: ``ENUM:`` then one value a line."""
    if not enum:
        return ""
    return "ENUM:" + "".join("\n    " + _enum_value(v) for v in enum)


def _enum_value(value: str) -> str:
    return '""' if value == "" else value


def _field_detail(doc: FieldDoc, level: int, short: bool) -> str:
    amount = level * 2
    text = indent(amount, doc.name) + f"\t<{doc.type_name}>"
    if doc.required:
        text += " -required-"
    text += _enum_short(doc.enum, amount) + "\n"
    if not short:
        body = _join_lines(doc.description, doc.note) or "<no description>"
        text += indent(amount + 2, wrap(body, 78 - amount)) + "\n\n"
    return text


def _field_list(
    docs: Docs, struct: Struct, level: int, recursive: bool, history: frozenset[str]
) -> str:
    """The template's ``fieldList``: properties in Go map order (sorted by name)."""
    parts: list[str] = []
    for name in sorted(struct.fields):
        doc = docs.field(struct, name)
        parts.append(_field_detail(doc, level, recursive))
        target = doc.target
        if recursive and target is not None and target.go_type not in history:
            parts.append(
                _field_list(docs, target, level + 1, recursive, history | {target.go_type})
            )
    return "".join(parts)


def _description_block(description: str) -> str:
    return "DESCRIPTION:\n" + indent(4, wrap(description or "<empty>", 76)) + "\n"


class FieldPathError(Exception):
    """The field path does not lead anywhere; kubectl has already printed the header."""

    def __init__(self, head: str, message: str) -> None:
        super().__init__(message)
        self.head = head
        self.message = message


def render(info: KindInfo, path: list[str], recursive: bool, language: str = "en") -> str:
    """The text kubectl prints for ``explain <kind>[.path]``.

    Raises FieldPathError for a path that does not resolve: the template has written the
    ``KIND``/``VERSION`` header to stdout before it throws."""
    docs = Docs(explain_docs(), language)
    head = ""
    if info.group:
        head += f"GROUP:      {info.group}\n"
    head += f"KIND:       {info.kind}\n"
    head += f"VERSION:    {info.version}\n\n"
    struct = info.schema
    if not path:
        description = docs.struct_description(struct)
        body = _description_block(description + "\n" if description else "")
        fields = _field_list(docs, struct, 1, recursive, frozenset())
        if fields:
            body += "FIELDS:\n" + fields
        return head + body + "\n"

    current: Struct | None = struct
    parent_name = info.kind
    doc: FieldDoc | None = None
    for name in path:
        if current is None or name not in current.fields:
            if current is not None:
                unmodeled = current.open
            else:
                unmodeled = doc is not None and doc.unmodeled
            if unmodeled:
                raise FieldPathError(
                    head, docs.note("unmodeled_path", field=name, parent=parent_name)
                )
            # plaintext.tmpl "schema": the error names the path's last element.
            raise FieldPathError(head, f'field "{path[-1]}" does not exist')
        doc = docs.field(current, name)
        parent_name = name
        current = doc.target
    assert doc is not None
    body = f"FIELD: {doc.name} <{doc.type_name}>\n"
    body += _enum_long(doc.enum) + "\n\n"
    # An open struct's own description already says the game does not model its fields.
    note = "" if doc.target is not None else doc.note
    parts = (doc.description, note, doc.type_description)
    description = "".join(part + "\n" for part in parts if part)
    body += _description_block(description)
    if doc.target is not None:
        fields = _field_list(docs, doc.target, 1, recursive, frozenset({doc.target.go_type}))
        if fields:
            body += "FIELDS:\n" + fields
    return head + body + "\n"


# --- the command --------------------------------------------------------------------------------

_FIELD_NAME = re.compile(r"^[^\[\]\.\s\{\}\(\)\*@\$'\"]+$")


def _split(argument: str) -> list[str]:
    """Dotted path to words (``jsonPathParse`` accepting only field nodes)."""
    words = argument.removesuffix(".").split(".")
    for word in words:
        if not word or not _FIELD_NAME.match(word):
            raise KubectlError("invalid jsonpath syntax, first node must be field node")
    return words


class UnknownResource(Exception):
    """``meta.NoResourceMatchError``: cmdutil.CheckErr prints it without ``error:``."""


def _resolve(session: KubectlSession, argument: str) -> tuple[KindInfo, list[str]]:
    """``SplitAndParseResourceRequestWithMatchingPrefix``: the kind and the field path."""
    words = _split(argument)
    resource = words[0]
    registry = session.api.registry
    info = registry.resolve(resource)
    if info is None:
        raise UnknownResource(resource)
    # A group-qualified resource (``deployments.apps.spec``) names its group before the path.
    lowered = resource.lower()
    for candidate in registry.all():
        if not candidate.group:
            continue
        names = (candidate.kind.lower(), candidate.plural, candidate.singular)
        if lowered not in (*names, *candidate.short_names):
            continue
        prefix = f"{candidate.plural}.{candidate.group}"
        if argument == prefix or argument.startswith(prefix + "."):
            rest = argument[len(prefix) :].strip(".")
            return candidate, rest.split(".") if rest else []
    return info, words[1:]


def _served_group_versions(session: KubectlSession) -> set[tuple[str, str]]:
    served = set()
    for info in session.api.registry.all():
        served.add((info.group, info.version))
        served.update((info.group, other.version) for other in info.other_versions)
    return served


@handles("explain")
def run(session: KubectlSession, inv: Invocation) -> Result:
    """``kubectl explain RESOURCE[.field...] [--recursive] [--api-version] [-o plaintext]``."""
    if not inv.args:
        raise KubectlError(
            'You must specify the type of resource to explain. Use "kubectl api-resources" for a complete list of supported resources.'
        )
    if len(inv.args) > 1:
        raise KubectlError("We accept only this format: explain RESOURCE")
    try:
        info, path = _resolve(session, inv.args[0])
    except UnknownResource as missing:
        return Result(stderr=f'the server doesn\'t have a resource type "{missing}"\n', exit_code=1)
    output = inv.flag("output") or PLAINTEXT
    api_version = inv.flag("api-version") or ""
    group, version = info.group, info.version
    if api_version:
        group, version = _parse_group_version(api_version)
    if output == PLAINTEXT_OPENAPIV2:
        raise KubectlError(Docs(explain_docs(), _language(session)).note("openapiv2_output"))
    if (group, version) not in _served_group_versions(session):
        raise KubectlError(
            f'couldn\'t find resource for "{group}/{version}, Resource={info.plural}"'
        )
    if output != PLAINTEXT:
        raise KubectlError(f"unrecognized format: {output}")
    view = info.for_version(version) if group == info.group else None
    if view is None:
        raise KubectlError(
            f"GVR ({group}/{version}, Resource={info.plural}) not found in OpenAPI schema"
        )
    info = view
    try:
        text = render(info, path, bool(inv.flag("recursive")), _language(session))
    except FieldPathError as error:
        return Result(stdout=error.head, stderr=f"error: {error.message}\n", exit_code=1)
    return Result(stdout=text)


def _language(session: KubectlSession) -> str:
    return str(getattr(session, "language", "en") or "en")


def _parse_group_version(text: str) -> tuple[str, str]:
    """``schema.ParseGroupVersion`` (apimachinery ``runtime/schema/group_version.go``)."""
    if text in ("", "/"):
        return "", ""
    parts = text.split("/")
    if len(parts) == 1:
        return "", parts[0]
    if len(parts) == 2:
        return parts[0], parts[1]
    raise KubectlError(f"unexpected GroupVersion string: {text}")
