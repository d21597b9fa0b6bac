"""The RBAC objects a kubeadm-built Kubernetes v1.35 cluster (like kind) holds right after start.

Sources (facts only, rewritten in this compact form):

* ``api_server_policy``: the API server's ``rbac/bootstrap-roles`` post-start hook, as
  kubernetes/kubernetes ``plugin/pkg/auth/authorizer/rbac/bootstrappolicy/testdata``:
  ``controller-roles.yaml`` at 008b3652959ca58af8be3fb5b6ecfe9ae7638282 (bindings follow from
  it: one per controller role, ServiceAccount kube-system/<controller>), ``namespace-roles.yaml``
  at 1892e4deb967a2b39cfc2fea87a8bd49274449ef, ``namespace-role-bindings.yaml`` and
  ``cluster-role-bindings.yaml`` (older versions, plus the ``system:monitoring`` and
  ``system:service-account-issuer-discovery`` bindings). ``cluster-roles.yaml`` is
  ``cluster-roles-featuregates.yaml`` at 01899a7c86337b05a16a4155c9351cf947beaee9 less what
  only gates off by default in 1.35 add (ClusterTrustBundle, ClusterTrustBundleProjection,
  CoordinatedLeaderElection, DRADeviceTaints, DRAExtendedResource, ComponentFlagz/Statusz):
  no stored 1.35-era ``cluster-roles.yaml`` was reachable.
* ``kubeadm_policy``: kubeadm ``cmd/kubeadm/app/phases`` (bootstraptoken/clusterinfo,
  bootstraptoken/node, addons/proxy, addons/dns, uploadconfig, kubelet, kubeconfig).
* ``addon_policy``: local-path-provisioner as kind deploys it (kubernetes-sigs/kind
  ``pkg/build/nodeimage/const_storage.go``), kubernetes-sigs/metrics-server
  ``manifests/base/rbac.yaml``, metallb/metallb ``config/rbac/role.yaml`` (namespace
  metallb-system as its kustomization sets), kubernetes/ingress-nginx
  ``deploy/static/provider/cloud/deploy.yaml``.

Rules are written ``_rule(verbs, groups, resources, names, urls)``, each a space-separated list;
the core API group ("") is written ``core``.
"""

from __future__ import annotations

from typing import Any

RBAC_API = "rbac.authorization.k8s.io/v1"
RBAC_GROUP = "rbac.authorization.k8s.io"
CORE = "core"  # stands for the "" (legacy) API group in _rule's space-separated groups
BOOTSTRAP_LABELS = {"kubernetes.io/bootstrapping": "rbac-defaults"}
AUTOUPDATE = {"rbac.authorization.kubernetes.io/autoupdate": "true"}
AGGREGATE = "rbac.authorization.k8s.io/aggregate-to-"
NODE_TOKEN_GROUP = "system:bootstrappers:kubeadm:default-node-token"

Rule = dict[str, Any]


def _rule(
    verbs: str, groups: str = "", resources: str = "", names: str = "", urls: str = ""
) -> Rule:
    """A PolicyRule; keys in the order kubectl prints them, empty fields left out."""
    out: Rule = {"verbs": verbs.split()}
    if not urls:
        out["apiGroups"] = ["" if g == CORE else g for g in groups.split()]
        out["resources"] = resources.split()
    if names:
        out["resourceNames"] = names.split()
    if urls:
        out["nonResourceURLs"] = urls.split()
    return out


READ = "get list watch"
WRITE = "create delete deletecollection patch update"
READ_WRITE = "create delete deletecollection get list patch update watch"
RMW = "create delete get list patch update watch"  # the controllers' read+modify set


def _events() -> Rule:
    """What every controller and most components get: write events in both event APIs."""
    return _rule("create patch update", "core events.k8s.io", "events")


# -- the API server's ClusterRoles ------------------------------------------------------------

# name -> (extra labels, aggregated label suffix or "", rules); order as cluster-roles.yaml.
_ClusterRoleRow = tuple[str, dict[str, str], str, list[Rule]]


def _cluster_roles() -> list[_ClusterRoleRow]:
    csr = "certificates.k8s.io"
    return [
        ("admin", {}, "admin", []),
        (
            "cluster-admin",
            {},
            "",
            [_rule("*", "*", "*"), _rule("*", urls="*")],
        ),
        ("edit", {AGGREGATE + "admin": "true"}, "edit", []),
        (
            "system:aggregate-to-admin",
            {AGGREGATE + "admin": "true"},
            "",
            [
                _rule("create", "authorization.k8s.io", "localsubjectaccessreviews"),
                _rule(READ_WRITE, RBAC_GROUP, "rolebindings roles"),
            ],
        ),
        (
            "system:aggregate-to-edit",
            {AGGREGATE + "edit": "true"},
            "",
            [
                _rule(
                    READ,
                    "core",
                    "pods/attach pods/exec pods/portforward pods/proxy secrets services/proxy",
                ),
                _rule("impersonate", "core", "serviceaccounts"),
                _rule(WRITE, "core", "pods pods/attach pods/exec pods/portforward pods/proxy"),
                _rule("create", "core", "pods/eviction"),
                _rule(
                    WRITE,
                    "core",
                    "configmaps events persistentvolumeclaims replicationcontrollers"
                    " replicationcontrollers/scale secrets serviceaccounts services services/proxy",
                ),
                _rule("create", "core", "serviceaccounts/token"),
                _rule(
                    WRITE,
                    "apps",
                    "daemonsets deployments deployments/rollback deployments/scale replicasets"
                    " replicasets/scale statefulsets statefulsets/scale",
                ),
                _rule(WRITE, "autoscaling", "horizontalpodautoscalers"),
                _rule(WRITE, "batch", "cronjobs jobs"),
                _rule(
                    WRITE,
                    "extensions",
                    "daemonsets deployments deployments/rollback deployments/scale ingresses"
                    " networkpolicies replicasets replicasets/scale replicationcontrollers/scale",
                ),
                _rule(WRITE, "policy", "poddisruptionbudgets"),
                _rule(WRITE, "networking.k8s.io", "ingresses networkpolicies"),
                _rule(READ_WRITE, "coordination.k8s.io", "leases"),
                # DynamicResourceAllocation is GA (on) since 1.34.
                _rule(WRITE, "resource.k8s.io", "resourceclaims resourceclaimtemplates"),
            ],
        ),
        (
            "system:aggregate-to-view",
            {AGGREGATE + "view": "true"},
            "",
            [
                _rule(
                    READ,
                    "core",
                    "configmaps endpoints persistentvolumeclaims persistentvolumeclaims/status"
                    " pods replicationcontrollers replicationcontrollers/scale serviceaccounts"
                    " services services/status",
                ),
                _rule(
                    READ,
                    "core",
                    "bindings events limitranges namespaces/status pods/log pods/status"
                    " replicationcontrollers/status resourcequotas resourcequotas/status",
                ),
                _rule(READ, "core", "namespaces"),
                _rule(READ, "discovery.k8s.io", "endpointslices"),
                _rule(
                    READ,
                    "apps",
                    "controllerrevisions daemonsets daemonsets/status deployments"
                    " deployments/scale deployments/status replicasets replicasets/scale"
                    " replicasets/status statefulsets statefulsets/scale statefulsets/status",
                ),
                _rule(
                    READ, "autoscaling", "horizontalpodautoscalers horizontalpodautoscalers/status"
                ),
                _rule(READ, "batch", "cronjobs cronjobs/status jobs jobs/status"),
                _rule(
                    READ,
                    "extensions",
                    "daemonsets daemonsets/status deployments deployments/scale"
                    " deployments/status ingresses ingresses/status networkpolicies replicasets"
                    " replicasets/scale replicasets/status replicationcontrollers/scale",
                ),
                _rule(READ, "policy", "poddisruptionbudgets poddisruptionbudgets/status"),
                _rule(READ, "networking.k8s.io", "ingresses ingresses/status networkpolicies"),
                _rule(
                    READ,
                    "resource.k8s.io",
                    "resourceclaims resourceclaims/status resourceclaimtemplates",
                ),
            ],
        ),
        (
            "system:auth-delegator",
            {},
            "",
            [
                _rule("create", "authentication.k8s.io", "tokenreviews"),
                _rule("create", "authorization.k8s.io", "subjectaccessreviews"),
            ],
        ),
        (
            "system:basic-user",
            {},
            "",
            [
                _rule(
                    "create",
                    "authorization.k8s.io",
                    "selfsubjectaccessreviews selfsubjectrulesreviews",
                ),
                _rule("create", "authentication.k8s.io", "selfsubjectreviews"),
            ],
        ),
        (
            "system:certificates.k8s.io:certificatesigningrequests:nodeclient",
            {},
            "",
            [_rule("create", csr, "certificatesigningrequests/nodeclient")],
        ),
        (
            "system:certificates.k8s.io:certificatesigningrequests:selfnodeclient",
            {},
            "",
            [_rule("create", csr, "certificatesigningrequests/selfnodeclient")],
        ),
        *[
            (
                f"system:certificates.k8s.io:{signer}-approver",
                {},
                "",
                [_rule("approve", csr, "signers", f"kubernetes.io/{signer}")],
            )
            for signer in (
                "kube-apiserver-client",
                "kube-apiserver-client-kubelet",
                "kubelet-serving",
                "legacy-unknown",
            )
        ],
        (
            "system:discovery",
            {},
            "",
            [
                _rule(
                    "get",
                    urls="/api /api/* /apis /apis/* /healthz /livez /openapi /openapi/*"
                    " /readyz /version /version/",
                )
            ],
        ),
        (
            "system:heapster",
            {},
            "",
            [
                _rule(READ, "core", "events namespaces nodes pods"),
                _rule(READ, "extensions", "deployments"),
            ],
        ),
        ("system:kube-aggregator", {}, "", [_rule(READ, "core", "endpoints services")]),
        (
            "system:kube-controller-manager",
            {},
            "",
            [
                _events(),
                _rule("create", "coordination.k8s.io", "leases"),
                _rule("get update", "coordination.k8s.io", "leases", "kube-controller-manager"),
                _rule("create", "core", "secrets serviceaccounts"),
                _rule("delete", "core", "secrets"),
                _rule("get", "core", "configmaps namespaces secrets serviceaccounts"),
                _rule("update", "core", "secrets serviceaccounts"),
                _rule("create", "authentication.k8s.io", "tokenreviews"),
                _rule("create", "authorization.k8s.io", "subjectaccessreviews"),
                _rule("list watch", "*", "*"),
                _rule("create", "core", "serviceaccounts/token"),
            ],
        ),
        ("system:kube-dns", {}, "", [_rule("list watch", "core", "endpoints services")]),
        (
            "system:kube-scheduler",
            {},
            "",
            [
                _events(),
                _rule("create", "coordination.k8s.io", "leases"),
                # CoordinatedLeaderElection (off in 1.35) would add list/watch and leasecandidates.
                _rule("get update", "coordination.k8s.io", "leases", "kube-scheduler"),
                _rule(READ, "core", "nodes"),
                _rule("delete get list watch", "core", "pods"),
                _rule("create", "core", "bindings pods/binding"),
                _rule("patch update", "core", "pods/status"),
                _rule(READ, "core", "replicationcontrollers services"),
                _rule(READ, "apps extensions", "replicasets"),
                _rule(READ, "apps", "statefulsets"),
                _rule(READ, "policy", "poddisruptionbudgets"),
                _rule(READ, "core", "persistentvolumeclaims persistentvolumes"),
                _rule("create", "authentication.k8s.io", "tokenreviews"),
                _rule("create", "authorization.k8s.io", "subjectaccessreviews"),
                _rule(READ, "storage.k8s.io", "csinodes"),
                _rule(READ, "storage.k8s.io", "volumeattachments"),
                _rule(READ, "core", "namespaces"),
                _rule(READ, "storage.k8s.io", "csidrivers"),
                _rule(READ, "storage.k8s.io", "csistoragecapacities"),
                # DynamicResourceAllocation (GA): the scheduler allocates claims.
                _rule(READ, "resource.k8s.io", "deviceclasses"),
                _rule("get list patch update watch", "resource.k8s.io", "resourceclaims"),
                _rule("get list patch update watch", "resource.k8s.io", "resourceclaims/status"),
                _rule(READ, "resource.k8s.io", "resourceslices"),
            ],
        ),
        (
            "system:kubelet-api-admin",
            {},
            "",
            [
                _rule(READ, "core", "nodes"),
                _rule("proxy", "core", "nodes"),
                _rule("*", "core", "nodes/log nodes/metrics nodes/proxy nodes/stats"),
                # KubeletFineGrainedAuthz (beta, on): the kubelet's finer subresources.
                _rule("*", "core", "nodes/configz nodes/healthz nodes/pods"),
            ],
        ),
        (
            "system:monitoring",
            {},
            "",
            [
                _rule(
                    "get",
                    urls="/healthz /healthz/* /livez /livez/* /metrics /metrics/slis /readyz"
                    " /readyz/*",
                )
            ],
        ),
        ("system:node", {}, "", _node_rules()),
        (
            "system:node-bootstrapper",
            {},
            "",
            [_rule("create get list watch", csr, "certificatesigningrequests")],
        ),
        (
            "system:node-problem-detector",
            {},
            "",
            [
                _rule("get", "core", "nodes"),
                _rule("patch", "core", "nodes/status"),
                _events(),
            ],
        ),
        (
            "system:node-proxier",
            {},
            "",
            [
                _rule("list watch", "core", "endpoints services"),
                _rule(READ, "core", "nodes"),
                _events(),
                # MultiCIDRServiceAllocator is GA since 1.33.
                _rule("list watch", "networking.k8s.io", "servicecidrs"),
                _rule("list watch", "discovery.k8s.io", "endpointslices"),
            ],
        ),
        (
            "system:persistent-volume-provisioner",
            {},
            "",
            [
                _rule("create delete get list watch", "core", "persistentvolumes"),
                _rule("get list update watch", "core", "persistentvolumeclaims"),
                _rule(READ, "storage.k8s.io", "storageclasses"),
                _rule("watch", "core", "events"),
                _events(),
            ],
        ),
        (
            "system:public-info-viewer",
            {},
            "",
            [_rule("get", urls="/healthz /livez /readyz /version /version/")],
        ),
        (
            "system:service-account-issuer-discovery",
            {},
            "",
            [
                _rule(
                    "get",
                    urls="/.well-known/openid-configuration /.well-known/openid-configuration/"
                    " /openid/v1/jwks /openid/v1/jwks/",
                )
            ],
        ),
        (
            "system:volume-scheduler",
            {},
            "",
            [
                _rule("get list patch update watch", "core", "persistentvolumes"),
                _rule(READ, "storage.k8s.io", "storageclasses"),
                _rule("get list patch update watch", "core", "persistentvolumeclaims"),
            ],
        ),
        ("view", {AGGREGATE + "edit": "true"}, "view", []),
    ]


def _node_rules() -> list[Rule]:
    """``system:node`` (bound to nobody: the Node authorizer does the kubelets' work)."""
    return [
        _rule("create", "authentication.k8s.io", "tokenreviews"),
        _rule("create", "authorization.k8s.io", "localsubjectaccessreviews subjectaccessreviews"),
        _rule(READ, "core", "services"),
        _rule("create get list watch", "core", "nodes"),
        _rule("patch update", "core", "nodes/status"),
        _rule("patch update", "core", "nodes"),
        _rule("create patch update", "core", "events"),
        _rule(READ, "core", "pods"),
        _rule("create delete", "core", "pods"),
        _rule("patch update", "core", "pods/status"),
        _rule("create", "core", "pods/eviction"),
        _rule(READ, "core", "configmaps secrets"),
        _rule("get", "core", "persistentvolumeclaims persistentvolumes"),
        _rule("get", "core", "endpoints"),
        _rule("create get list watch", "certificates.k8s.io", "certificatesigningrequests"),
        _rule("create delete get patch update", "coordination.k8s.io", "leases"),
        _rule("get", "storage.k8s.io", "volumeattachments"),
        _rule("create", "core", "serviceaccounts/token"),
        _rule("get patch update", "core", "persistentvolumeclaims/status"),
        _rule(READ, "storage.k8s.io", "csidrivers"),
        _rule("create delete get patch update", "storage.k8s.io", "csinodes"),
        _rule(READ, "node.k8s.io", "runtimeclasses"),
        _rule("get", "resource.k8s.io", "resourceclaims"),
        _rule("deletecollection", "resource.k8s.io", "resourceslices"),
        # KubeletServiceAccountTokenForCredentialProviders (beta, on since 1.34).
        _rule("get", "core", "serviceaccounts"),
    ]


# -- the kube-controller-manager's per-controller ClusterRoles -----------------------------------


def _controller_roles() -> list[tuple[str, list[Rule]]]:
    """controller-roles.yaml, alphabetical; each is bound to SA kube-system/<controller>."""
    ev = _events
    scale = "apps extensions"
    return [
        (
            "attachdetach-controller",
            [
                _rule("list watch", "core", "persistentvolumeclaims persistentvolumes"),
                _rule(READ, "core", "nodes"),
                _rule("patch update", "core", "nodes/status"),
                _rule("list watch", "core", "pods"),
                ev(),
                _rule("create delete get list watch", "storage.k8s.io", "volumeattachments"),
                _rule(READ, "storage.k8s.io", "csidrivers"),
                _rule(READ, "storage.k8s.io", "csinodes"),
            ],
        ),
        (
            "certificate-controller",
            [
                _rule("delete get list watch", "certificates.k8s.io", "certificatesigningrequests"),
                _rule(
                    "update",
                    "certificates.k8s.io",
                    "certificatesigningrequests/approval certificatesigningrequests/status",
                ),
                _rule(
                    "approve",
                    "certificates.k8s.io",
                    "signers",
                    "kubernetes.io/kube-apiserver-client-kubelet",
                ),
                _rule(
                    "sign",
                    "certificates.k8s.io",
                    "signers",
                    "kubernetes.io/kube-apiserver-client kubernetes.io/kube-apiserver-client-kubelet"
                    " kubernetes.io/kubelet-serving kubernetes.io/legacy-unknown",
                ),
                _rule("create", "authorization.k8s.io", "subjectaccessreviews"),
                ev(),
            ],
        ),
        (
            "clusterrole-aggregation-controller",
            [_rule("escalate get list patch update watch", RBAC_GROUP, "clusterroles")],
        ),
        (
            "cronjob-controller",
            [
                _rule("get list update watch", "batch", "cronjobs"),
                _rule(RMW, "batch", "jobs"),
                _rule("update", "batch", "cronjobs/status"),
                _rule("update", "batch", "cronjobs/finalizers"),
                _rule("delete list watch", "core", "pods"),
                ev(),
            ],
        ),
        (
            "daemon-set-controller",
            [
                _rule(READ, scale, "daemonsets"),
                _rule("update", scale, "daemonsets/status"),
                _rule("update", scale, "daemonsets/finalizers"),
                _rule("list watch", "core", "nodes"),
                _rule("create delete list patch watch", "core", "pods"),
                _rule("create", "core", "pods/binding"),
                _rule(RMW, "apps", "controllerrevisions"),
                ev(),
            ],
        ),
        (
            "deployment-controller",
            [
                _rule("get list update watch", scale, "deployments"),
                _rule("update", scale, "deployments/status"),
                _rule("update", scale, "deployments/finalizers"),
                _rule(RMW, scale, "replicasets"),
                _rule("get list update watch", "core", "pods"),
                ev(),
            ],
        ),
        (
            "device-taint-eviction-controller",
            [
                _rule("delete get list watch", "core", "pods"),
                _rule("patch update", "core", "pods/status"),
                _rule(READ, "resource.k8s.io", "resourceclaims"),
                _rule(READ, "resource.k8s.io", "resourceslices"),
                _rule(READ, "resource.k8s.io", "deviceclasses"),
                ev(),
            ],
        ),
        (
            "disruption-controller",
            [
                _rule(READ, scale, "deployments"),
                _rule(READ, scale, "replicasets"),
                _rule(READ, "core", "replicationcontrollers"),
                _rule(READ, "policy", "poddisruptionbudgets"),
                _rule(READ, "apps", "statefulsets"),
                _rule("update", "policy", "poddisruptionbudgets/status"),
                _rule("patch update", "core", "pods/status"),
                _rule("get", "*", "*/scale"),
                ev(),
            ],
        ),
        (
            "endpoint-controller",
            [
                _rule(READ, "core", "pods services"),
                _rule("create delete get list update watch", "core", "endpoints"),
                _rule("create", "core", "endpoints/restricted"),
                ev(),
            ],
        ),
        (
            "endpointslice-controller",
            [
                _rule(READ, "core", "nodes pods services"),
                _rule("update", "core", "services/finalizers"),
                _rule("create delete get list update watch", "discovery.k8s.io", "endpointslices"),
                ev(),
            ],
        ),
        (
            "endpointslicemirroring-controller",
            [
                _rule(READ, "core", "endpoints services"),
                _rule("update", "core", "services/finalizers"),
                _rule("update", "core", "endpoints/finalizers"),
                _rule("create delete get list update watch", "discovery.k8s.io", "endpointslices"),
                ev(),
            ],
        ),
        (
            "ephemeral-volume-controller",
            [
                _rule(READ, "core", "pods"),
                _rule("update", "core", "pods/finalizers"),
                _rule("create get list watch", "core", "persistentvolumeclaims"),
                ev(),
            ],
        ),
        (
            "expand-controller",
            [
                _rule("get list patch update watch", "core", "persistentvolumes"),
                _rule("patch update", "core", "persistentvolumeclaims/status"),
                _rule(READ, "core", "persistentvolumeclaims"),
                ev(),
            ],
        ),
        (
            "generic-garbage-collector",
            [_rule("delete get list patch update watch", "*", "*"), ev()],
        ),
        (
            "horizontal-pod-autoscaler",
            [
                _rule(READ, "autoscaling", "horizontalpodautoscalers"),
                _rule("update", "autoscaling", "horizontalpodautoscalers/status"),
                _rule("get update", "*", "*/scale"),
                _rule("list watch", "core", "pods"),
                _rule("list watch", "metrics.k8s.io", "pods"),
                _rule(READ, "custom.metrics.k8s.io", "*"),
                _rule(READ, "external.metrics.k8s.io", "*"),
                ev(),
            ],
        ),
        (
            "job-controller",
            [
                _rule("get list patch update watch", "batch", "jobs"),
                _rule("update", "batch", "jobs/status"),
                _rule("update", "batch", "jobs/finalizers"),
                _rule("create delete list patch watch", "core", "pods"),
                ev(),
            ],
        ),
        (
            "legacy-service-account-token-cleaner",
            [
                _rule(
                    "get",
                    "core",
                    "configmaps",
                    "kube-apiserver-legacy-service-account-token-tracking",
                ),
                _rule("delete patch", "core", "secrets"),
            ],
        ),
        (
            "namespace-controller",
            [
                _rule("delete get list watch", "core", "namespaces"),
                _rule("update", "core", "namespaces/finalize namespaces/status"),
                _rule("delete deletecollection get list watch", "*", "*"),
            ],
        ),
        (
            "node-controller",
            [
                _rule("delete get list patch update watch", "core", "nodes"),
                _rule("patch update", "core", "nodes/status"),
                _rule("patch update", "core", "pods/status"),
                _rule("delete get list watch", "core", "pods"),
                ev(),
            ],
        ),
        (
            "persistent-volume-binder",
            [
                _rule("create delete get list update watch", "core", "persistentvolumes"),
                _rule("update", "core", "persistentvolumes/status"),
                _rule("get list update watch", "core", "persistentvolumeclaims"),
                _rule("update", "core", "persistentvolumeclaims/status"),
                _rule("create delete get list watch", "core", "pods"),
                _rule(READ, "storage.k8s.io", "storageclasses"),
                _rule("list watch", "core", "nodes"),
                ev(),
                _rule("watch", "core", "events"),
            ],
        ),
        (
            "pod-garbage-collector",
            [
                _rule("delete list watch", "core", "pods"),
                _rule(READ, "core", "nodes"),
                _rule("patch", "core", "pods/status"),
            ],
        ),
        (
            "pv-protection-controller",
            [_rule("get list update watch", "core", "persistentvolumes"), ev()],
        ),
        (
            "pvc-protection-controller",
            [
                _rule("get list update watch", "core", "persistentvolumeclaims"),
                _rule("update", "core", "persistentvolumeclaims/status"),
                _rule(READ, "core", "pods"),
                ev(),
            ],
        ),
        (
            "replicaset-controller",
            [
                _rule("get list update watch", scale, "replicasets"),
                _rule("update", scale, "replicasets/status"),
                _rule("update", scale, "replicasets/finalizers"),
                _rule("create delete list patch watch", "core", "pods"),
                ev(),
            ],
        ),
        (
            "replication-controller",
            [
                _rule("get list update watch", "core", "replicationcontrollers"),
                _rule("update", "core", "replicationcontrollers/status"),
                _rule("update", "core", "replicationcontrollers/finalizers"),
                _rule("create delete list patch watch", "core", "pods"),
                ev(),
            ],
        ),
        (
            "resource-claim-controller",
            [
                _rule(READ, "core", "pods"),
                _rule("update", "core", "pods/finalizers"),
                _rule("create delete get list watch", "resource.k8s.io", "resourceclaims"),
                _rule("patch update", "resource.k8s.io", "resourceclaims resourceclaims/status"),
                _rule("patch update", "core", "pods/status"),
                ev(),
                _rule("patch update", "resource.k8s.io", "resourceclaims/binding"),
            ],
        ),
        (
            "resourcequota-controller",
            [
                _rule("list watch", "*", "*"),
                _rule("update", "core", "resourcequotas/status"),
                ev(),
            ],
        ),
        ("root-ca-cert-publisher", [_rule("create update", "core", "configmaps"), ev()]),
        (
            "route-controller",
            [
                _rule("list watch", "core", "nodes"),
                _rule("patch", "core", "nodes/status"),
                ev(),
            ],
        ),
        (
            "selinux-warning-controller",
            [
                ev(),
                _rule(READ, "core", "persistentvolumes"),
                _rule(READ, "core", "persistentvolumeclaims"),
                _rule(READ, "core", "pods"),
                _rule(READ, "storage.k8s.io", "csidrivers"),
            ],
        ),
        ("service-account-controller", [_rule("create", "core", "serviceaccounts"), ev()]),
        (
            "service-cidrs-controller",
            [
                _rule("get list patch update watch", "networking.k8s.io", "servicecidrs"),
                _rule("patch update", "networking.k8s.io", "servicecidrs/finalizers"),
                _rule("patch update", "networking.k8s.io", "servicecidrs/status"),
                _rule(READ, "networking.k8s.io", "ipaddresses"),
                ev(),
            ],
        ),
        (
            "service-controller",
            [
                _rule(READ, "core", "services"),
                _rule("patch update", "core", "services/status"),
                _rule("list watch", "core", "nodes"),
                ev(),
            ],
        ),
        (
            "statefulset-controller",
            [
                _rule("list watch", "core", "pods"),
                _rule(READ, "apps", "statefulsets"),
                _rule("update", "apps", "statefulsets/status"),
                _rule("update", "apps", "statefulsets/finalizers"),
                _rule("create delete get patch update", "core", "pods"),
                _rule(RMW, "apps", "controllerrevisions"),
                _rule("create get list watch", "core", "persistentvolumeclaims"),
                _rule("delete update", "core", "persistentvolumeclaims"),
                _rule("update", "core", "pods/finalizers"),
                ev(),
            ],
        ),
        ("ttl-after-finished-controller", [_rule("delete get list watch", "batch", "jobs"), ev()]),
        ("ttl-controller", [_rule("list patch update watch", "core", "nodes"), ev()]),
        (
            "validatingadmissionpolicy-status-controller",
            [
                _rule(READ, "admissionregistration.k8s.io", "validatingadmissionpolicies"),
                _rule(
                    "get patch update",
                    "admissionregistration.k8s.io",
                    "validatingadmissionpolicies/status",
                ),
                ev(),
            ],
        ),
        (
            "volumeattributesclass-protection-controller",
            [
                _rule(READ, "core", "persistentvolumeclaims"),
                _rule(READ, "core", "persistentvolumes"),
                _rule("get list update watch", "storage.k8s.io", "volumeattributesclasses"),
                ev(),
            ],
        ),
    ]


# ClusterRoleBindings of cluster-role-bindings.yaml: name (= role) -> subjects.
_CLUSTER_ROLE_BINDINGS: tuple[tuple[str, str], ...] = (
    ("cluster-admin", "group:system:masters"),
    ("system:basic-user", "group:system:authenticated"),
    ("system:discovery", "group:system:authenticated"),
    ("system:kube-controller-manager", "user:system:kube-controller-manager"),
    ("system:kube-dns", "sa:kube-system/kube-dns"),
    ("system:kube-scheduler", "user:system:kube-scheduler"),
    ("system:monitoring", "group:system:monitoring"),
    ("system:node", ""),  # no subjects: nodes are authorized by the Node authorizer
    ("system:node-proxier", "user:system:kube-proxy"),
    ("system:public-info-viewer", "group:system:authenticated group:system:unauthenticated"),
    ("system:service-account-issuer-discovery", "group:system:serviceaccounts"),
    ("system:volume-scheduler", "user:system:kube-scheduler"),
)

# namespace-roles.yaml: (namespace, name, rules), ordered by namespace then name.
_LEADER_LOCKING = "system::leader-locking-kube-"


def _namespace_roles() -> list[tuple[str, str, list[Rule]]]:
    def leader_locking(component: str) -> list[Rule]:
        return [
            _rule("watch", "core", "configmaps"),
            _rule("get update", "core", "configmaps", component),
            _rule("create get list update watch", "coordination.k8s.io", "leases"),
            _rule("create get list update watch", "coordination.k8s.io", "leasecandidates"),
        ]

    return [
        (
            "kube-public",
            "system:controller:bootstrap-signer",
            [
                _rule(READ, "core", "configmaps"),
                _rule("update", "core", "configmaps", "cluster-info"),
                _events(),
            ],
        ),
        (
            "kube-system",
            "extension-apiserver-authentication-reader",
            [_rule(READ, "core", "configmaps", "extension-apiserver-authentication")],
        ),
        (
            "kube-system",
            _LEADER_LOCKING + "controller-manager",
            leader_locking("kube-controller-manager"),
        ),
        ("kube-system", _LEADER_LOCKING + "scheduler", leader_locking("kube-scheduler")),
        ("kube-system", "system:controller:bootstrap-signer", [_rule(READ, "core", "secrets")]),
        (
            "kube-system",
            "system:controller:cloud-provider",
            [_rule("create get list watch", "core", "configmaps")],
        ),
        (
            "kube-system",
            "system:controller:token-cleaner",
            [_rule("delete get list watch", "core", "secrets"), _events()],
        ),
    ]


# namespace-role-bindings.yaml: (namespace, name (= role), subjects).
_NAMESPACE_ROLE_BINDINGS: tuple[tuple[str, str, str], ...] = (
    ("kube-public", "system:controller:bootstrap-signer", "sa:kube-system/bootstrap-signer"),
    (
        "kube-system",
        _LEADER_LOCKING + "controller-manager",
        "sa:kube-system/kube-controller-manager",
    ),
    ("kube-system", _LEADER_LOCKING + "scheduler", "sa:kube-system/kube-scheduler"),
    ("kube-system", "system:controller:bootstrap-signer", "sa:kube-system/bootstrap-signer"),
    ("kube-system", "system:controller:cloud-provider", "sa:kube-system/cloud-provider"),
    ("kube-system", "system:controller:token-cleaner", "sa:kube-system/token-cleaner"),
)


# -- manifest builders ------------------------------------------------------------------------


def _subjects(spec: str) -> list[dict[str, str]]:
    """``sa:ns/name``, ``group:name``, ``user:name``, space-separated, into RBAC subjects."""
    out: list[dict[str, str]] = []
    for token in spec.split():
        kind, _, name = token.partition(":")
        if kind == "sa":
            namespace, _, sa = name.partition("/")
            out.append({"kind": "ServiceAccount", "name": sa, "namespace": namespace})
        else:
            out.append({"apiGroup": RBAC_GROUP, "kind": kind.capitalize(), "name": name})
    return out


def _metadata(
    name: str, namespace: str, labels: dict[str, str], annotations: dict[str, str]
) -> dict[str, Any]:
    meta: dict[str, Any] = {"name": name}
    if namespace:
        meta["namespace"] = namespace
    if labels:
        meta["labels"] = dict(labels)
    if annotations:
        meta["annotations"] = dict(annotations)
    return meta


def _role(
    kind: str,
    name: str,
    rules: list[Rule],
    *,
    namespace: str = "",
    labels: dict[str, str] | None = None,
    annotations: dict[str, str] | None = None,
    aggregate: str = "",
) -> dict[str, Any]:
    obj: dict[str, Any] = {
        "apiVersion": RBAC_API,
        "kind": kind,
        "metadata": _metadata(name, namespace, labels or {}, annotations or {}),
    }
    if aggregate:
        # The aggregation controller fills rules from the selected roles.
        obj["aggregationRule"] = {
            "clusterRoleSelectors": [{"matchLabels": {AGGREGATE + aggregate: "true"}}]
        }
        obj["rules"] = []
    else:
        obj["rules"] = rules
    return obj


def _binding(
    kind: str,
    name: str,
    role: str,
    subjects: str,
    *,
    namespace: str = "",
    labels: dict[str, str] | None = None,
    annotations: dict[str, str] | None = None,
) -> dict[str, Any]:
    role_kind = "ClusterRole" if kind == "ClusterRoleBinding" else "Role"
    if role.startswith("clusterrole:"):  # a RoleBinding to a ClusterRole
        role_kind, role = "ClusterRole", role.removeprefix("clusterrole:")
    obj: dict[str, Any] = {
        "apiVersion": RBAC_API,
        "kind": kind,
        "metadata": _metadata(name, namespace, labels or {}, annotations or {}),
        "roleRef": {"apiGroup": RBAC_GROUP, "kind": role_kind, "name": role},
    }
    found = _subjects(subjects)
    if found:
        obj["subjects"] = found
    return obj


def _boot() -> dict[str, Any]:
    """Labels and annotation every bootstrap-policy object carries."""
    return {"labels": BOOTSTRAP_LABELS, "annotations": AUTOUPDATE}


# -- public API -------------------------------------------------------------------------------


def api_server_policy() -> list[dict[str, Any]]:
    """What the ``rbac/bootstrap-roles`` post-start hook creates, in its order.

    The ClusterRole count is 31 cluster roles + 38 controller roles = 69 (controller roles as
    controller-roles.yaml at 008b3652959ca58af8be3fb5b6ecfe9ae7638282).
    """
    out: list[dict[str, Any]] = []
    for name, extra, aggregate, rules in _cluster_roles():
        out.append(
            _role(
                "ClusterRole",
                name,
                rules,
                labels={**BOOTSTRAP_LABELS, **extra},
                annotations=AUTOUPDATE,
                aggregate=aggregate,
            )
        )
    controllers = _controller_roles()
    for controller, rules in controllers:
        out.append(_role("ClusterRole", f"system:controller:{controller}", rules, **_boot()))
    for name, subjects in _CLUSTER_ROLE_BINDINGS:
        out.append(_binding("ClusterRoleBinding", name, name, subjects, **_boot()))
    for controller, _rules in controllers:
        name = f"system:controller:{controller}"
        subject = f"sa:kube-system/{controller}"
        out.append(_binding("ClusterRoleBinding", name, name, subject, **_boot()))
    for namespace, name, rules in _namespace_roles():
        out.append(_role("Role", name, rules, namespace=namespace, **_boot()))
    for namespace, name, subjects in _NAMESPACE_ROLE_BINDINGS:
        out.append(_binding("RoleBinding", name, name, subjects, namespace=namespace, **_boot()))
    return out


def kubeadm_policy() -> list[dict[str, Any]]:
    """``kubeadm init``'s RBAC, with the kube-proxy and CoreDNS addons' (no bootstrap labels)."""
    nodes_and_tokens = f"group:system:nodes group:{NODE_TOKEN_GROUP}"
    configmap_get = {
        "kube-proxy": "kube-proxy",
        "kubeadm:kubelet-config": "kubelet-config",
        "kubeadm:nodes-kubeadm-config": "kubeadm-config",
    }
    return [
        _role("ClusterRole", "kubeadm:get-nodes", [_rule("get", "core", "nodes")]),
        _role(
            "ClusterRole",
            "system:coredns",
            [
                _rule("list watch", "core", "endpoints services pods namespaces"),
                _rule("list watch", "discovery.k8s.io", "endpointslices"),
            ],
        ),
        # The admin.conf user is in this group, not system:masters (kubeadm 1.29+).
        _binding(
            "ClusterRoleBinding",
            "kubeadm:cluster-admins",
            "cluster-admin",
            "group:kubeadm:cluster-admins",
        ),
        _binding(
            "ClusterRoleBinding",
            "kubeadm:get-nodes",
            "kubeadm:get-nodes",
            f"group:{NODE_TOKEN_GROUP}",
        ),
        _binding(
            "ClusterRoleBinding",
            "kubeadm:kubelet-bootstrap",
            "system:node-bootstrapper",
            f"group:{NODE_TOKEN_GROUP}",
        ),
        _binding(
            "ClusterRoleBinding",
            "kubeadm:node-autoapprove-bootstrap",
            "system:certificates.k8s.io:certificatesigningrequests:nodeclient",
            f"group:{NODE_TOKEN_GROUP}",
        ),
        _binding(
            "ClusterRoleBinding",
            "kubeadm:node-autoapprove-certificate-rotation",
            "system:certificates.k8s.io:certificatesigningrequests:selfnodeclient",
            "group:system:nodes",
        ),
        _binding(
            "ClusterRoleBinding",
            "kubeadm:node-proxier",
            "system:node-proxier",
            "sa:kube-system/kube-proxy",
        ),
        _binding(
            "ClusterRoleBinding", "system:coredns", "system:coredns", "sa:kube-system/coredns"
        ),
        *[
            _role(
                "Role",
                name,
                [_rule("get", "core", "configmaps", configmap)],
                namespace="kube-system",
            )
            for name, configmap in configmap_get.items()
        ],
        _role(
            "Role",
            "kubeadm:bootstrap-signer-clusterinfo",
            [_rule("get", "core", "configmaps", "cluster-info")],
            namespace="kube-public",
        ),
        # Joining nodes read kube-proxy's config with their bootstrap token.
        _binding(
            "RoleBinding",
            "kube-proxy",
            "kube-proxy",
            f"group:{NODE_TOKEN_GROUP}",
            namespace="kube-system",
        ),
        _binding(
            "RoleBinding",
            "kubeadm:kubelet-config",
            "kubeadm:kubelet-config",
            nodes_and_tokens,
            namespace="kube-system",
        ),
        _binding(
            "RoleBinding",
            "kubeadm:nodes-kubeadm-config",
            "kubeadm:nodes-kubeadm-config",
            nodes_and_tokens,
            namespace="kube-system",
        ),
        # cluster-info is what `kubeadm join` reads before it has any credentials.
        _binding(
            "RoleBinding",
            "kubeadm:bootstrap-signer-clusterinfo",
            "kubeadm:bootstrap-signer-clusterinfo",
            "user:system:anonymous",
            namespace="kube-public",
        ),
    ]


def _local_path_provisioner() -> list[dict[str, Any]]:
    sa = "sa:local-path-storage/local-path-provisioner-service-account"
    return [
        _role(
            "ClusterRole",
            "local-path-provisioner-role",
            [
                _rule(READ, "core", "nodes persistentvolumeclaims configmaps"),
                _rule("*", "core", "endpoints persistentvolumes pods"),
                _rule("create patch", "core", "events"),
                _rule(READ, "storage.k8s.io", "storageclasses"),
            ],
        ),
        _binding(
            "ClusterRoleBinding", "local-path-provisioner-bind", "local-path-provisioner-role", sa
        ),
    ]


def _metrics_server() -> list[dict[str, Any]]:
    sa = "sa:kube-system/metrics-server"
    aggregated = {AGGREGATE + v: "true" for v in ("view", "edit", "admin")}
    return [
        _role(
            "ClusterRole",
            "system:aggregated-metrics-reader",
            [_rule(READ, "metrics.k8s.io", "pods nodes")],
            labels=aggregated,
        ),
        _role(
            "ClusterRole",
            "system:metrics-server",
            [_rule(READ, "core", "pods nodes nodes/stats namespaces configmaps")],
        ),
        _binding(
            "RoleBinding",
            "metrics-server-auth-reader",
            "extension-apiserver-authentication-reader",
            sa,
            namespace="kube-system",
        ),
        _binding(
            "ClusterRoleBinding",
            "metrics-server:system:auth-delegator",
            "system:auth-delegator",
            sa,
        ),
        _binding("ClusterRoleBinding", "system:metrics-server", "system:metrics-server", sa),
    ]


def _metallb() -> list[dict[str, Any]]:
    ns = "metallb-system"
    labels = {"app": "metallb"}
    controller, speaker = f"sa:{ns}/controller", f"sa:{ns}/speaker"
    crud = RMW
    metallb_read = [
        _rule(READ, "metallb.io", kind)
        for kind in (
            "addresspools",
            "bfdprofiles",
            "bgppeers",
            "l2advertisements",
            "bgpadvertisements",
            "ipaddresspools",
            "communities",
        )
    ]
    return [
        _role(
            "ClusterRole",
            "metallb-system:controller",
            [
                _rule(READ, "core", "services"),
                _rule("update", "core", "services/status"),
                _rule("create patch", "core", "events"),
                _rule("use", "policy", "podsecuritypolicies", "controller"),
                _rule(
                    crud,
                    "admissionregistration.k8s.io",
                    "validatingwebhookconfigurations mutatingwebhookconfigurations",
                ),
                _rule(crud, "apiextensions.k8s.io", "customresourcedefinitions"),
            ],
            labels=labels,
        ),
        _role(
            "ClusterRole",
            "metallb-system:speaker",
            [
                _rule(READ, "core", "services endpoints nodes"),
                _rule(READ, "discovery.k8s.io", "endpointslices"),
                _rule("create patch", "core", "events"),
                _rule("use", "policy", "podsecuritypolicies", "speaker"),
            ],
            labels=labels,
        ),
        _role(
            "Role",
            "pod-lister",
            [
                _rule("list", "core", "pods"),
                _rule(READ, "core", "secrets"),
                *metallb_read,
            ],
            namespace=ns,
            labels=labels,
        ),
        _role(
            "Role",
            "controller",
            [
                _rule(crud, "core", "secrets"),
                _rule("list", "core", "secrets", "memberlist"),
                _rule("get", "apps", "deployments", "controller"),
                _rule("get list", "metallb.io", "bgppeers"),
                *[
                    _rule(READ, "metallb.io", kind)
                    for kind in (
                        "addresspools",
                        "bfdprofiles",
                        "ipaddresspools",
                        "bgpadvertisements",
                        "l2advertisements",
                        "communities",
                    )
                ],
            ],
            namespace=ns,
            labels=labels,
        ),
        _binding(
            "ClusterRoleBinding",
            "metallb-system:controller",
            "metallb-system:controller",
            controller,
            labels=labels,
        ),
        _binding(
            "ClusterRoleBinding",
            "metallb-system:speaker",
            "metallb-system:speaker",
            speaker,
            labels=labels,
        ),
        _binding("RoleBinding", "pod-lister", "pod-lister", speaker, namespace=ns, labels=labels),
        _binding(
            "RoleBinding", "controller", "controller", controller, namespace=ns, labels=labels
        ),
    ]


def _ingress_nginx() -> list[dict[str, Any]]:
    ns = "ingress-nginx"
    base = {
        "app.kubernetes.io/instance": "ingress-nginx",
        "app.kubernetes.io/name": "ingress-nginx",
        "app.kubernetes.io/part-of": "ingress-nginx",
    }
    ctrl = {"app.kubernetes.io/component": "controller", **base}
    admission = {"app.kubernetes.io/component": "admission-webhook", **base}
    controller_sa, admission_sa = f"sa:{ns}/ingress-nginx", f"sa:{ns}/ingress-nginx-admission"
    return [
        _role(
            "Role",
            "ingress-nginx",
            [
                _rule("get", "core", "namespaces"),
                _rule(READ, "core", "configmaps pods secrets endpoints"),
                _rule(READ, "core", "services"),
                _rule(READ, "networking.k8s.io", "ingresses"),
                _rule("update", "networking.k8s.io", "ingresses/status"),
                _rule(READ, "networking.k8s.io", "ingressclasses"),
                _rule("get update", "coordination.k8s.io", "leases", "ingress-nginx-leader"),
                _rule("create", "coordination.k8s.io", "leases"),
                _rule("create patch", "core", "events"),
                _rule("list watch get", "discovery.k8s.io", "endpointslices"),
            ],
            namespace=ns,
            labels=ctrl,
        ),
        _role(
            "Role",
            "ingress-nginx-admission",
            [_rule("get create", "core", "secrets")],
            namespace=ns,
            labels=admission,
        ),
        _role(
            "ClusterRole",
            "ingress-nginx",
            [
                _rule("list watch", "core", "configmaps endpoints nodes pods secrets namespaces"),
                _rule("list watch", "coordination.k8s.io", "leases"),
                _rule("get", "core", "nodes"),
                _rule(READ, "core", "services"),
                _rule(READ, "networking.k8s.io", "ingresses"),
                _rule("create patch", "core", "events"),
                _rule("update", "networking.k8s.io", "ingresses/status"),
                _rule(READ, "networking.k8s.io", "ingressclasses"),
                _rule("list watch get", "discovery.k8s.io", "endpointslices"),
            ],
            labels=base,
        ),
        _role(
            "ClusterRole",
            "ingress-nginx-admission",
            [
                _rule(
                    "get update", "admissionregistration.k8s.io", "validatingwebhookconfigurations"
                )
            ],
            labels=admission,
        ),
        _binding(
            "RoleBinding",
            "ingress-nginx",
            "ingress-nginx",
            controller_sa,
            namespace=ns,
            labels=ctrl,
        ),
        _binding(
            "RoleBinding",
            "ingress-nginx-admission",
            "ingress-nginx-admission",
            admission_sa,
            namespace=ns,
            labels=admission,
        ),
        _binding(
            "ClusterRoleBinding", "ingress-nginx", "ingress-nginx", controller_sa, labels=base
        ),
        _binding(
            "ClusterRoleBinding",
            "ingress-nginx-admission",
            "ingress-nginx-admission",
            admission_sa,
            labels=admission,
        ),
    ]


_ADDONS = {
    "local-path-provisioner": _local_path_provisioner,
    "metrics-server": _metrics_server,
    "metallb": _metallb,
    "ingress-nginx": _ingress_nginx,
}
ADDONS: tuple[str, ...] = tuple(_ADDONS)


def addon_policy(addon: str) -> list[dict[str, Any]]:
    """The RBAC objects of one addon this simulator runs; KeyError for any other name."""
    return _ADDONS[addon]()


def _namespace(name: str) -> dict[str, Any]:
    return {"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": name}}


def cluster_policy(metallb: bool = False) -> list[dict[str, Any]]:
    """What a new cluster holds besides its system namespaces, in the order it is made:
    the API server's bootstrap policy, kubeadm's objects, the storage provisioner's
    namespace and RBAC (as kind installs it), metrics-server's, and MetalLB's namespace and
    RBAC when the cluster has a load-balancer pool."""
    objects = api_server_policy() + kubeadm_policy()
    objects.append(_namespace("local-path-storage"))
    objects += addon_policy("local-path-provisioner") + addon_policy("metrics-server")
    if metallb:
        objects.append(_namespace("metallb-system"))
        objects += addon_policy("metallb")
    return objects
