"""The Pod's Go structs as schema data (``core/v1/types.go``).

Structs the simulator does not interpret (security contexts, DNS config, host aliases,
ephemeral containers, most volume sources) are ``open``: their fields pass through unchecked
rather than being rejected, so any real manifest still applies.
"""

from __future__ import annotations

from k8sgame.engine.api.meta import OBJECT_META
from k8sgame.engine.api.schema import (
    ANY,
    BOOL,
    INT32,
    INT64,
    INT_OR_STRING,
    QUANTITY_MAP,
    STRING,
    STRING_LIST,
    STRING_MAP,
    FieldType,
    ListOf,
    Struct,
)

EXEC_ACTION = Struct("ExecAction", {"command": STRING_LIST})
HTTP_HEADER = Struct("HTTPHeader", {"name": STRING, "value": STRING})
HTTP_GET_ACTION = Struct(
    "HTTPGetAction",
    {
        "path": STRING,
        "port": INT_OR_STRING,
        "host": STRING,
        "scheme": STRING,
        "httpHeaders": ListOf(HTTP_HEADER),
    },
)
TCP_SOCKET_ACTION = Struct("TCPSocketAction", {"port": INT_OR_STRING, "host": STRING})
GRPC_ACTION = Struct("GRPCAction", {"port": INT32, "service": STRING})
SLEEP_ACTION = Struct("SleepAction", {"seconds": INT64})

PROBE = Struct(
    "Probe",
    {
        "exec": EXEC_ACTION,
        "httpGet": HTTP_GET_ACTION,
        "tcpSocket": TCP_SOCKET_ACTION,
        "grpc": GRPC_ACTION,
        "initialDelaySeconds": INT32,
        "timeoutSeconds": INT32,
        "periodSeconds": INT32,
        "successThreshold": INT32,
        "failureThreshold": INT32,
        "terminationGracePeriodSeconds": INT64,
    },
)
LIFECYCLE_HANDLER = Struct(
    "LifecycleHandler",
    {
        "exec": EXEC_ACTION,
        "httpGet": HTTP_GET_ACTION,
        "tcpSocket": TCP_SOCKET_ACTION,
        "sleep": SLEEP_ACTION,
    },
)
LIFECYCLE = Struct(
    "Lifecycle",
    {"postStart": LIFECYCLE_HANDLER, "preStop": LIFECYCLE_HANDLER, "stopSignal": STRING},
)

KEY_SELECTOR_FIELDS = {"name": STRING, "key": STRING, "optional": BOOL}
ENV_VAR_SOURCE = Struct(
    "EnvVarSource",
    {
        "fieldRef": Struct("ObjectFieldSelector", {"apiVersion": STRING, "fieldPath": STRING}),
        "resourceFieldRef": Struct(
            "ResourceFieldSelector", {"containerName": STRING, "resource": STRING, "divisor": ANY}
        ),
        "configMapKeyRef": Struct("ConfigMapKeySelector", dict(KEY_SELECTOR_FIELDS)),
        "secretKeyRef": Struct("SecretKeySelector", dict(KEY_SELECTOR_FIELDS)),
        "fileKeyRef": Struct("FileKeySelector", {}, open=True),
    },
)
ENV_VAR = Struct("EnvVar", {"name": STRING, "value": STRING, "valueFrom": ENV_VAR_SOURCE})
ENV_FROM_SOURCE = Struct(
    "EnvFromSource",
    {
        "prefix": STRING,
        "configMapRef": Struct("ConfigMapEnvSource", {"name": STRING, "optional": BOOL}),
        "secretRef": Struct("SecretEnvSource", {"name": STRING, "optional": BOOL}),
    },
)
CONTAINER_PORT = Struct(
    "ContainerPort",
    {
        "name": STRING,
        "hostPort": INT32,
        "containerPort": INT32,
        "protocol": STRING,
        "hostIP": STRING,
    },
)
RESOURCE_REQUIREMENTS = Struct(
    "ResourceRequirements",
    {"limits": QUANTITY_MAP, "requests": QUANTITY_MAP, "claims": ANY},
)
VOLUME_MOUNT = Struct(
    "VolumeMount",
    {
        "name": STRING,
        "readOnly": BOOL,
        "recursiveReadOnly": STRING,
        "mountPath": STRING,
        "subPath": STRING,
        "mountPropagation": STRING,
        "subPathExpr": STRING,
    },
)
OPEN_STRUCT_NAMES = ("SecurityContext",)

CONTAINER_FIELDS: dict[str, FieldType] = {
    "name": STRING,
    "image": STRING,
    "command": STRING_LIST,
    "args": STRING_LIST,
    "workingDir": STRING,
    "ports": ListOf(CONTAINER_PORT),
    "envFrom": ListOf(ENV_FROM_SOURCE),
    "env": ListOf(ENV_VAR),
    "resources": RESOURCE_REQUIREMENTS,
    "resizePolicy": ANY,
    "restartPolicy": STRING,
    "restartPolicyRules": ANY,
    "volumeMounts": ListOf(VOLUME_MOUNT),
    "volumeDevices": ANY,
    "livenessProbe": PROBE,
    "readinessProbe": PROBE,
    "startupProbe": PROBE,
    "lifecycle": LIFECYCLE,
    "terminationMessagePath": STRING,
    "terminationMessagePolicy": STRING,
    "imagePullPolicy": STRING,
    "securityContext": Struct("SecurityContext", {}, open=True),
    "stdin": BOOL,
    "stdinOnce": BOOL,
    "tty": BOOL,
}
CONTAINER = Struct("Container", CONTAINER_FIELDS)

KEY_TO_PATH = Struct("KeyToPath", {"key": STRING, "path": STRING, "mode": INT32})
VOLUME = Struct(
    "Volume",
    {
        "name": STRING,
        "configMap": Struct(
            "ConfigMapVolumeSource",
            {"name": STRING, "items": ListOf(KEY_TO_PATH), "defaultMode": INT32, "optional": BOOL},
        ),
        "secret": Struct(
            "SecretVolumeSource",
            {
                "secretName": STRING,
                "items": ListOf(KEY_TO_PATH),
                "defaultMode": INT32,
                "optional": BOOL,
            },
        ),
        "emptyDir": Struct("EmptyDirVolumeSource", {"medium": STRING, "sizeLimit": ANY}),
        "hostPath": Struct("HostPathVolumeSource", {"path": STRING, "type": STRING}),
        "persistentVolumeClaim": Struct(
            "PersistentVolumeClaimVolumeSource", {"claimName": STRING, "readOnly": BOOL}
        ),
        "projected": Struct("ProjectedVolumeSource", {}, open=True),
        "downwardAPI": Struct("DownwardAPIVolumeSource", {}, open=True),
        "nfs": ANY,
        "csi": ANY,
        "ephemeral": ANY,
        "image": ANY,
    },
)

TOLERATION = Struct(
    "Toleration",
    {
        "key": STRING,
        "operator": STRING,
        "value": STRING,
        "effect": STRING,
        "tolerationSeconds": INT64,
    },
)
NODE_SELECTOR_REQUIREMENT = Struct(
    "NodeSelectorRequirement", {"key": STRING, "operator": STRING, "values": STRING_LIST}
)
NODE_SELECTOR_TERM = Struct(
    "NodeSelectorTerm",
    {
        "matchExpressions": ListOf(NODE_SELECTOR_REQUIREMENT),
        "matchFields": ListOf(NODE_SELECTOR_REQUIREMENT),
    },
)
NODE_SELECTOR = Struct("NodeSelector", {"nodeSelectorTerms": ListOf(NODE_SELECTOR_TERM)})
LABEL_SELECTOR = Struct(
    "LabelSelector",
    {
        "matchLabels": STRING_MAP,
        "matchExpressions": ListOf(
            Struct(
                "LabelSelectorRequirement",
                {"key": STRING, "operator": STRING, "values": STRING_LIST},
            )
        ),
    },
)
POD_AFFINITY_TERM = Struct(
    "PodAffinityTerm",
    {
        "labelSelector": LABEL_SELECTOR,
        "namespaces": STRING_LIST,
        "topologyKey": STRING,
        "namespaceSelector": LABEL_SELECTOR,
        "matchLabelKeys": STRING_LIST,
        "mismatchLabelKeys": STRING_LIST,
    },
)
WEIGHTED_POD_AFFINITY_TERM = Struct(
    "WeightedPodAffinityTerm", {"weight": INT32, "podAffinityTerm": POD_AFFINITY_TERM}
)
POD_AFFINITY_FIELDS = {
    "requiredDuringSchedulingIgnoredDuringExecution": ListOf(POD_AFFINITY_TERM),
    "preferredDuringSchedulingIgnoredDuringExecution": ListOf(WEIGHTED_POD_AFFINITY_TERM),
}
AFFINITY = Struct(
    "Affinity",
    {
        "nodeAffinity": Struct(
            "NodeAffinity",
            {
                "requiredDuringSchedulingIgnoredDuringExecution": NODE_SELECTOR,
                "preferredDuringSchedulingIgnoredDuringExecution": ListOf(
                    Struct(
                        "PreferredSchedulingTerm",
                        {"weight": INT32, "preference": NODE_SELECTOR_TERM},
                    )
                ),
            },
        ),
        "podAffinity": Struct("PodAffinity", dict(POD_AFFINITY_FIELDS)),
        "podAntiAffinity": Struct("PodAntiAffinity", dict(POD_AFFINITY_FIELDS)),
    },
)
TOPOLOGY_SPREAD_CONSTRAINT = Struct(
    "TopologySpreadConstraint",
    {
        "maxSkew": INT32,
        "topologyKey": STRING,
        "whenUnsatisfiable": STRING,
        "labelSelector": LABEL_SELECTOR,
        "minDomains": INT32,
        "nodeAffinityPolicy": STRING,
        "nodeTaintsPolicy": STRING,
        "matchLabelKeys": STRING_LIST,
    },
)

POD_SPEC = Struct(
    "PodSpec",
    {
        "volumes": ListOf(VOLUME),
        "initContainers": ListOf(CONTAINER),
        "containers": ListOf(CONTAINER),
        "ephemeralContainers": ANY,
        "restartPolicy": STRING,
        "terminationGracePeriodSeconds": INT64,
        "activeDeadlineSeconds": INT64,
        "dnsPolicy": STRING,
        "nodeSelector": STRING_MAP,
        "serviceAccountName": STRING,
        "serviceAccount": STRING,
        "automountServiceAccountToken": BOOL,
        "nodeName": STRING,
        "hostNetwork": BOOL,
        "hostPID": BOOL,
        "hostIPC": BOOL,
        "shareProcessNamespace": BOOL,
        "securityContext": Struct("PodSecurityContext", {}, open=True),
        "imagePullSecrets": ListOf(Struct("LocalObjectReference", {"name": STRING})),
        "hostname": STRING,
        "subdomain": STRING,
        "affinity": AFFINITY,
        "schedulerName": STRING,
        "tolerations": ListOf(TOLERATION),
        "hostAliases": ANY,
        "priorityClassName": STRING,
        "priority": INT32,
        "dnsConfig": Struct("PodDNSConfig", {}, open=True),
        "readinessGates": ListOf(Struct("PodReadinessGate", {"conditionType": STRING})),
        "runtimeClassName": STRING,
        "enableServiceLinks": BOOL,
        "preemptionPolicy": STRING,
        "overhead": QUANTITY_MAP,
        "topologySpreadConstraints": ListOf(TOPOLOGY_SPREAD_CONSTRAINT),
        "setHostnameAsFQDN": BOOL,
        "os": Struct("PodOS", {"name": STRING}),
        "hostUsers": BOOL,
        "schedulingGates": ListOf(Struct("PodSchedulingGate", {"name": STRING})),
        "resourceClaims": ANY,
        "resources": RESOURCE_REQUIREMENTS,
        "hostnameOverride": STRING,
    },
)

POD = Struct(
    "Pod",
    {
        "apiVersion": STRING,
        "kind": STRING,
        "metadata": OBJECT_META,
        "spec": POD_SPEC,
        "status": Struct("PodStatus", {}, open=True),
    },
)

POD_TEMPLATE_SPEC = Struct("PodTemplateSpec", {"metadata": OBJECT_META, "spec": POD_SPEC})
