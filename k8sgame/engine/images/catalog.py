"""The fake image catalog: what each container image does, as frozen dataclasses.

There are no real containers. ``assets/images.yaml`` (loaded outside the engine by
``k8sgame.catalog_loader``) or a level's ``images:`` section describes each image: its tags,
size, default ENTRYPOINT/CMD and env, its files, which shell and utilities it carries, an
optional entrypoint script, and its programs (ports, HTTP routes over time, memory, logs, exit
and stop behaviour). ``catalog_parser.parse_catalog`` validates such a dict and raises ``CatalogError``
naming the image and the field; ``Catalog.merged`` lays a level's overrides on top.

Numbers, ports, paths and flags may name a program parameter (``$port``) whose value comes
from an env var, a command-line flag, a mounted config file or a default; that is how the
demo app is configured and how ``redis-server --port 6380`` moves its port. Log text may hold
placeholders in double braces: ``{{port}}`` (a parameter), ``{{env:NAME}}``,
``{{time:nginx}}`` (the line's own time in a log format, ``{{time:pg@2.5}}`` for a time
relative to the program's start), ``{{pod_ip}}``, ``{{hostname}}``, ``{{var:KEY}}`` (the
image's ``vars``, text that differs between tags) and ``{{arg:N}}`` (the program's argv[N]).
"""

from __future__ import annotations

import copy
import fnmatch
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

from k8sgame.engine.timefmt import EPOCH

SHELLS = ("busybox", "dash", "bash")
UTILITIES = ("busybox", "gnu")
STREAMS = ("stdout", "stderr")
PARAM_TYPES = ("int", "float", "seconds", "str", "bool", "list")
SIGNALS = ("SIGTERM", "SIGQUIT", "SIGINT", "SIGWINCH", "SIGKILL", "SIGHUP", "SIGUSR1")


class CatalogError(ValueError):
    """The catalog data is malformed; the message names the image and the field."""


# -- time formats used by real images' log lines ---------------------------------------------

_DAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def render_time(fmt: str, seconds: float) -> str:
    """A simulated instant (seconds since the cluster epoch) in one of ``TIME_FORMATS``."""
    micros = round(seconds * 1_000_000)
    t = EPOCH + timedelta(microseconds=micros)
    ms, us = f"{t.microsecond // 1000:03d}", f"{t.microsecond:06d}"
    ymd, hms = t.strftime("%Y-%m-%d"), t.strftime("%H:%M:%S")
    day, mon = _DAYS[t.weekday()], _MONTHS[t.month - 1]
    if fmt in ("nginx", "go"):
        return t.strftime("%Y/%m/%d ") + hms
    if fmt == "pg":
        return f"{ymd} {hms}.{ms} UTC"
    if fmt == "pg_s":
        return f"{ymd} {hms} UTC"
    if fmt == "redis":
        return f"{t.day:02d} {mon} {t.year} {hms}.{ms}"
    if fmt == "httpd":
        return f"{day} {mon} {t.day:02d} {hms}.{us} {t.year}"
    if fmt == "mysql":
        return f"{ymd}T{hms}.{us}Z"
    if fmt == "mysql_entry":
        return f"{ymd} {hms}+00:00"
    if fmt == "rfc3339":
        return f"{ymd}T{hms}Z"
    if fmt == "rfc3339_ms":
        return f"{ymd}T{hms}.{ms}Z"
    if fmt == "clf":
        return f"{t.day:02d}/{mon}/{t.year}:{hms} +0000"
    if fmt == "date":
        return f"{day} {mon} {t.day:2d} {hms} UTC {t.year}"
    if fmt == "unix":
        return str(int((EPOCH.timestamp() * 1_000_000 + micros) // 1_000_000))
    raise KeyError(fmt)


TIME_FORMATS = (
    "nginx",
    "go",
    "pg",
    "pg_s",
    "redis",
    "httpd",
    "mysql",
    "mysql_entry",
    "rfc3339",
    "rfc3339_ms",
    "clf",
    "date",
    "unix",
)


# -- the data model --------------------------------------------------------------------------


@dataclass(frozen=True)
class ParamRef:
    """A value taken from a program parameter (``$name``; ``!$name`` negates a boolean)."""

    name: str
    negate: bool = False


Num = float | ParamRef
IntVal = int | ParamRef
StrVal = str | ParamRef
BoolVal = bool | ParamRef


@dataclass(frozen=True)
class ParamSpec:
    """Where a program parameter comes from, in priority order: flag, env, file, default."""

    name: str
    type: str
    default: Any = None
    env: str | None = None
    flag: str | None = None  # "--port" accepts "--port 6380" and "--port=6380"
    file: str | None = None  # a path, or a directory ending in "/" (files under it, sorted)
    pattern: str | None = None  # regex with one group, searched in that file


@dataclass(frozen=True)
class LogSpec:
    """One log line a stage prints; ``at`` is seconds after the stage starts."""

    at: Num
    stream: str
    text: str
    if_env: tuple[str, ...] = ()  # "NAME" (set and non-empty) or "NAME=value"
    unless_env: tuple[str, ...] = ()
    if_mounted: tuple[str, ...] = ()  # paths the pod mounted (ConfigMap/Secret files)
    unless_mounted: tuple[str, ...] = ()
    # "root" or "nonroot": who the container runs as (its securityContext, else USER)
    if_user: tuple[str, ...] = ()
    unless_user: tuple[str, ...] = ()
    # paths the process may not write (read-only mount or root, or not its own as non-root)
    if_unwritable: tuple[str, ...] = ()
    unless_unwritable: tuple[str, ...] = ()


@dataclass(frozen=True)
class Requirement:
    """A check a stage makes at start; when it fails the stage prints ``logs`` and exits."""

    kind: str  # env | env_each | file | file_each | arg | connect_each | api_each | mkdir | open
    names: tuple[str, ...] = ()  # env: satisfied by any ("NAME" or "NAME=value"); env_each: all
    # env_each / file_each / connect_each: a list parameter naming what is needed
    # (connect_each: ``host:port`` the program dials at start, from the pod; api_each: API
    # requests it makes at start with the pod's service account, ``list pods``)
    param: str | None = None
    path: str = ""  # file; mkdir/open: a directory it creates / a file it opens for writing
    arg: str = ""  # arg: some argument contains this text
    exit_code: int = 1
    logs: tuple[LogSpec, ...] = ()  # ``at`` relative to the check; {{missing}} names what failed
    # ({{errno}}: mkdir/open's "13: Permission denied" or "30: Read-only file system")
    before_preamble: bool = False  # checked (and failing) before the preamble is printed


@dataclass(frozen=True)
class StatusStep:
    """From ``after`` seconds after program start, a route answers ``status``."""

    after: Num
    status: int
    latency: Num | None = None


@dataclass(frozen=True)
class Route:
    """An HTTP path (exact, or a prefix) and its answers over time."""

    path: StrVal
    steps: tuple[StatusStep, ...]
    prefix: bool = False
    latency: Num = 0.002
    body: str | None = None
    # A list parameter of ``host:port`` dependencies: while one of them cannot be reached
    # (from the pod, at the moment of the request) the route answers 503.
    needs: str | None = None


@dataclass(frozen=True)
class PortSpec:
    """A port the program listens on from ``after`` seconds after it starts."""

    port: IntVal
    protocol: str = "http"  # http | tcp (tcp ports accept connections but do not speak HTTP)
    after: Num = 0.0
    default_status: int = 404
    latency: Num = 0.002
    routes: tuple[Route, ...] = ()
    not_http_error: str = "EOF"  # what an HTTP client sees from a tcp port
    default_body: str | None = None  # the body sent with default_status (an error page)


@dataclass(frozen=True)
class MemorySpec:
    """Resident memory: ramps to ``mib`` over ``ramp_seconds``, then grows by the leak."""

    mib: Num = 8.0
    leak_mib_per_minute: Num = 0.0
    ramp_seconds: float = 1.0


@dataclass(frozen=True)
class ExitSpec:
    """The program ends by itself ``after`` seconds with ``code``."""

    after: Num
    code: IntVal = 0


@dataclass(frozen=True)
class StopSpec:
    """What the program does on the image's stop signal."""

    exits: BoolVal = True  # False: ignores it until SIGKILL (exit 137)
    exit_code: IntVal = 0
    seconds: Num = 0.1
    logs: tuple[LogSpec, ...] = ()  # ``at`` relative to the signal


@dataclass(frozen=True)
class InvalidParamSpec:
    """What the program prints when a parameter's value does not parse."""

    exit_code: int = 1
    logs: tuple[LogSpec, ...] = ()  # {{name}} {{value}} {{source}}


@dataclass(frozen=True)
class Program:
    """A long-running binary of the image (``nginx``, ``redis-server``, ``/demo-web``)."""

    paths: tuple[str, ...]
    subcommand: str | None = None  # matches only when argv[1] equals this (agnhost liveness)
    params: tuple[ParamSpec, ...] = ()
    preamble: tuple[LogSpec, ...] = ()  # printed before the requirements are checked
    requires: tuple[Requirement, ...] = ()
    logs: tuple[LogSpec, ...] = ()  # printed once the requirements pass
    ports: tuple[PortSpec, ...] = ()
    memory: MemorySpec = field(default_factory=MemorySpec)
    cpu_millicores: IntVal = 1
    exit: ExitSpec | None = None
    stop: StopSpec = field(default_factory=StopSpec)
    invalid_param: InvalidParamSpec = field(default_factory=InvalidParamSpec)

    @property
    def names(self) -> tuple[str, ...]:
        return tuple(sorted({p.rsplit("/", 1)[-1] for p in self.paths}))

    def param(self, name: str) -> ParamSpec | None:
        return next((p for p in self.params if p.name == name), None)


@dataclass(frozen=True)
class EntrypointScript:
    """A docker-entrypoint.sh: setup before it ``exec``s its arguments."""

    paths: tuple[str, ...]
    runs_program_for: tuple[str, ...] = ()  # first argument that makes it do its setup
    flag_means_program: str | None = None  # "-x" as first argument means "<program> -x"
    seconds: Num = 0.0  # setup time before the exec
    preamble: tuple[LogSpec, ...] = ()
    requires: tuple[Requirement, ...] = ()
    logs: tuple[LogSpec, ...] = ()
    exec_not_found: str = ""  # {{name}}; printed (exit 127) when the exec target is missing


@dataclass(frozen=True)
class ImageSpec:
    """Everything the simulation knows about one image (one tag variant of it)."""

    name: str  # the catalog key ("nginx")
    repository: str  # normalized ("docker.io/library/nginx")
    description: str = ""
    tags: tuple[str, ...] = ("latest",)  # glob patterns; "*" accepts any tag
    size_bytes: int = 0
    pull_seconds: float = 1.0
    entrypoint: tuple[str, ...] | None = None
    cmd: tuple[str, ...] | None = None
    workdir: str = "/"
    user: str = "root"
    env: tuple[tuple[str, str], ...] = ()  # default environment, in image order
    stop_signal: str = "SIGTERM"
    shell: str | None = None  # what /bin/sh is: busybox | dash | bash; None = no shell
    bash: bool = False  # /bin/bash exists
    utilities: str | None = None  # busybox | gnu: flavour of cat, ls, sleep...; None = none
    curl: str | None = None  # the version of /usr/bin/curl ("8.14.1"); None = no curl
    # An Ingress controller's name (an IngressClass's spec.controller, "k8s.io/ingress-nginx"):
    # its HTTP ports answer by the Ingress rules it serves (engine/network/ingress_nginx.py).
    ingress_controller: str | None = None
    idle_memory_mib: float = 0.5  # a shell or utility as the main process
    vars: tuple[tuple[str, str], ...] = ()  # text for log templates ({{var:KEY}}), not env
    files: tuple[tuple[str, str], ...] = ()
    dirs: tuple[str, ...] = ()
    entrypoint_script: EntrypointScript | None = None
    programs: tuple[Program, ...] = ()

    def env_dict(self) -> dict[str, str]:
        return dict(self.env)

    def files_dict(self) -> dict[str, str]:
        return dict(self.files)

    @property
    def binaries(self) -> tuple[str, ...]:
        """Names of the image's main binaries (``nginx``, ``redis-server``)."""
        return tuple(sorted({n for p in self.programs for n in p.names}))


@dataclass(frozen=True)
class ImageEntry:
    """One repository: its base spec and the tag variants that change it.

    Every variant whose patterns match a tag applies, in catalog order, so ``7.4-alpine``
    can take its version from one variant and its Alpine userland from another.
    """

    name: str
    repository: str
    base: ImageSpec
    variants: tuple[tuple[tuple[str, ...], Mapping[str, Any]], ...] = ()
    base_raw: Mapping[str, Any] = field(default_factory=dict, compare=False, repr=False)
    # Specs built per combination of variants; filled at parse time for every literal tag.
    _specs: dict[tuple[int, ...], ImageSpec] = field(
        default_factory=dict, compare=False, repr=False
    )

    def knows_tag(self, tag: str) -> bool:
        return any(fnmatch.fnmatchcase(tag, pattern) for pattern in self.base.tags)

    def _combo(self, tag: str) -> tuple[int, ...]:
        return tuple(
            i
            for i, (patterns, _) in enumerate(self.variants)
            if any(fnmatch.fnmatchcase(tag, p) for p in patterns)
        )

    def spec_for_tag(self, tag: str) -> ImageSpec | None:
        """The spec for ``tag``, or None when the repository has no such tag."""
        if not self.knows_tag(tag):
            return None
        combo = self._combo(tag)
        if not combo:
            return self.base
        if combo not in self._specs:
            self._specs[combo] = self._build(combo)
        return self._specs[combo]

    def _build(self, combo: tuple[int, ...]) -> ImageSpec:
        merged: Any = self.base_raw
        for i in combo:
            merged = deep_merge(merged, self.variants[i][1])
        from k8sgame.engine.images.catalog_parser import parse_image  # parsing uses this model

        try:
            return parse_image(self.name, self.repository, merged)
        except CatalogError as exc:
            where = "+".join(f"variants[{i}]" for i in combo)
            raise CatalogError(
                str(exc).replace(f'image "{self.name}": ', f'image "{self.name}": {where}: ', 1)
            ) from None

    @property
    def literal_tags(self) -> tuple[str, ...]:
        return tuple(t for t in self.base.tags if not any(c in t for c in "*?["))


@dataclass(frozen=True)
class Catalog:
    """All known images, keyed by normalized repository (``docker.io/library/nginx``)."""

    entries: tuple[ImageEntry, ...]
    raw: Mapping[str, Any] = field(default_factory=dict, compare=False, repr=False)

    def lookup(self, repository: str) -> ImageEntry | None:
        """The entry for a normalized repository name, or a familiar one (``nginx``)."""
        for entry in self.entries:
            if repository in (entry.repository, entry.name):
                return entry
        return None

    def image_for(self, image: str) -> ImageSpec | None:
        """The spec a pod's ``image`` string runs, or None if it would not pull."""
        from k8sgame.engine.images.reference import resolve

        return resolve(self, image)[1]

    def names(self) -> tuple[str, ...]:
        return tuple(entry.name for entry in self.entries)

    def merged(self, overrides: Mapping[str, Any] | None) -> Catalog:
        """A new catalog with a level's ``images:`` section laid over this one.

        A known image's fields are merged key by key (mappings recursively; lists and other
        values replace); a new name adds an image; ``name: null`` removes one.
        """
        if not overrides:
            return self
        if not isinstance(overrides, Mapping):
            raise CatalogError(f"images: must be a mapping, got {value_kind(overrides)}")
        images = copy.deepcopy(dict(self.raw))
        by_repo = {_repo_key(name): name for name in images}
        for name, value in overrides.items():
            if not isinstance(name, str):
                raise CatalogError(f"images: image names must be strings, got {name!r}")
            existing = by_repo.get(_repo_key(name), name)
            if value is None:
                images.pop(existing, None)
            elif existing in images and isinstance(value, Mapping):
                images[existing] = deep_merge(images[existing], value)
            else:
                images[name] = copy.deepcopy(value)
        from k8sgame.engine.images.catalog_parser import parse_catalog  # parsing uses this model

        return parse_catalog({"images": images})


def deep_merge(base: Any, override: Any) -> Any:
    """Mappings merge key by key; anything else in ``override`` replaces ``base``."""
    if isinstance(base, Mapping) and isinstance(override, Mapping):
        out = {k: copy.deepcopy(v) for k, v in base.items()}
        for key, value in override.items():
            out[key] = deep_merge(out[key], value) if key in out else copy.deepcopy(value)
        return out
    return copy.deepcopy(override)


def _repo_key(name: str) -> str:
    from k8sgame.engine.images.reference import InvalidImageName, normalize_repository

    try:
        return normalize_repository(name)
    except InvalidImageName:
        return name


def value_kind(value: Any) -> str:
    """How an error names a value it did not expect (``the string 'x'``, ``a list``)."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, int | float):
        return f"the number {value!r}"
    if isinstance(value, str):
        return f"the string {value!r}"
    if isinstance(value, Mapping):
        return "a mapping"
    if isinstance(value, list | tuple):
        return "a list"
    return type(value).__name__
