"""The kind registry: what the API server knows about each kind it serves.

Each kind declares its group/version, resource names, scope, schema, defaulting and
validation. Later features add kinds by calling ``register`` — the store, the scheduler and
kubectl all look kinds up here.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field, replace
from random import Random
from typing import TYPE_CHECKING, Any

from k8sgame.engine.api.names import dns1123_subdomain
from k8sgame.engine.api.schema import Struct
from k8sgame.engine.errors import FieldError

if TYPE_CHECKING:
    from k8sgame.engine.store import Store


@dataclass
class AdmissionContext:
    """What defaulting and admission may consult: simulated time, the seeded RNG, the store."""

    now: float
    rng: Random
    store: Store
    # The name was made from ``generateName`` by this create: upstream makes it after the
    # mutating admission plugins ran, so they still see only the prefix.
    name_generated: bool = False


Defaulter = Callable[[dict[str, Any], AdmissionContext], None]
Validator = Callable[[dict[str, Any]], list[FieldError]]
UpdateValidator = Callable[[dict[str, Any], dict[str, Any]], list[FieldError]]


Conversion = Callable[[dict[str, Any]], dict[str, Any]]


@dataclass(frozen=True)
class ServedVersion:
    """A version a kind is also served in, besides the one it is stored in: its schema and
    the conversions both ways (upstream they go through the internal type; here straight to
    and from the storage version). A conversion may raise ``ConversionError``."""

    version: str
    schema: Struct
    to_storage: Conversion
    from_storage: Conversion


class ConversionError(Exception):
    """An object that cannot be converted (a malformed round-trip annotation): the decoder's
    words, which the API server puts after "cannot be handled as a <Kind>: "."""


@dataclass
class KindInfo:
    """One served kind (an entry of ``kubectl api-resources``)."""

    kind: str
    group: str
    version: str
    plural: str
    namespaced: bool
    schema: Struct
    short_names: tuple[str, ...] = ()
    name_validator: Callable[[str], list[str]] = dns1123_subdomain
    # Decode-time defaults (create and update), and the strategy's PrepareForCreate.
    defaulter: Defaulter | None = None
    prepare_create: Defaulter | None = None
    validator: Validator | None = None
    update_validator: UpdateValidator | None = None
    # The REST storage's BeginCreate/BeginUpdate (new, old or None): allocations made before
    # validation (a Service's cluster IP and node ports); may raise an ApiError.
    allocate: Callable[[dict[str, Any], dict[str, Any] | None, AdmissionContext], None] | None = (
        None
    )
    # The strategy's PrepareForUpdate: what the API server changes on an update (new, old).
    prepare_update: Callable[[dict[str, Any], dict[str, Any]], None] | None = None
    # The strategy's WarningsOnCreate: warnings sent back with a create that passed
    # validation (an Ingress still using the deprecated class annotation).
    create_warnings: Callable[[dict[str, Any]], list[str]] | None = None
    # Kinds with a status subresource ignore status on create/update of the main resource.
    status_subresource: bool = True
    # A status write also takes the object's annotations (the deployment status strategy keeps
    # only spec and labels, so the controller's revision annotation rides along).
    status_writes_annotations: bool = False
    # Defaults that apply to a status write too (the kind's defaulter covers only full
    # writes, where it runs on the whole object).
    status_defaulter: Callable[[dict[str, Any]], None] | None = None
    # The status strategy's ValidateUpdate (new, old): errors refuse a status write.
    status_validator: UpdateValidator | None = None
    # The object has its uid before PrepareForCreate (a Job's generated selector names it);
    # other kinds get theirs once validation passed.
    uid_at_prepare: bool = False
    # A ``scale`` subresource (``kubectl scale``): spec.replicas, for workloads.
    scale_subresource: bool = False
    # Writes to these fields do not bump metadata.generation (everything but spec does not).
    generation_fields: tuple[str, ...] = ("spec",)
    verbs: tuple[str, ...] = (
        "create",
        "delete",
        "deletecollection",
        "get",
        "list",
        "patch",
        "update",
        "watch",
    )
    categories: tuple[str, ...] = field(default_factory=tuple)
    # Objects expire this long after their last write (an etcd lease), or never when None.
    ttl_seconds: float | None = None
    # ``fieldSelector`` fields beyond metadata.name/namespace (the strategy's
    # ``*ToSelectableFields``), as strings.
    selectable_fields: Callable[[dict[str, Any]], dict[str, str]] | None = None
    # Graceful deletion (``CheckGracefulDelete``): the period for a delete that asked for
    # ``requested`` (None: not given), or None for a kind that is removed at once.
    grace_period: Callable[[dict[str, Any], int | None], int | None] | None = None
    # Finalizers a kind keeps in its spec (a Namespace's); they hold its deletion too.
    spec_finalizers: Callable[[dict[str, Any]], list[str]] | None = None
    # What the kind's REST storage changes when a deletion starts (a Namespace: Terminating).
    prepare_delete: Callable[[dict[str, Any]], None] | None = None
    # Other versions the kind is served in (``kubectl api-versions`` lists them; discovery's
    # preferred version, and the one stored, is ``version``).
    other_versions: tuple[ServedVersion, ...] = ()
    # Set on a view of the kind in another version (``for_version``): how a stored object
    # looks in it.
    view: Conversion | None = None
    # A kind the API server answers instead of storing (the access reviews): given the
    # API server, the requesting user and the decoded body, the answer to send back.
    answer: Callable[[Any, Any, dict[str, Any]], dict[str, Any]] | None = None
    # A check of the kind's own storage before a create, update or patch, given the API
    # server, the request, the kind and the object to be written; raises an ApiError to
    # refuse it (RBAC's escalation prevention).
    write_guard: Callable[[Any, Any, KindInfo, dict[str, Any]], None] | None = None
    # A deprecated kind's warning (apiserver ``deprecation.WarningMessage``): the API server
    # sends it with every answer about the kind, errors included, and kubectl prints it.
    deprecation_warning: str | None = None

    @property
    def api_version(self) -> str:
        return f"{self.group}/{self.version}" if self.group else self.version

    def served_version(self, api_version: object) -> ServedVersion | None:
        """The other served version that ``api_version`` (group/version) names, if any."""
        for served in self.other_versions:
            if api_version == (f"{self.group}/{served.version}" if self.group else served.version):
                return served
        return None

    def for_version(self, version: str) -> KindInfo | None:
        """This kind as served in ``version``: itself for the stored version, a view whose
        schema and ``view`` conversion are the other version's, or None if not served."""
        if version == self.version:
            return self
        for served in self.other_versions:
            if served.version == version:
                return replace(
                    self, version=version, schema=served.schema, view=served.from_storage
                )
        return None

    @property
    def singular(self) -> str:
        return self.kind.lower()


class KindRegistry:
    """Kinds by name, plural, singular and short name."""

    def __init__(self) -> None:
        self._kinds: dict[str, KindInfo] = {}

    def register(self, info: KindInfo) -> None:
        self._kinds[info.kind] = info

    def get(self, kind: str) -> KindInfo | None:
        return self._kinds.get(kind)

    def all(self) -> list[KindInfo]:
        return [self._kinds[k] for k in sorted(self._kinds)]

    def stored(self) -> list[KindInfo]:
        """The kinds kept in the store (every kind but the reviews, which are only
        answered): what can be listed and watched."""
        return [info for info in self.all() if info.answer is None]

    def resolve(self, word: str) -> KindInfo | None:
        """Find a kind by kind name, plural, singular or short name (case-insensitive),
        optionally qualified by its group (``hpa.autoscaling``) or version and group
        (``hpa.v1.autoscaling``: the kind as served in that version)."""
        lowered = word.lower()
        group = ""
        if "." in lowered:
            lowered, group = lowered.split(".", 1)
        for info in self.all():
            if lowered not in (info.kind.lower(), info.plural, info.singular, *info.short_names):
                continue
            if not group or info.group == group:
                return info
            # kubectl reads ``resource.version.group`` first when the middle is a version.
            version, _, rest = group.partition(".")
            if rest and rest == info.group:
                view = info.for_version(version)
                if view is not None:
                    return view
        return None
