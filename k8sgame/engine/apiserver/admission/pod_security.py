"""The PodSecurity admission plugin (``k8s.io/pod-security-admission``, built into
kube-apiserver and on by default): the Pod Security Standards, chosen per namespace by its
``pod-security.kubernetes.io/{enforce,audit,warn}[-version]`` labels.

* A pod that violates the namespace's ``enforce`` level is refused (403); one that violates
  its ``warn`` level gets a ``would violate PodSecurity ...`` warning. Workload resources
  (their pod template) are only warned and audited, never refused (``admission.go``).
* A namespace's labels must parse; when its enforce level is made stricter, the pods already
  in it are checked and the violations come back as warnings (``ValidateNamespace``).
* Audit: the ``pod-security.kubernetes.io/audit-violations`` annotation upstream writes to the
  audit log is kept in ``PodSecurity.audit_log`` (newest last, bounded); the player never
  sees it.

There is no admission configuration: the defaults are ``privileged:latest`` for the three
modes, and nothing is exempt. Every policy version is evaluated as ``latest`` (the checks of
kube-apiserver v1.35); the version label is still parsed and shown as given.
"""

from __future__ import annotations

import re
from collections import deque
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

from k8sgame.engine.apiserver.admission import (
    CREATE_OPERATION,
    UPDATE_OPERATION,
    AdmissionAttributes,
)
from k8sgame.engine.errors import FieldError, forbidden_error, go_quote, invalid, invalid_object

Obj = dict[str, Any]

# api/constants.go
LABEL_PREFIX = "pod-security.kubernetes.io/"
ENFORCE_LEVEL_LABEL = LABEL_PREFIX + "enforce"
ENFORCE_VERSION_LABEL = LABEL_PREFIX + "enforce-version"
AUDIT_LEVEL_LABEL = LABEL_PREFIX + "audit"
AUDIT_VERSION_LABEL = LABEL_PREFIX + "audit-version"
WARN_LEVEL_LABEL = LABEL_PREFIX + "warn"
WARN_VERSION_LABEL = LABEL_PREFIX + "warn-version"
AUDIT_VIOLATIONS_ANNOTATION = LABEL_PREFIX + "audit-violations"

PRIVILEGED, BASELINE, RESTRICTED = "privileged", "baseline", "restricted"
VALID_LEVELS = (PRIVILEGED, BASELINE, RESTRICTED)
LATEST = "latest"
_STRICTNESS = {PRIVILEGED: 0, BASELINE: 1, RESTRICTED: 2}

# admission.go: defaultNamespaceMaxPodsToCheck
NAMESPACE_MAX_PODS_TO_CHECK = 3000
AUDIT_LOG_SIZE = 200

# admission.go defaultPodSpecResources: the kinds whose pod template is evaluated.
WORKLOAD_KINDS = frozenset(
    {
        "ReplicationController",
        "PodTemplate",
        "ReplicaSet",
        "Deployment",
        "StatefulSet",
        "DaemonSet",
        "Job",
        "CronJob",
    }
)


# -- levels, versions and the namespace policy (api/helpers.go) ----------------------------


@dataclass(frozen=True, slots=True)
class LevelVersion:
    level: str
    version: str  # "latest" or "v1.N"

    def __str__(self) -> str:
        return f"{self.level}:{self.version}"


@dataclass(frozen=True, slots=True)
class Policy:
    enforce: LevelVersion
    audit: LevelVersion
    warn: LevelVersion


DEFAULT_POLICY = Policy(
    LevelVersion(PRIVILEGED, LATEST),
    LevelVersion(PRIVILEGED, LATEST),
    LevelVersion(PRIVILEGED, LATEST),
)

_VERSION = re.compile(r"^v1\.([0-9]|[1-9][0-9]*)$")


def _parse_level(value: str) -> tuple[str, str | None]:
    """ParseLevel: an unknown level is ``restricted``, with an error."""
    if value in VALID_LEVELS:
        return value, None
    return RESTRICTED, "must be one of " + ", ".join(VALID_LEVELS)


def _parse_version(value: str) -> tuple[str, str | None]:
    """ParseVersion: ``latest`` or ``v1.N``; anything else is ``latest``, with an error."""
    if value == LATEST:
        return LATEST, None
    match = _VERSION.match(value)
    if match is None:
        return LATEST, 'must be "latest" or "v1.x"'
    return f"v1.{int(match.group(1))}", None


def policy_to_evaluate(labels: dict[str, Any] | None) -> tuple[Policy, list[FieldError]]:
    """PolicyToEvaluate: the namespace's policy (always a usable one) and the label errors.
    A bad enforce level is ``restricted``; a bad audit or warn level fails open
    (``privileged``); a bad version is ``latest``."""
    labels = labels or {}
    errors: list[FieldError] = []
    modes = {
        "enforce": DEFAULT_POLICY.enforce,
        "audit": DEFAULT_POLICY.audit,
        "warn": DEFAULT_POLICY.warn,
    }

    def error(label: str, value: str, detail: str | None) -> None:
        if detail is not None:
            errors.append(invalid(f"metadata.labels[{label}]", value, detail))

    for mode in ("enforce", "audit", "warn"):
        level_label = LABEL_PREFIX + mode
        version_label = f"{level_label}-version"
        current = modes[mode]
        if level_label in labels:
            value = str(labels[level_label])
            level, detail = _parse_level(value)
            error(level_label, value, detail)
            if detail is not None and mode != "enforce":
                level = PRIVILEGED  # fail open for audit and warn
            current = LevelVersion(level, current.version)
        if version_label in labels:
            value = str(labels[version_label])
            version, detail = _parse_version(value)
            error(version_label, value, detail)
            current = LevelVersion(current.level, version)
        modes[mode] = current
    # Warn defaults to the enforce level when that is set and stricter (api/helpers.go).
    enforce, warn = modes["enforce"], modes["warn"]
    if (
        WARN_LEVEL_LABEL not in labels
        and ENFORCE_LEVEL_LABEL in labels
        and _STRICTNESS[enforce.level] > _STRICTNESS[warn.level]
    ):
        version = warn.version if WARN_VERSION_LABEL in labels else enforce.version
        modes["warn"] = LevelVersion(enforce.level, version)
    return Policy(modes["enforce"], modes["audit"], modes["warn"]), errors


# -- helpers (policy/helpers.go, visitor.go) ----------------------------------------------


def _join_quote(items: list[str]) -> str:
    return '"' + '", "'.join(items) + '"' if items else ""


def _plural(singular: str, plural: str, count: int) -> str:
    return singular if count == 1 else plural


def _containers(spec: Obj) -> Iterator[Obj]:
    """visitContainers: init containers, containers, then ephemeral containers."""
    for field in ("initContainers", "containers", "ephemeralContainers"):
        yield from spec.get(field) or []


def _sc(container_or_spec: Obj) -> Obj:
    return container_or_spec.get("securityContext") or {}


def _relax_for_user_namespace(spec: Obj) -> bool:
    """relaxPolicyForUserNamespacePod: ``hostUsers: false`` (GA, no feature gate)."""
    return spec.get("hostUsers") is False


def _is_windows(spec: Obj) -> bool:
    return ((spec.get("os") or {}).get("name")) == "windows"


def _setters(pod_bad: bool, containers: list[str]) -> list[str]:
    setters = ["pod"] if pod_bad else []
    if containers:
        setters.append(
            f"{_plural('container', 'containers', len(containers))} {_join_quote(containers)}"
        )
    return setters


CheckResult = tuple[str, str] | None  # (forbidden reason, forbidden detail), None if allowed
CheckFn = Callable[[Obj, Obj], CheckResult]


# -- baseline checks ----------------------------------------------------------------------


def _app_armor_profile(meta: Obj, spec: Obj) -> CheckResult:
    # policy/check_appArmorProfile.go (appArmorProfileV1Dot0)
    allowed_types = ("RuntimeDefault", "Localhost")
    bad_values: set[str] = set()
    pod_profile = _sc(spec).get("appArmorProfile")
    pod_bad = pod_profile is not None and pod_profile.get("type") not in allowed_types
    if pod_bad and pod_profile is not None:
        bad_values.add(str(pod_profile.get("type") or ""))
    bad_containers = []
    for c in _containers(spec):
        profile = _sc(c).get("appArmorProfile")
        if profile is not None and profile.get("type") not in allowed_types:
            bad_containers.append(c.get("name", ""))
            bad_values.add(str(profile.get("type") or ""))
    setters = _setters(pod_bad, bad_containers)
    annotations = []
    for key, value in (meta.get("annotations") or {}).items():
        if key.startswith("container.apparmor.security.beta.kubernetes.io/") and not (
            value == "" or value == "runtime/default" or str(value).startswith("localhost/")
        ):
            annotations.append(f"{key}={go_quote(str(value))}")
    values = sorted(bad_values)
    if annotations:
        values += sorted(annotations)
        setters.append(_plural("annotation", "annotations", len(annotations)))
    if not setters:
        return None
    return (
        _plural("forbidden AppArmor profile", "forbidden AppArmor profiles", len(values)),
        f"{' and '.join(setters)} must not set AppArmor profile type to {_join_quote(values)}",
    )


CAPABILITIES_ALLOWED_BASELINE = frozenset(
    {
        "AUDIT_WRITE",
        "CHOWN",
        "DAC_OVERRIDE",
        "FOWNER",
        "FSETID",
        "KILL",
        "MKNOD",
        "NET_BIND_SERVICE",
        "SETFCAP",
        "SETGID",
        "SETPCAP",
        "SETUID",
        "SYS_CHROOT",
    }
)


def _capabilities_baseline(meta: Obj, spec: Obj) -> CheckResult:
    # policy/check_capabilities_baseline.go
    bad_containers, non_default = [], set()
    for c in _containers(spec):
        caps = _sc(c).get("capabilities")
        if caps is None:
            continue
        bad = [str(a) for a in caps.get("add") or [] if a not in CAPABILITIES_ALLOWED_BASELINE]
        if bad:
            bad_containers.append(c.get("name", ""))
            non_default.update(bad)
    if not bad_containers:
        return None
    return (
        "non-default capabilities",
        f"{_plural('container', 'containers', len(bad_containers))} "
        f"{_join_quote(bad_containers)} must not include {_join_quote(sorted(non_default))} "
        "in securityContext.capabilities.add",
    )


def _host_namespaces(meta: Obj, spec: Obj) -> CheckResult:
    # policy/check_hostNamespaces.go
    found = [f"{f}=true" for f in ("hostNetwork", "hostPID", "hostIPC") if spec.get(f) is True]
    if not found:
        return None
    return "host namespaces", ", ".join(sorted(found))


def _host_path_volumes(meta: Obj, spec: Obj) -> CheckResult:
    # policy/check_hostPathVolumes.go
    names = [v.get("name", "") for v in spec.get("volumes") or [] if v.get("hostPath") is not None]
    if not names:
        return None
    return "hostPath volumes", f"{_plural('volume', 'volumes', len(names))} {_join_quote(names)}"


def _host_ports(meta: Obj, spec: Obj) -> CheckResult:
    # policy/check_hostPorts.go (the ports are a string set: sorted as text)
    bad_containers, ports = [], set()
    for c in _containers(spec):
        used = [str(p.get("hostPort")) for p in c.get("ports") or [] if p.get("hostPort")]
        if used:
            bad_containers.append(c.get("name", ""))
            ports.update(used)
    if not bad_containers:
        return None
    n = len(bad_containers)
    return (
        "hostPort",
        f"{_plural('container', 'containers', n)} {_join_quote(bad_containers)} "
        f"{_plural('uses', 'use', n)} {_plural('hostPort', 'hostPorts', len(ports))} "
        + ", ".join(sorted(ports)),
    )


def _handler_hosts(handler: Obj | None) -> list[str]:
    if not handler:
        return []
    return [
        str(handler[kind]["host"])
        for kind in ("httpGet", "tcpSocket")
        if handler.get(kind) and handler[kind].get("host")
    ]


def _host_probes_and_host_lifecycle(meta: Obj, spec: Obj) -> CheckResult:
    # policy/check_hostProbesAndhostLifecycle.go (1.34+)
    bad_containers: set[str] = set()
    hosts: set[str] = set()
    for c in _containers(spec):
        lifecycle = c.get("lifecycle") or {}
        found = [
            *_handler_hosts(c.get("livenessProbe")),
            *_handler_hosts(c.get("readinessProbe")),
            *_handler_hosts(c.get("startupProbe")),
            *_handler_hosts(lifecycle.get("postStart")),
            *_handler_hosts(lifecycle.get("preStop")),
        ]
        if found:
            bad_containers.add(c.get("name", ""))
            hosts.update(found)
    if not bad_containers:
        return None
    n = len(bad_containers)
    return (
        "probe or lifecycle host",
        f"{_plural('container', 'containers', n)} {_join_quote(sorted(bad_containers))} "
        f"{_plural('uses', 'use', n)} "
        f"{_plural('probe or lifecycle host', 'probe or lifecycle hosts', len(hosts))} "
        f"{_join_quote(sorted(hosts))}",
    )


def _privileged(meta: Obj, spec: Obj) -> CheckResult:
    # policy/check_privileged.go
    bad = [c.get("name", "") for c in _containers(spec) if _sc(c).get("privileged") is True]
    if not bad:
        return None
    return (
        "privileged",
        f"{_plural('container', 'containers', len(bad))} {_join_quote(bad)} "
        "must not set securityContext.privileged=true",
    )


def _proc_mount_restricted(meta: Obj, spec: Obj) -> CheckResult:
    # policy/check_procMount_restricted.go (procMount_1_35_restricted)
    bad, types = [], set()
    for c in _containers(spec):
        mount = _sc(c).get("procMount")
        if mount is not None and mount != "Default":
            bad.append(c.get("name", ""))
            types.add(str(mount))
    if not bad:
        return None
    return (
        "procMount",
        f"{_plural('container', 'containers', len(bad))} {_join_quote(bad)} "
        f"must not set securityContext.procMount to {_join_quote(sorted(types))}",
    )


def _proc_mount_baseline(meta: Obj, spec: Obj) -> CheckResult:
    # policy/check_procMount_baseline.go (procMount_1_35_baseline): a user-namespace pod may
    # use any procMount.
    if _relax_for_user_namespace(spec):
        return None
    return _proc_mount_restricted(meta, spec)


SELINUX_ALLOWED_TYPES = frozenset(
    {"", "container_t", "container_init_t", "container_kvm_t", "container_engine_t"}
)


def _se_linux_options(meta: Obj, spec: Obj) -> CheckResult:
    # policy/check_seLinuxOptions.go (1.31: container_engine_t allowed)
    bad_types: set[str] = set()
    state = {"user": False, "role": False}

    def valid(opts: Obj) -> bool:
        ok = True
        kind = str(opts.get("type") or "")
        if kind not in SELINUX_ALLOWED_TYPES:
            ok = False
            bad_types.add(kind)
        for field in ("user", "role"):
            if opts.get(field):
                ok = False
                state[field] = True
        return ok

    pod_opts = _sc(spec).get("seLinuxOptions")
    pod_bad = pod_opts is not None and not valid(pod_opts)
    bad_containers = [
        c.get("name", "")
        for c in _containers(spec)
        if _sc(c).get("seLinuxOptions") is not None and not valid(_sc(c)["seLinuxOptions"])
    ]
    setters = _setters(pod_bad, bad_containers)
    if not setters:
        return None
    data = []
    if bad_types:
        data.append(f"{_plural('type', 'types', len(bad_types))} {_join_quote(sorted(bad_types))}")
    if state["user"]:
        data.append("user may not be set")
    if state["role"]:
        data.append("role may not be set")
    return (
        "seLinuxOptions",
        f"{' and '.join(setters)} set forbidden securityContext.seLinuxOptions: " + "; ".join(data),
    )


def _valid_seccomp(profile: Obj) -> bool:
    return profile.get("type") in ("Localhost", "RuntimeDefault")


def _seccomp_profile_baseline(meta: Obj, spec: Obj) -> CheckResult:
    # policy/check_seccompProfile_baseline.go (seccompProfileBaseline_1_19)
    bad_values: set[str] = set()
    pod_profile = _sc(spec).get("seccompProfile")
    pod_bad = pod_profile is not None and not _valid_seccomp(pod_profile)
    if pod_bad and pod_profile is not None:
        bad_values.add(str(pod_profile.get("type") or ""))
    bad_containers = []
    for c in _containers(spec):
        profile = _sc(c).get("seccompProfile")
        if profile is not None and not _valid_seccomp(profile):
            bad_containers.append(c.get("name", ""))
            bad_values.add(str(profile.get("type") or ""))
    setters = _setters(pod_bad, bad_containers)
    if not setters:
        return None
    return (
        "seccompProfile",
        f"{' and '.join(setters)} must not set securityContext.seccompProfile.type to "
        f"{_join_quote(sorted(bad_values))}",
    )


# policy/check_sysctls.go: sysctls_allowed_1_0 + 1.27 + 1.29 + 1.32
SYSCTLS_ALLOWED = frozenset(
    {
        "kernel.shm_rmid_forced",
        "net.ipv4.ip_local_port_range",
        "net.ipv4.tcp_syncookies",
        "net.ipv4.ping_group_range",
        "net.ipv4.ip_unprivileged_port_start",
        "net.ipv4.ip_local_reserved_ports",
        "net.ipv4.tcp_keepalive_time",
        "net.ipv4.tcp_fin_timeout",
        "net.ipv4.tcp_keepalive_intvl",
        "net.ipv4.tcp_keepalive_probes",
        "net.ipv4.tcp_rmem",
        "net.ipv4.tcp_wmem",
    }
)


def _sysctls(meta: Obj, spec: Obj) -> CheckResult:
    # policy/check_sysctls.go
    bad = [
        str(s.get("name", ""))
        for s in _sc(spec).get("sysctls") or []
        if s.get("name") not in SYSCTLS_ALLOWED
    ]
    if not bad:
        return None
    return "forbidden sysctls", ", ".join(bad)


def _windows_host_process(meta: Obj, spec: Obj) -> CheckResult:
    # policy/check_windowsHostProcess.go
    def host_process(sc: Obj) -> bool:
        return (sc.get("windowsOptions") or {}).get("hostProcess") is True

    bad_containers = [c.get("name", "") for c in _containers(spec) if host_process(_sc(c))]
    setters = _setters(host_process(_sc(spec)), bad_containers)
    if not setters:
        return None
    return (
        "hostProcess",
        f"{' and '.join(setters)} must not set securityContext.windowsOptions.hostProcess=true",
    )


# -- restricted checks --------------------------------------------------------------------


def _allow_privilege_escalation(meta: Obj, spec: Obj) -> CheckResult:
    # policy/check_allowPrivilegeEscalation.go (1.25: Windows pods are exempt)
    if _is_windows(spec):
        return None
    bad = [
        c.get("name", "")
        for c in _containers(spec)
        if _sc(c).get("allowPrivilegeEscalation") is not False
    ]
    if not bad:
        return None
    return (
        "allowPrivilegeEscalation != false",
        f"{_plural('container', 'containers', len(bad))} {_join_quote(bad)} "
        "must set securityContext.allowPrivilegeEscalation=false",
    )


def _capabilities_restricted(meta: Obj, spec: Obj) -> CheckResult:
    # policy/check_capabilities_restricted.go (1.25: Windows pods are exempt)
    if _is_windows(spec):
        return None
    missing_drop_all, adding, forbidden = [], [], set()
    for c in _containers(spec):
        caps = _sc(c).get("capabilities")
        if caps is None:
            missing_drop_all.append(c.get("name", ""))
            continue
        if "ALL" not in (caps.get("drop") or []):
            missing_drop_all.append(c.get("name", ""))
        bad = [str(a) for a in caps.get("add") or [] if a != "NET_BIND_SERVICE"]
        if bad:
            adding.append(c.get("name", ""))
            forbidden.update(bad)
    details = []
    if missing_drop_all:
        details.append(
            f"{_plural('container', 'containers', len(missing_drop_all))} "
            f'{_join_quote(missing_drop_all)} must set securityContext.capabilities.drop=["ALL"]'
        )
    if adding:
        details.append(
            f"{_plural('container', 'containers', len(adding))} {_join_quote(adding)} "
            f"must not include {_join_quote(sorted(forbidden))} "
            "in securityContext.capabilities.add"
        )
    if not details:
        return None
    return "unrestricted capabilities", "; ".join(details)


# check_restrictedVolumes.go: the allowed sources (image since 1.33), and the restricted
# ones in the order its switch names a volume's type.
ALLOWED_VOLUME_SOURCES = (
    "configMap",
    "csi",
    "downwardAPI",
    "emptyDir",
    "ephemeral",
    "image",
    "persistentVolumeClaim",
    "projected",
    "secret",
)
RESTRICTED_VOLUME_SOURCES = (
    "hostPath",
    "gcePersistentDisk",
    "awsElasticBlockStore",
    "gitRepo",
    "nfs",
    "iscsi",
    "glusterfs",
    "rbd",
    "flexVolume",
    "cinder",
    "cephfs",
    "flocker",
    "fc",
    "azureFile",
    "vsphereVolume",
    "quobyte",
    "azureDisk",
    "photonPersistentDisk",
    "portworxVolume",
    "scaleIO",
    "storageos",
)


def _restricted_volumes(meta: Obj, spec: Obj) -> CheckResult:
    # policy/check_restrictedVolumes.go
    bad_volumes: list[str] = []
    bad_types: set[str] = set()
    for volume in spec.get("volumes") or []:
        if any(volume.get(s) is not None for s in ALLOWED_VOLUME_SOURCES):
            continue
        bad_volumes.append(volume.get("name", ""))
        kind = next((s for s in RESTRICTED_VOLUME_SOURCES if volume.get(s) is not None), None)
        bad_types.add(kind or "unknown")
    if not bad_volumes:
        return None
    n = len(bad_volumes)
    return (
        "restricted volume types",
        f"{_plural('volume', 'volumes', n)} {_join_quote(bad_volumes)} "
        f"{_plural('uses', 'use', n)} "
        f"{_plural('restricted volume type', 'restricted volume types', len(bad_types))} "
        f"{_join_quote(sorted(bad_types))}",
    )


def _run_as_non_root(meta: Obj, spec: Obj) -> CheckResult:
    # policy/check_runAsNonRoot.go (1.35: user-namespace pods are exempt)
    if _relax_for_user_namespace(spec):
        return None
    pod_value = _sc(spec).get("runAsNonRoot")
    explicitly_bad, implicitly_bad = [], []
    for c in _containers(spec):
        value = _sc(c).get("runAsNonRoot")
        if value is False:
            explicitly_bad.append(c.get("name", ""))
        elif value is None and pod_value is not True:
            implicitly_bad.append(c.get("name", ""))
    setters = _setters(pod_value is False, explicitly_bad)
    if setters:
        return (
            "runAsNonRoot != true",
            f"{' and '.join(setters)} must not set securityContext.runAsNonRoot=false",
        )
    if implicitly_bad:
        return (
            "runAsNonRoot != true",
            f"pod or {_plural('container', 'containers', len(implicitly_bad))} "
            f"{_join_quote(implicitly_bad)} must set securityContext.runAsNonRoot=true",
        )
    return None


def _is_zero(value: Any) -> bool:
    return value == 0 and value is not False


def _run_as_user(meta: Obj, spec: Obj) -> CheckResult:
    # policy/check_runAsUser.go (1.35: user-namespace pods are exempt)
    if _relax_for_user_namespace(spec):
        return None
    bad = [c.get("name", "") for c in _containers(spec) if _is_zero(_sc(c).get("runAsUser"))]
    setters = _setters(_is_zero(_sc(spec).get("runAsUser")), bad)
    if not setters:
        return None
    return "runAsUser=0", f"{' and '.join(setters)} must not set runAsUser=0"


def _seccomp_profile_restricted(meta: Obj, spec: Obj) -> CheckResult:
    # policy/check_seccompProfile_restricted.go (1.25: Windows pods are exempt)
    if _is_windows(spec):
        return None
    bad_values: set[str] = set()
    pod_profile = _sc(spec).get("seccompProfile")
    pod_bad = pod_profile is not None and not _valid_seccomp(pod_profile)
    pod_set = pod_profile is not None and not pod_bad
    if pod_bad and pod_profile is not None:
        bad_values.add(str(pod_profile.get("type") or ""))
    explicitly_bad, implicitly_bad = [], []
    for c in _containers(spec):
        profile = _sc(c).get("seccompProfile")
        if profile is not None:
            if not _valid_seccomp(profile):
                explicitly_bad.append(c.get("name", ""))
                bad_values.add(str(profile.get("type") or ""))
        elif not pod_set:
            implicitly_bad.append(c.get("name", ""))
    setters = _setters(pod_bad, explicitly_bad)
    if setters:
        return (
            "seccompProfile",
            f"{' and '.join(setters)} must not set securityContext.seccompProfile.type to "
            f"{_join_quote(sorted(bad_values))}",
        )
    if implicitly_bad:
        return (
            "seccompProfile",
            f"pod or {_plural('container', 'containers', len(implicitly_bad))} "
            f"{_join_quote(implicitly_bad)} must set securityContext.seccompProfile.type to "
            '"RuntimeDefault" or "Localhost"',
        )
    return None


# registry.go populate: baseline checks, then restricted ones, each sorted by check ID; a
# restricted check replaces the baseline checks it overrides.
BASELINE_CHECKS: tuple[tuple[str, CheckFn], ...] = (
    ("appArmorProfile", _app_armor_profile),
    ("capabilities_baseline", _capabilities_baseline),
    ("hostNamespaces", _host_namespaces),
    ("hostPathVolumes", _host_path_volumes),
    ("hostPorts", _host_ports),
    ("hostProbesAndHostLifecycle", _host_probes_and_host_lifecycle),
    ("privileged", _privileged),
    ("procMount_baseline", _proc_mount_baseline),
    ("seLinuxOptions", _se_linux_options),
    ("seccompProfile_baseline", _seccomp_profile_baseline),
    ("sysctls", _sysctls),
    ("windowsHostProcess", _windows_host_process),
)
RESTRICTED_ONLY_CHECKS: tuple[tuple[str, CheckFn, tuple[str, ...]], ...] = (
    ("allowPrivilegeEscalation", _allow_privilege_escalation, ()),
    ("capabilities_restricted", _capabilities_restricted, ("capabilities_baseline",)),
    ("procMount_restricted", _proc_mount_restricted, ("procMount_baseline",)),
    ("restrictedVolumes", _restricted_volumes, ("hostPathVolumes",)),
    ("runAsNonRoot", _run_as_non_root, ()),
    ("runAsUser", _run_as_user, ()),
    ("seccompProfile_restricted", _seccomp_profile_restricted, ("seccompProfile_baseline",)),
)
_OVERRIDDEN = frozenset(o for _, _, overrides in RESTRICTED_ONLY_CHECKS for o in overrides)
CHECKS: dict[str, tuple[CheckFn, ...]] = {
    PRIVILEGED: (),
    BASELINE: tuple(fn for _, fn in BASELINE_CHECKS),
    RESTRICTED: tuple(fn for id_, fn in BASELINE_CHECKS if id_ not in _OVERRIDDEN)
    + tuple(fn for _, fn, _ in RESTRICTED_ONLY_CHECKS),
}


def evaluate(level: str, meta: Obj, spec: Obj) -> list[tuple[str, str]]:
    """The (reason, detail) of every check of ``level`` the pod fails, in upstream's order."""
    results = (check(meta, spec) for check in CHECKS[level])
    return [r for r in results if r is not None]


def forbidden_detail(results: list[tuple[str, str]]) -> str:
    """AggregateCheckResult.ForbiddenDetail: ``reason (detail), reason, ...``."""
    return ", ".join(f"{reason} ({detail})" if detail else reason for reason, detail in results)


def forbidden_reason(results: list[tuple[str, str]]) -> str:
    """AggregateCheckResult.ForbiddenReason: the reasons, comma-separated."""
    return ", ".join(reason for reason, _ in results)


# -- the plugin (admission/admission.go) --------------------------------------------------


def _template(kind: str, obj: Obj) -> Obj | None:
    """DefaultPodSpecExtractor: a workload's pod template, None when it has none."""
    spec = obj.get("spec") or {}
    if kind == "PodTemplate":
        return obj.get("template")
    if kind == "CronJob":
        return ((spec.get("jobTemplate") or {}).get("spec") or {}).get("template")
    return spec.get("template")


def _significant_pod_update(new: Obj, old: Obj) -> bool:
    """isSignificantPodUpdate: only image and seccomp-annotation changes (or a different
    number of containers, or an added ephemeral container) are evaluated again."""
    seccomp_pod = "seccomp.security.alpha.kubernetes.io/pod"
    annotations = (new.get("metadata") or {}).get("annotations") or {}
    old_annotations = (old.get("metadata") or {}).get("annotations") or {}
    if annotations.get(seccomp_pod) != old_annotations.get(seccomp_pod):
        return True
    spec, old_spec = new.get("spec") or {}, old.get("spec") or {}

    def changed(c: Obj, o: Obj) -> bool:
        key = "container.seccomp.security.alpha.kubernetes.io/" + str(c.get("name", ""))
        return c.get("image") != o.get("image") or annotations.get(key) != old_annotations.get(key)

    for field in ("containers", "initContainers"):
        containers, old_containers = spec.get(field) or [], old_spec.get(field) or []
        if len(containers) != len(old_containers):
            return True
        if any(changed(c, o) for c, o in zip(containers, old_containers, strict=True)):
            return True
    old_ephemeral = {c.get("name"): c for c in old_spec.get("ephemeralContainers") or []}
    for c in spec.get("ephemeralContainers") or []:
        o = old_ephemeral.get(c.get("name"))
        if o is None or changed(c, o):
            return True
    return False


class PodSecurity:
    name = "PodSecurity"
    operations = frozenset({CREATE_OPERATION, UPDATE_OPERATION})
    kinds: frozenset[str] | None = frozenset({"Pod", "Namespace"} | WORKLOAD_KINDS)

    def __init__(self) -> None:
        # (namespace, kind, name, the audit-violations annotation), newest last.
        self.audit_log: deque[tuple[str, str, str, str]] = deque(maxlen=AUDIT_LOG_SIZE)

    def validate(self, attrs: AdmissionAttributes, obj: Obj) -> None:
        kind = attrs.kind.kind
        if kind == "Namespace":
            self._validate_namespace(attrs, obj)
            return
        md = obj.get("metadata") or {}
        namespace = str(md.get("namespace") or "")
        ns = attrs.ctx.store.peek("Namespace", namespace)
        if ns is None:
            return
        policy, errors = policy_to_evaluate(ns["metadata"].get("labels"))
        if kind == "Pod":
            # ValidatePod: short-circuit on an all-privileged namespace.
            if (
                not errors
                and policy.enforce.level == PRIVILEGED
                and policy.warn.level == PRIVILEGED
                and policy.audit.level == PRIVILEGED
            ):
                return
            if attrs.operation == UPDATE_OPERATION:
                old = attrs.ctx.store.peek("Pod", str(md.get("name") or ""), namespace)
                if old is not None and not _significant_pod_update(obj, old):
                    return
            self._evaluate(attrs, policy, md, obj.get("spec") or {}, obj, enforce=True)
            return
        # ValidatePodController: only audit and warn (with label errors, audit and warn
        # fail open to privileged, so nothing is found either).
        if policy.audit.level == PRIVILEGED and policy.warn.level == PRIVILEGED:
            return
        template = _template(kind, obj)
        if template is None:
            return
        self._evaluate(
            attrs,
            policy,
            template.get("metadata") or {},
            template.get("spec") or {},
            obj,
            enforce=False,
        )

    def _evaluate(
        self,
        attrs: AdmissionAttributes,
        policy: Policy,
        meta: Obj,
        spec: Obj,
        obj: Obj,
        *,
        enforce: bool,
    ) -> None:
        """EvaluatePod: enforce (refuse), audit (record), warn (a warning, when not refused)."""
        md = obj.get("metadata") or {}
        name = str(md.get("name") or "")
        cache: dict[str, list[tuple[str, str]]] = {}

        def results(level: str) -> list[tuple[str, str]]:
            if level not in cache:
                cache[level] = evaluate(level, meta, spec)
            return cache[level]

        refusal = None
        if enforce:
            found = results(policy.enforce.level)
            if found:
                refusal = forbidden_error(
                    f'{attrs.kind.plural} "{name}" is forbidden: violates PodSecurity '
                    f'"{policy.enforce}": {forbidden_detail(found)}'
                )
        audit = results(policy.audit.level)
        if audit:
            self.audit_log.append(
                (
                    str(md.get("namespace") or ""),
                    attrs.kind.kind,
                    name,
                    f'would violate PodSecurity "{policy.audit}": {forbidden_detail(audit)}',
                )
            )
        if refusal is not None:
            raise refusal
        warn = results(policy.warn.level)
        if warn:
            attrs.ctx.store.warnings.append(
                f'would violate PodSecurity "{policy.warn}": {forbidden_detail(warn)}'
            )

    def _validate_namespace(self, attrs: AdmissionAttributes, obj: Obj) -> None:
        """ValidateNamespace: labels must parse (on update: unless already as bad); a
        stricter enforce level checks the pods already in the namespace."""
        md = obj.get("metadata") or {}
        name = str(md.get("name") or "")
        policy, errors = policy_to_evaluate(md.get("labels"))
        if attrs.operation == CREATE_OPERATION:
            if errors:
                raise invalid_object("Namespace", "", name, errors)
            return
        old = attrs.ctx.store.peek("Namespace", name)
        if old is None:
            return
        old_policy, old_errors = policy_to_evaluate(old["metadata"].get("labels"))
        if errors and (not old_errors or errors != old_errors):
            raise invalid_object("Namespace", "", name, errors)
        new, previous = policy.enforce, old_policy.enforce
        if new == previous or new.level == PRIVILEGED:
            return
        if (
            new.version == previous.version
            and _STRICTNESS[new.level] <= _STRICTNESS[previous.level]
        ):
            return
        attrs.ctx.store.warnings.extend(self._evaluate_pods(attrs, name, new))

    def _evaluate_pods(
        self, attrs: AdmissionAttributes, namespace: str, enforce: LevelVersion
    ) -> list[str]:
        """EvaluatePodsInNamespace: one warning per distinct violation, naming the first pod
        (by name) and how many others share it; one pod per controller is checked first."""
        pods = sorted(attrs.ctx.store.view("Pod", namespace), key=lambda p: p["metadata"]["name"])
        first, duplicates, seen = [], [], set()
        for pod in pods:
            owner = next(
                (
                    ref.get("uid")
                    for ref in pod["metadata"].get("ownerReferences") or []
                    if ref.get("controller")
                ),
                None,
            )
            if owner is None:
                first.append(pod)
            elif owner in seen:
                duplicates.append(pod)
            else:
                seen.add(owner)
                first.append(pod)
        prioritized = first + duplicates
        total = len(prioritized)
        prioritized = prioritized[:NAMESPACE_MAX_PODS_TO_CHECK]
        counts: dict[str, tuple[str, int]] = {}
        for pod in prioritized:
            found = evaluate(enforce.level, pod["metadata"], pod.get("spec") or {})
            if not found:
                continue
            warning = forbidden_reason(found)
            pod_name = pod["metadata"]["name"]
            if warning in counts:
                first_name, count = counts[warning]
                counts[warning] = (min(first_name, pod_name), count + 1)
            else:
                counts[warning] = (pod_name, 1)
        warnings = []
        if len(prioritized) < total:
            warnings.append(
                "new PodSecurity enforce level only checked against the first "
                f"{len(prioritized)} of {total} existing pods"
            )
        if counts:
            warnings.append(
                f'existing pods in namespace "{namespace}" violate the new PodSecurity '
                f'enforce level "{enforce}"'
            )
        decorated = []
        for warning, (pod_name, count) in counts.items():
            if count == 1:
                decorated.append(f"{pod_name}: {warning}")
            elif count == 2:
                decorated.append(f"{pod_name} (and 1 other pod): {warning}")
            else:
                decorated.append(f"{pod_name} (and {count - 1} other pods): {warning}")
        return warnings + sorted(decorated)
