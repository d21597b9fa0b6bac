"""The simulated API server and its etcd: typed objects, resourceVersions and watches.

Every write goes through decode checks (unknown fields, types), defaulting, admission and
validation as the real API server does, bumps one cluster-wide resourceVersion, appends a
line to the audit log and notifies watchers. Watchers (controllers, the scheduler, kubelets)
must only queue work from a notification, never write back synchronously — as informers do.
"""

from __future__ import annotations

import builtins
import uuid
from bisect import bisect_left, insort
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from random import Random
from typing import Any, Protocol

from k8sgame.engine.api import schema as schema_check
from k8sgame.engine.api.meta import validate_metadata
from k8sgame.engine.api.name_generator import random_suffix
from k8sgame.engine.api.registry import (
    AdmissionContext,
    ConversionError,
    KindInfo,
    KindRegistry,
)
from k8sgame.engine.clock import PRIORITY_CONTROLLER, SimClock
from k8sgame.engine.errors import (
    ApiError,
    already_exists,
    bad_request,
    conflict,
    invalid,
    invalid_object,
    not_found,
)
from k8sgame.engine.labels import Selector
from k8sgame.engine.objcopy import clone
from k8sgame.engine.patch import PatchError, json_patch, merge_patch, strategic_merge_patch
from k8sgame.engine.timefmt import rfc3339

ADDED, MODIFIED, DELETED = "ADDED", "MODIFIED", "DELETED"
FOREGROUND_FINALIZER = "foregroundDeletion"
ORPHAN_FINALIZER = "orphan"
PROPAGATION_POLICIES = ("Background", "Foreground", "Orphan")
_IMMUTABLE_META = ("name", "namespace", "uid", "creationTimestamp")


@dataclass(frozen=True)
class WatchEvent:
    """A change notification. ``obj`` is the stored object: read it, never change it."""

    type: str
    kind: str
    obj: dict[str, Any]
    old: dict[str, Any] | None = None


Watcher = Callable[[WatchEvent], None]
# (key function, value): a watch that only hears objects whose key — new or old — is value.
WatchIndex = tuple[Callable[[dict[str, Any]], str], str]


class Admission(Protocol):
    """The API server's admission for one request, bound to its attributes."""

    def admit(self, obj: dict[str, Any], ctx: AdmissionContext) -> None: ...

    def validate(self, obj: dict[str, Any], ctx: AdmissionContext) -> None: ...


Key = tuple[str, str]  # (namespace, name)


class Store:
    """Object storage with API-server semantics for every registered kind."""

    def __init__(self, registry: KindRegistry, clock: SimClock, rng: Random) -> None:
        self.registry = registry
        self.clock = clock
        self.rng = rng
        self._objects: dict[str, dict[Key, dict[str, Any]]] = {}
        # Each kind's keys in (namespace, name) order, kept as objects come and go, so a
        # list never sorts the whole kind again.
        self._sorted_keys: dict[str, list[Key]] = {}
        # Per kind, from its first list by a label selector on: the keys of the objects that
        # carry each (label key, value), so a selector with an equality (``app=web``) looks at
        # those objects only instead of matching the labels of every one.
        self._label_index: dict[str, dict[tuple[str, str], set[Key]]] = {}
        self._revision = 0
        # Watchers in registration order (the order they hear each change in): for every
        # kind, and per kind; indexed ones per (kind, key function) and key value.
        self._watch_seq = 0
        self._all_kind_watchers: list[tuple[int, Watcher]] = []
        self._kind_watchers: dict[str, list[tuple[int, Watcher]]] = {}
        self._indexed_watchers: dict[
            str, dict[Callable[[dict[str, Any]], str], dict[str, list[tuple[int, Watcher]]]]
        ] = {}
        self._merged_watchers: dict[str, list[tuple[int, Watcher]]] = {}
        # When each object of a kind with a TTL expires (its etcd lease).
        self._leases: dict[tuple[str, Key], float] = {}
        self.audit: list[str] = []
        # Who makes the write being stored (set by the API server for each request).
        self.actor = "-"
        # Warnings the API server sends back with a write (Warning headers), until taken.
        self.warnings: list[str] = []

    # -- lookup -----------------------------------------------------------------------------

    def take_warnings(self) -> list[str]:
        """The warnings of the writes since the last call (kubectl prints each)."""
        taken, self.warnings = self.warnings, []
        return taken

    def kind_info(self, kind: str) -> KindInfo:
        info = self.registry.get(kind)
        if info is None:
            raise bad_request(f'no kind "{kind}" is registered')
        return info

    def _bucket(self, kind: str) -> dict[Key, dict[str, Any]]:
        return self._objects.setdefault(kind, {})

    @staticmethod
    def _key(info: KindInfo, name: str, namespace: str) -> Key:
        return (namespace if info.namespaced else "", name)

    def peek(self, kind: str, name: str, namespace: str = "") -> dict[str, Any] | None:
        """The stored object itself (no copy) or None. Read-only for callers."""
        namespaced = self.kind_info(kind).namespaced
        # The most frequent read of all: no bucket is made for a kind never written.
        bucket = self._objects.get(kind)
        return bucket.get((namespace if namespaced else "", name)) if bucket else None

    def get(self, kind: str, name: str, namespace: str = "") -> dict[str, Any]:
        """A copy of one object; NotFound if missing."""
        return clone(self.stored(kind, name, namespace))

    def stored(self, kind: str, name: str, namespace: str = "") -> dict[str, Any]:
        """The stored object itself (no copy); NotFound if missing. Read-only for callers."""
        info = self.kind_info(kind)
        found = self._bucket(kind).get(self._key(info, name, namespace))
        if found is None:
            raise not_found(info.plural, info.group, name)
        return found

    def iter(self, kind: str, namespace: str | None = None) -> Iterator[dict[str, Any]]:
        """Stored objects of a kind (no copies), sorted by namespace then name."""
        bucket = self._bucket(kind)
        keys = self._keys(kind)
        if namespace is None:
            chosen = keys[:]
        else:
            # (namespace,) sorts before every (namespace, name); "\0" is the lowest character.
            chosen = keys[bisect_left(keys, (namespace,)) : bisect_left(keys, (namespace + "\0",))]
        for key in chosen:
            yield bucket[key]

    def _keys(self, kind: str) -> list[Key]:
        keys = self._sorted_keys.get(kind)
        if keys is None:
            keys = self._sorted_keys[kind] = sorted(self._bucket(kind))
        return keys

    def _add_key(self, kind: str, key: Key) -> None:
        keys = self._sorted_keys.get(kind)
        if keys is not None:
            insort(keys, key)

    def _drop_key(self, kind: str, key: Key) -> None:
        keys = self._sorted_keys.get(kind)
        if keys is not None:
            at = bisect_left(keys, key)
            if at < len(keys) and keys[at] == key:
                del keys[at]

    def list(
        self,
        kind: str,
        namespace: str | None = None,
        selector: Selector | None = None,
        field_filter: Callable[[dict[str, Any]], bool] | None = None,
    ) -> builtins.list[dict[str, Any]]:
        """Copies of the matching objects, sorted by namespace then name."""
        return [clone(obj) for obj in self.view(kind, namespace, selector, field_filter)]

    def view(
        self,
        kind: str,
        namespace: str | None = None,
        selector: Selector | None = None,
        field_filter: Callable[[dict[str, Any]], bool] | None = None,
    ) -> builtins.list[dict[str, Any]]:
        """The matching stored objects themselves, for readers that only print them: no
        copies (stored objects are replaced, never changed in place), so callers must not
        modify them."""
        self.kind_info(kind)
        found = []
        candidates = self._labelled(kind, namespace, selector) if selector is not None else None
        for obj in self.iter(kind, namespace) if candidates is None else candidates:
            if selector is not None and not selector.matches(obj["metadata"].get("labels")):
                continue
            if field_filter is not None and not field_filter(obj):
                continue
            found.append(obj)
        return found

    def _labelled(
        self, kind: str, namespace: str | None, selector: Selector
    ) -> builtins.list[dict[str, Any]] | None:
        """The objects, sorted by key, that may match the selector's narrowest equality
        requirement (a superset of the matches), or None when it has none."""
        if selector.nothing:
            return None
        index: dict[tuple[str, str], set[Key]] | None = None
        narrowest: set[Key] | None = None
        for requirement in selector.requirements:
            if requirement.operator != "In":
                continue
            if index is None:
                index = self._labels(kind)
            keys: set[Key] = set()
            for value in requirement.values:
                keys.update(index.get((requirement.key, value), ()))
            if narrowest is None or len(keys) < len(narrowest):
                narrowest = keys
        if narrowest is None:
            return None
        bucket = self._bucket(kind)
        return [
            bucket[key] for key in sorted(narrowest) if namespace is None or key[0] == namespace
        ]

    def _labels(self, kind: str) -> dict[tuple[str, str], set[Key]]:
        """The kind's label index, built on first use."""
        index = self._label_index.get(kind)
        if index is None:
            index = self._label_index[kind] = {}
            for key, obj in self._bucket(kind).items():
                _index_labels(index, key, obj, add=True)
        return index

    def _put(self, kind: str, key: Key, new: dict[str, Any], old: dict[str, Any] | None) -> None:
        """Store ``new`` under ``key`` in place of ``old`` (None for a new key)."""
        self._bucket(kind)[key] = new
        if old is None:
            self._add_key(kind, key)
        self._relabel(kind, key, old, new)

    def _relabel(
        self, kind: str, key: Key, old: dict[str, Any] | None, new: dict[str, Any] | None
    ) -> None:
        index = self._label_index.get(kind)
        if index is None:
            return
        old_labels = old["metadata"].get("labels") if old is not None else None
        new_labels = new["metadata"].get("labels") if new is not None else None
        if old_labels is new_labels or old_labels == new_labels:
            # Most writes (status, counts) keep the labels as they were.
            return
        if old is not None:
            _index_labels(index, key, old, add=False)
        if new is not None:
            _index_labels(index, key, new, add=True)

    def count(self, kind: str) -> int:
        return len(self._bucket(kind))

    @property
    def revision(self) -> int:
        return self._revision

    # -- watch ------------------------------------------------------------------------------

    def watch(
        self,
        callback: Watcher,
        kinds: tuple[str, ...] | None = None,
        index: WatchIndex | None = None,
    ) -> None:
        """Call ``callback`` on every change to the given kinds (all kinds if None), or with
        ``index``, only on changes to objects whose key, before or after, is its value."""
        self._watch_seq += 1
        self._merged_watchers.clear()
        entry = (self._watch_seq, callback)
        if index is not None:
            key_fn, value = index
            for kind in kinds or ():
                by_key = self._indexed_watchers.setdefault(kind, {}).setdefault(key_fn, {})
                by_key.setdefault(value, []).append(entry)
        elif kinds is None:
            self._all_kind_watchers.append(entry)
        else:
            for kind in kinds:
                self._kind_watchers.setdefault(kind, []).append(entry)

    def unwatch(self, callback: Watcher) -> None:
        """Stop calling ``callback`` (a watch a client closes, as ``kubectl rollout status``
        does when it is done)."""

        def keep(entries: builtins.list[tuple[int, Watcher]]) -> builtins.list[tuple[int, Watcher]]:
            return [entry for entry in entries if entry[1] is not callback]

        self._merged_watchers.clear()
        self._all_kind_watchers = keep(self._all_kind_watchers)
        for kind, entries in self._kind_watchers.items():
            self._kind_watchers[kind] = keep(entries)
        for by_fn in self._indexed_watchers.values():
            for by_key in by_fn.values():
                for value, entries in by_key.items():
                    by_key[value] = keep(entries)

    def _listeners(self, event: WatchEvent) -> builtins.list[tuple[int, Watcher]]:
        listeners = self._merged_watchers.get(event.kind)
        if listeners is None:
            listeners = sorted(
                self._all_kind_watchers + self._kind_watchers.get(event.kind, []),
                key=lambda entry: entry[0],
            )
            self._merged_watchers[event.kind] = listeners
        indexed = self._indexed_watchers.get(event.kind)
        if indexed:
            extra: builtins.list[tuple[int, Watcher]] = []
            for key_fn, by_key in indexed.items():
                key = key_fn(event.obj)
                extra.extend(by_key.get(key, ()))
                if event.old is not None:
                    old_key = key_fn(event.old)
                    if old_key != key:
                        extra.extend(by_key.get(old_key, ()))
            if extra:
                # Sequence numbers are unique, so the entries sort by them alone.
                listeners = sorted(listeners + extra)
        return listeners

    def _notify(self, event: WatchEvent) -> None:
        meta = event.obj["metadata"]
        where = f"{meta.get('namespace')}/{meta['name']}" if meta.get("namespace") else meta["name"]
        self.audit.append(
            f"{self.clock.now:.3f} {event.type} {event.kind} {where} "
            f"rv={meta['resourceVersion']} user={self.actor}"
        )
        for _, callback in self._listeners(event):
            callback(event)

    def _renew_lease(self, info: KindInfo, key: Key) -> None:
        """A write to a kind with a TTL moves its expiry; one timer per object follows it."""
        if info.ttl_seconds is None:
            return
        lease = (info.kind, key)
        first = lease not in self._leases
        self._leases[lease] = self.clock.now + info.ttl_seconds
        if first:
            self._expire_at(info, key, self._leases[lease])

    def _expire_at(self, info: KindInfo, key: Key, due: float) -> None:
        self.clock.call_at(due, lambda: self._expire(info, key), PRIORITY_CONTROLLER)

    def _expire(self, info: KindInfo, key: Key) -> None:
        deadline = self._leases.get((info.kind, key))
        if deadline is None:
            return
        if deadline > self.clock.now:
            self._expire_at(info, key, deadline)
            return
        stored = self._bucket(info.kind).get(key)
        if stored is not None:
            actor, self.actor = self.actor, "etcd-lease-expiry"
            self._remove(info, key, clone(stored), None)
            self.actor = actor
        self._leases.pop((info.kind, key), None)

    def _next_revision(self) -> str:
        self._revision += 1
        return str(self._revision)

    def _ctx(self) -> AdmissionContext:
        return AdmissionContext(now=self.clock.now, rng=self.rng, store=self)

    # -- decode and validate ----------------------------------------------------------------

    def decode(self, info: KindInfo, obj: Any, field_validation: str = "Strict") -> dict[str, Any]:
        """A request body checked against the kind's schema (what a review is answered
        from: the API server decodes it as it would any object)."""
        return self._decode(info, obj, field_validation)

    def _decode(
        self,
        info: KindInfo,
        obj: Any,
        field_validation: str = "Strict",
        same: dict[str, Any] | None = None,
    ) -> dict[str, Any]:
        """Type- and unknown-field checks, with the API server's BadRequest text. Unknown
        fields fail the write (``fieldValidation=Strict``), or are dropped, with a warning for
        each (``Warn``, kept in ``self.warnings``) or silently (``Ignore``)."""
        if not isinstance(obj, dict):
            raise bad_request("Object 'Kind' is missing in the request body")
        # An object in another served version is decoded with that version's schema, then
        # converted to the stored one (it shares no field values with the stored object).
        served = info.served_version(obj.get("apiVersion"))
        version, schema = (served.version, served.schema) if served else (info.version, info.schema)
        prefix = f'{info.kind} in version "{version}" cannot be handled as a {info.kind}: '
        try:
            unknown = schema_check.check(obj, schema, same=None if served else same)
        except schema_check.DecodeError as exc:
            raise bad_request(prefix + str(exc)) from None
        if unknown and field_validation == "Strict":
            detail = ", ".join(f'unknown field "{path}"' for path in unknown)
            raise bad_request(prefix + "strict decoding error: " + detail)
        if unknown:
            if field_validation == "Warn":
                self.warnings.extend(f'unknown field "{path}"' for path in unknown)
            obj = schema_check.prune(obj, schema)
        # A fresh copy either way: the write below changes it, never the stored object.
        decoded = schema_check.zero_nulls(obj, schema)
        if served is None:
            return decoded
        try:
            return served.to_storage(decoded)
        except ConversionError as exc:
            raise bad_request(prefix + str(exc)) from None

    def _check_kind(self, info: KindInfo, obj: dict[str, Any]) -> None:
        api_version = obj.get("apiVersion")
        if api_version not in (None, info.api_version):
            raise bad_request(
                f"the API version in the data ({api_version}) does not match the expected API version ({info.api_version})"
            )
        obj["apiVersion"] = info.api_version
        obj["kind"] = info.kind

    def _generate_uid(self) -> str:
        return str(uuid.UUID(int=self.rng.getrandbits(128), version=4))

    # -- create ----------------------------------------------------------------------------

    def create(
        self,
        obj: dict[str, Any],
        *,
        dry_run: bool = False,
        trusted: bool = False,
        field_validation: str = "Strict",
        admission: Admission | None = None,
    ) -> dict[str, Any]:
        """Create an object; returns the stored copy (or what would be stored, for dry run).

        ``trusted`` is for the simulated components' own well-formed writes (Events): the
        object is stored as given, without decoding checks or validation, and not copied.
        ``admission`` is the API server's: its mutating plugins run after defaulting, its
        validating plugins after the kind's own validation.
        """
        kind = obj.get("kind") if isinstance(obj, dict) else None
        if not kind:
            raise bad_request("Object 'Kind' is missing in the request body")
        info = self.kind_info(str(kind))
        if trusted:
            return self._create_trusted(info, obj)
        new = self._decode(info, obj, field_validation)
        self._check_kind(info, new)
        md = new.setdefault("metadata", {})
        if not info.namespaced:
            md.pop("namespace", None)
        elif not md.get("namespace"):
            md["namespace"] = "default"
        for field in (
            "uid",
            "resourceVersion",
            "creationTimestamp",
            "deletionTimestamp",
            "deletionGracePeriodSeconds",
            "generation",
            "selfLink",
        ):
            md.pop(field, None)
        ctx = self._ctx()
        if not md.get("name") and md.get("generateName"):
            md["name"] = str(md["generateName"]) + random_suffix(ctx.rng)
            ctx.name_generated = True
        if info.status_subresource:
            new.pop("status", None)
        if info.defaulter:
            info.defaulter(new, ctx)
        if admission is not None:
            admission.admit(new, ctx)
        if info.allocate:
            info.allocate(new, None, ctx)
        if info.uid_at_prepare:
            md["uid"] = self._generate_uid()
        if info.prepare_create:
            info.prepare_create(new, ctx)
        errors = validate_metadata(new, info.namespaced, info.name_validator)
        if info.validator:
            errors += info.validator(new)
        name = md.get("name") or ""
        if errors:
            raise invalid_object(info.kind, info.group, name, errors)
        if admission is not None:
            admission.validate(new, ctx)
        bucket = self._bucket(info.kind)
        key = self._key(info, name, md.get("namespace", ""))
        if key in bucket:
            raise already_exists(info.plural, info.group, name)
        if info.create_warnings:
            self.warnings.extend(info.create_warnings(new))
        if not info.uid_at_prepare:
            md["uid"] = self._generate_uid()
        md["creationTimestamp"] = rfc3339(self.clock.now)
        if info.generation_fields:
            md["generation"] = 1
        if dry_run:
            md["resourceVersion"] = ""
            return new
        md["resourceVersion"] = self._next_revision()
        self._put(info.kind, key, new, None)
        self._notify(WatchEvent(ADDED, info.kind, new))
        self._renew_lease(info, key)
        return clone(new)

    def _create_trusted(self, info: KindInfo, new: dict[str, Any]) -> dict[str, Any]:
        md = new["metadata"]
        key = self._key(info, md["name"], md.get("namespace", ""))
        bucket = self._bucket(info.kind)
        if key in bucket:
            raise already_exists(info.plural, info.group, md["name"])
        md["uid"] = self._generate_uid()
        md["creationTimestamp"] = rfc3339(self.clock.now)
        md["resourceVersion"] = self._next_revision()
        self._put(info.kind, key, new, None)
        self._notify(WatchEvent(ADDED, info.kind, new))
        self._renew_lease(info, key)
        return new

    # -- update -----------------------------------------------------------------------------

    def update(
        self,
        obj: dict[str, Any],
        *,
        dry_run: bool = False,
        field_validation: str = "Strict",
        admission: Admission | None = None,
        trusted: bool = False,
    ) -> dict[str, Any]:
        """PUT: replace an object's spec and metadata (status is kept for status kinds).

        ``trusted`` is for a component's own well-formed write of fields it owns (the
        kubelet renewing its node Lease): ``obj`` is a copy-on-write copy of the stored
        object, kept as given without decoding or validation. Returns the stored object
        (read-only) in that case."""
        if trusted:
            return self._update_trusted(obj)
        return self._update(
            obj,
            status_only=False,
            dry_run=dry_run,
            field_validation=field_validation,
            admission=admission,
        )

    def _update_trusted(self, obj: dict[str, Any]) -> dict[str, Any]:
        info = self.kind_info(str(obj["kind"]))
        md = dict(obj["metadata"])
        key = self._key(info, md["name"], md.get("namespace", ""))
        old = self._bucket(info.kind).get(key)
        if old is None:
            raise not_found(info.plural, info.group, md["name"])
        wanted_rv = md.get("resourceVersion")
        if wanted_rv and wanted_rv != old["metadata"]["resourceVersion"]:
            raise conflict(info.plural, info.group, md["name"])
        new = dict(obj)
        new["metadata"] = md
        # What the server keeps of the stored metadata, as on a full write.
        old_md = old["metadata"]
        for field in (*_IMMUTABLE_META, "deletionTimestamp", "deletionGracePeriodSeconds"):
            if field in old_md:
                md[field] = old_md[field]
            else:
                md.pop(field, None)
        if "generation" in old_md:
            md["generation"] = old_md["generation"]
        if info.prepare_update is not None:
            # The strategy's PrepareForUpdate and its generation, as a full write has them
            # (EndpointSlice: empty lists stored as null, a changed slice a new generation).
            info.prepare_update(new, old)
            if "generation" in md and any(new.get(f) != old.get(f) for f in info.generation_fields):
                md["generation"] = int(md["generation"]) + 1
        if _same_content(new, old):
            return old
        md["resourceVersion"] = self._next_revision()
        self._put(info.kind, key, new, old)
        self._notify(WatchEvent(MODIFIED, info.kind, new, old))
        self._renew_lease(info, key)
        return new

    def update_status(self, obj: dict[str, Any]) -> dict[str, Any]:
        """PUT on ``/status``: only ``status`` changes. Returns the stored object (read-only)."""
        return self._update(obj, status_only=True, dry_run=False)

    def _update(
        self,
        obj: dict[str, Any],
        *,
        status_only: bool,
        dry_run: bool,
        field_validation: str = "Strict",
        admission: Admission | None = None,
    ) -> dict[str, Any]:
        kind = obj.get("kind") if isinstance(obj, dict) else None
        if not kind:
            raise bad_request("Object 'Kind' is missing in the request body")
        info = self.kind_info(str(kind))
        md_in = obj.get("metadata") or {}
        name = str(md_in.get("name") or "")
        namespace = str(md_in.get("namespace") or ("default" if info.namespaced else ""))
        bucket = self._bucket(info.kind)
        key = self._key(info, name, namespace)
        old = bucket.get(key)
        if old is None:
            raise not_found(info.plural, info.group, name)
        # A status write keeps everything but the status, so only that part is copied below.
        # Parts of the body that are the stored object's own (a component's shallow copy)
        # were decoded when stored.
        new = dict(obj) if status_only else self._decode(info, obj, field_validation, same=old)
        if status_only:
            new["metadata"] = dict(md_in)
        self._check_kind(info, new)
        md = new.setdefault("metadata", {})
        if not info.namespaced:
            md.pop("namespace", None)
        else:
            md["namespace"] = namespace
        old_md = old["metadata"]
        wanted_rv = md.get("resourceVersion")
        if wanted_rv and wanted_rv != old_md["resourceVersion"]:
            raise conflict(info.plural, info.group, name)
        if md.get("uid") and md["uid"] != old_md["uid"]:
            raise ApiError(
                "Conflict",
                f"Precondition failed: UID in precondition: {md['uid']}, UID in object meta: {old_md['uid']}",
                409,
            )
        if status_only:
            # Copy-on-write: stored objects are never changed in place, so the new version
            # may share everything but its metadata and status with the old one.
            merged = dict(old)
            merged["metadata"] = dict(old["metadata"])
            merged["status"] = clone(new.get("status") or {})
            if info.status_defaulter:
                info.status_defaulter(merged)
            if info.status_validator:
                errors = info.status_validator(merged, old)
                if errors:
                    raise invalid_object(info.kind, info.group, name, errors)
            if info.status_writes_annotations:
                if md_in.get("annotations"):
                    merged["metadata"]["annotations"] = clone(md_in["annotations"])
                else:
                    merged["metadata"].pop("annotations", None)
            new = merged
            md = new["metadata"]
        else:
            for field in _IMMUTABLE_META:
                if field in old_md:
                    md[field] = old_md[field]
            for field in ("deletionTimestamp", "deletionGracePeriodSeconds"):
                if field in old_md:
                    md[field] = old_md[field]
                else:
                    md.pop(field, None)
            if "generation" in old_md:
                md["generation"] = old_md["generation"]
            if info.status_subresource:
                new["status"] = (
                    clone(old.get("status")) if "status" in old else new.pop("status", None)
                )
                if new.get("status") is None:
                    new.pop("status", None)
            ctx = self._ctx()
            if info.defaulter:
                info.defaulter(new, ctx)
            if admission is not None:
                admission.admit(new, ctx)
            if info.allocate:
                info.allocate(new, old, ctx)
            if info.prepare_update:
                info.prepare_update(new, old)
            errors = validate_metadata(new, info.namespaced, info.name_validator)
            if info.update_validator:
                errors += info.update_validator(new, old)
            elif info.validator:
                errors += info.validator(new)
            if errors:
                raise invalid_object(info.kind, info.group, name, errors)
            if admission is not None:
                admission.validate(new, ctx)
            if "generation" in md and any(new.get(f) != old.get(f) for f in info.generation_fields):
                md["generation"] = int(md["generation"]) + 1
        if _same_content(new, old):
            return old if status_only else clone(old)
        if dry_run:
            return new
        md["resourceVersion"] = self._next_revision()
        # ShouldDeleteDuringUpdate: a graceful deletion in progress finishes through the kubelet.
        if (
            md.get("deletionTimestamp")
            and not md.get("finalizers")
            and not _spec_finalizers(new, info)
            and not old_md.get("deletionGracePeriodSeconds")
        ):
            return self._remove(info, key, new, propagation=None)
        self._put(info.kind, key, new, old)
        self._notify(WatchEvent(MODIFIED, info.kind, new, old))
        self._renew_lease(info, key)
        return new if status_only else clone(new)

    def patch(
        self,
        kind: str,
        name: str,
        namespace: str,
        patch: Any,
        patch_type: str = "strategic",
        *,
        status: bool = False,
        dry_run: bool = False,
        admission: Admission | None = None,
    ) -> dict[str, Any]:
        """Apply a ``merge``, ``strategic`` or ``json`` patch to the stored object."""
        # The patch functions build a new object and leave their target as it is.
        current = self.stored(kind, name, namespace)
        try:
            if patch_type == "json":
                patched = json_patch(current, patch)
            elif patch_type == "merge":
                patched = merge_patch(current, patch)
            elif patch_type == "strategic":
                patched = strategic_merge_patch(current, patch)
            else:
                raise bad_request(f"unsupported patch type {patch_type!r}")
        except PatchError as exc:
            raise bad_request(str(exc)) from None
        if not isinstance(patched, dict):
            raise bad_request("the patch did not produce an object")
        patched.setdefault("metadata", {})
        for field in ("name", "namespace"):
            if patched["metadata"].get(field) != current["metadata"].get(field):
                info = self.kind_info(kind)
                err = invalid(
                    f"metadata.{field}", patched["metadata"].get(field), "field is immutable"
                )
                raise invalid_object(info.kind, info.group, name, [err])
        patched["metadata"]["resourceVersion"] = current["metadata"]["resourceVersion"]
        patched["kind"] = current["kind"]
        if status:
            return self.update_status(patched)
        return self.update(patched, dry_run=dry_run, admission=admission)

    def rewrite(
        self, kind: str, name: str, namespace: str, change: Callable[[dict[str, Any]], None]
    ) -> dict[str, Any]:
        """Store a changed copy of an object without decoding or validation: the REST
        storage of a subresource that sets a field under its own rules (``pods/binding``).
        ``change`` gets a copy whose ``spec`` and ``metadata`` are its own to change.
        Returns the stored object (read-only)."""
        info = self.kind_info(kind)
        key = self._key(info, name, namespace)
        stored = self._bucket(kind).get(key)
        if stored is None:
            raise not_found(info.plural, info.group, name)
        changed = dict(stored)
        changed["spec"] = dict(stored.get("spec") or {})
        changed["metadata"] = dict(stored["metadata"])
        change(changed)
        changed["metadata"]["resourceVersion"] = self._next_revision()
        self._put(kind, key, changed, stored)
        self._notify(WatchEvent(MODIFIED, kind, changed, stored))
        return changed

    # -- delete -----------------------------------------------------------------------------

    def delete(
        self,
        kind: str,
        name: str,
        namespace: str = "",
        *,
        propagation: str | None = None,
        grace_period: int | None = None,
        dry_run: bool = False,
    ) -> dict[str, Any]:
        """Delete an object as the API server does.

        Pods bound to a node get a graceful deletion (``deletionTimestamp`` plus the grace
        period; the kubelet finishes it). Foreground and Orphan propagation add their
        finalizers and leave the rest to the garbage collector. Returns the object as it is
        after the call.
        """
        info = self.kind_info(kind)
        if propagation is not None and propagation not in PROPAGATION_POLICIES:
            raise bad_request(f"propagationPolicy {propagation!r} is not supported")
        key = self._key(info, name, namespace if info.namespaced else "")
        bucket = self._bucket(kind)
        stored = bucket.get(key)
        if stored is None:
            raise not_found(info.plural, info.group, name)
        if dry_run:
            return clone(stored)
        obj = clone(stored)
        md = obj["metadata"]
        now = self.clock.now
        grace = self._grace_period(info, obj, grace_period)
        finalizers = list(md.get("finalizers") or [])
        if propagation == "Foreground" and FOREGROUND_FINALIZER not in finalizers:
            finalizers.append(FOREGROUND_FINALIZER)
        if propagation == "Orphan" and ORPHAN_FINALIZER not in finalizers:
            finalizers.append(ORPHAN_FINALIZER)
        if md.get("deletionTimestamp"):
            # Already being deleted: a shorter grace period may still cut it short.
            current = md.get("deletionGracePeriodSeconds")
            if grace is not None and current is not None and grace < current:
                md["deletionGracePeriodSeconds"] = grace
                md["deletionTimestamp"] = rfc3339(now + grace)
                if grace == 0 and not finalizers and not _spec_finalizers(obj, info):
                    return self._remove(info, key, obj, propagation)
                md["resourceVersion"] = self._next_revision()
                self._put(kind, key, obj, stored)
                self._notify(WatchEvent(MODIFIED, kind, obj, stored))
            return clone(bucket.get(key, obj))
        graceful = grace is not None and grace > 0
        if not finalizers and not graceful and not _spec_finalizers(obj, info):
            return self._remove(info, key, obj, propagation)
        md["deletionTimestamp"] = rfc3339(now + (grace or 0))
        md["deletionGracePeriodSeconds"] = grace or 0
        # The first deletion bumps metadata.generation (apiserver rest.BeforeDelete for
        # graceful deletion, store.go markAsDeleting for finalizers).
        if md.get("generation"):
            md["generation"] = int(md["generation"]) + 1
        if finalizers:
            md["finalizers"] = finalizers
        if info.prepare_delete:
            info.prepare_delete(obj)
        md["resourceVersion"] = self._next_revision()
        self._put(kind, key, obj, stored)
        self._notify(WatchEvent(MODIFIED, kind, obj, stored))
        return clone(obj)

    @staticmethod
    def _grace_period(info: KindInfo, obj: dict[str, Any], requested: int | None) -> int | None:
        """The kind's graceful-deletion period, or None for kinds deleted at once."""
        return info.grace_period(obj, requested) if info.grace_period else None

    def _remove(
        self, info: KindInfo, key: Key, obj: dict[str, Any], propagation: str | None
    ) -> dict[str, Any]:
        bucket = self._bucket(info.kind)
        old = bucket.pop(key, None)
        if old is not None:
            self._drop_key(info.kind, key)
            self._relabel(info.kind, key, old, None)
        self._leases.pop((info.kind, key), None)
        obj["metadata"]["resourceVersion"] = self._next_revision()
        self._notify(WatchEvent(DELETED, info.kind, obj, old))
        return clone(obj)

    def finalize(self, kind: str, name: str, namespace: str = "") -> None:
        """Remove an object whose deletion is complete (kubelet, GC, namespace controller)."""
        info = self.kind_info(kind)
        key = self._key(info, name, namespace)
        stored = self._bucket(kind).get(key)
        if stored is not None:
            self._remove(info, key, clone(stored), None)


def _spec_finalizers(obj: dict[str, Any], info: KindInfo) -> list[str]:
    """Finalizers a kind keeps in its spec (a Namespace's), which also hold its deletion."""
    return info.spec_finalizers(obj) if info.spec_finalizers else []


def _index_labels(
    index: dict[tuple[str, str], set[Key]], key: Key, obj: dict[str, Any], add: bool
) -> None:
    """Add ``key`` under each of the object's labels, or take it away."""
    for name, value in (obj["metadata"].get("labels") or {}).items():
        if not isinstance(name, str) or not isinstance(value, str):
            continue  # no selector value is anything but a string
        if add:
            index.setdefault((name, value), set()).add(key)
            continue
        members = index.get((name, value))
        if members is not None:
            members.discard(key)
            if not members:
                del index[(name, value)]


def _same_content(new: dict[str, Any], old: dict[str, Any]) -> bool:
    """An update that changes nothing keeps the old resourceVersion (no-op write)."""
    a = dict(new)
    b = dict(old)
    a_md = dict(a.get("metadata") or {})
    b_md = dict(b.get("metadata") or {})
    a_md.pop("resourceVersion", None)
    b_md.pop("resourceVersion", None)
    a["metadata"] = a_md
    b["metadata"] = b_md
    return a == b
