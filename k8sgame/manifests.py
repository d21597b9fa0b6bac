"""Reading manifest text (one or more YAML documents) into objects for the API store.

Errors use kubectl's words: ``error parsing pod.yaml: error converting YAML to JSON: yaml:
line 5: mapping values are not allowed in this context``. Only ``yaml.safe_load`` is used:
manifests may come from strangers. The phrases follow go-yaml (a port of libyaml), which
kubectl uses; PyYAML words a few of them differently, so those are translated.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from typing import Any

import yaml

from k8sgame.engine.objcopy import clone

# PyYAML's wording -> go-yaml's wording for the problems people actually make.
_GO_YAML_WORDS = {
    "mapping values are not allowed here": "mapping values are not allowed in this context",
    "found character '\\t' that cannot start any token": "found character that cannot start any token",
    "found a tab character that violates indentation": "found a tab character that violates indentation",
    "could not find expected ':'": "could not find expected ':'",
    "expected <block end>, but found '<block sequence start>'": "did not find expected key",
    "expected <block end>, but found '-'": "did not find expected key",
    "expected <block end>, but found '<scalar>'": "did not find expected key",
    "expected <block end>, but found '<block mapping start>'": "did not find expected key",
}


class ManifestError(ValueError):
    """A manifest that cannot be read; the message is what kubectl prints after ``error: ``."""


@dataclass(frozen=True)
class Manifest:
    """One document: the object and the line it starts on (1-based)."""

    obj: dict[str, Any]
    line: int


def yaml_problem(exc: yaml.YAMLError) -> str:
    """A PyYAML error in go-yaml's words (what kubectl prints), with its line."""
    problem = getattr(exc, "problem", None) or str(exc)
    text = _GO_YAML_WORDS.get(problem, problem)
    if text.startswith("found character") and "cannot start any token" in text:
        text = "found character that cannot start any token"
    mark = getattr(exc, "problem_mark", None)
    if mark is not None:
        return f"yaml: line {mark.line + 1}: {text}"
    return f"yaml: {text}"


class NoDatesLoader(yaml.SafeLoader):
    """safe_load, but timestamps stay strings as they do when kubectl converts YAML to JSON."""


NoDatesLoader.yaml_implicit_resolvers = {
    key: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for key, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


def load_value(text: str) -> Any:
    """One YAML or JSON value as kubectl reads it (``yaml.ToJSON``): safe loading, timestamps
    kept as strings, keys made strings. Raises ``yaml.YAMLError``."""
    loader = NoDatesLoader(text)
    try:
        return _json_keys(loader.get_single_data())
    finally:
        loader.dispose()


def parse_manifests(text: str, source: str) -> list[Manifest]:
    """All non-empty documents in ``text``; raises ManifestError naming ``source`` and the line."""
    # Each caller gets its own objects: the store changes what it is given.
    return [Manifest(clone(m.obj), m.line) for m in _parsed(text, source)]


@lru_cache(maxsize=64)
def _parsed(text: str, source: str) -> tuple[Manifest, ...]:
    """Kept for the same file read again: replaying a play (the levels' look-ahead, a saved
    game) applies the same manifests each time, and YAML parsing is slow."""
    try:
        loader = NoDatesLoader(text)
        documents: list[tuple[Any, int]] = []
        try:
            while loader.check_node():
                node = loader.get_node()
                assert node is not None  # check_node said there is one
                documents.append((loader.construct_document(node), node.start_mark.line + 1))
        finally:
            loader.dispose()
    except yaml.YAMLError as exc:
        raise ManifestError(
            f"error parsing {source}: error converting YAML to JSON: {yaml_problem(exc)}"
        ) from None
    found = []
    for document, line in documents:
        if document is None:
            continue
        if not isinstance(document, dict):
            kind = (
                "array"
                if isinstance(document, list)
                else "string"
                if isinstance(document, str)
                else "number"
            )
            raise ManifestError(
                f'error validating "{source}": error validating data: invalid object to validate; '
                f"json: cannot unmarshal {kind} into Go value of type map[string]interface {{}}"
            )
        missing = [f for f in ("apiVersion", "kind") if not document.get(f)]
        if missing:
            detail = ", ".join(f"{f} not set" for f in missing)
            raise ManifestError(f'error validating "{source}": error validating data: [{detail}]')
        found.append(Manifest(_json_keys(document), line))
    return tuple(found)


def _json_keys(value: Any) -> Any:
    """YAML allows non-string keys; JSON (what kubectl sends) turns them into strings."""
    if isinstance(value, dict):
        return {
            str(k).lower() if isinstance(k, bool) else str(k): _json_keys(v)
            for k, v in value.items()
        }
    if isinstance(value, list):
        return [_json_keys(v) for v in value]
    return value
