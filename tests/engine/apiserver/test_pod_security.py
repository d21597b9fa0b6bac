"""The PodSecurity admission plugin: namespace labels choose the Pod Security Standard a pod
must meet (enforce), or is warned about (warn); workloads are only warned."""

import pytest
from cluster_helpers import new_cluster
from hypothesis import given, settings
from hypothesis import strategies as st

from k8sgame.engine.apiserver.admission.pod_security import (
    BASELINE,
    RESTRICTED,
    evaluate,
    policy_to_evaluate,
)
from k8sgame.engine.errors import ApiError

ENFORCE = "pod-security.kubernetes.io/enforce"
WARN = "pod-security.kubernetes.io/warn"

RESTRICTED_VIOLATIONS = (
    'allowPrivilegeEscalation != false (container "c" must set '
    "securityContext.allowPrivilegeEscalation=false), "
    'unrestricted capabilities (container "c" must set securityContext.capabilities.drop=["ALL"]), '
    'runAsNonRoot != true (pod or container "c" must set securityContext.runAsNonRoot=true), '
    'seccompProfile (pod or container "c" must set securityContext.seccompProfile.type to '
    '"RuntimeDefault" or "Localhost")'
)


def _namespace(cluster, labels, name="team"):
    cluster.create(
        {"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": name, "labels": labels}}
    )
    cluster.api.take_warnings()


def _pod(name="x", container=None, namespace="team", **spec):
    container = container or {"name": "c", "image": "nginx"}
    return {
        "apiVersion": "v1",
        "kind": "Pod",
        "metadata": {"name": name, "namespace": namespace},
        "spec": {"containers": [container], **spec},
    }


def _refusal(cluster, manifest):
    with pytest.raises(ApiError) as caught:
        cluster.create(manifest)
    assert caught.value.code == 403
    assert caught.value.reason == "Forbidden"
    return caught.value.message


def _compliant_container():
    return {
        "name": "c",
        "image": "nginx",
        "securityContext": {
            "allowPrivilegeEscalation": False,
            "capabilities": {"drop": ["ALL"], "add": ["NET_BIND_SERVICE"]},
            "runAsNonRoot": True,
            "seccompProfile": {"type": "RuntimeDefault"},
        },
    }


def test_restricted_refuses_a_plain_pod_with_its_four_violations():
    cluster = new_cluster()
    _namespace(cluster, {ENFORCE: RESTRICTED})
    assert _refusal(cluster, _pod()) == (
        'pods "x" is forbidden: violates PodSecurity "restricted:latest": ' + RESTRICTED_VIOLATIONS
    )


def test_baseline_refuses_privileged_containers_and_the_host_network():
    cluster = new_cluster()
    _namespace(cluster, {ENFORCE: BASELINE})
    privileged = {"name": "c", "image": "nginx", "securityContext": {"privileged": True}}
    assert _refusal(cluster, _pod(container=privileged)) == (
        'pods "x" is forbidden: violates PodSecurity "baseline:latest": '
        'privileged (container "c" must not set securityContext.privileged=true)'
    )
    assert _refusal(cluster, _pod("net", hostNetwork=True)) == (
        'pods "net" is forbidden: violates PodSecurity "baseline:latest": '
        "host namespaces (hostNetwork=true)"
    )
    # A plain pod meets baseline.
    cluster.create(_pod("plain"))


def test_a_compliant_pod_is_admitted_under_restricted():
    cluster = new_cluster()
    _namespace(cluster, {ENFORCE: RESTRICTED})
    cluster.create(_pod(container=_compliant_container()))
    assert cluster.api.take_warnings() == []
    assert cluster.get("Pod", "x", "team")["metadata"]["name"] == "x"


def test_warn_mode_admits_with_a_warning():
    cluster = new_cluster()
    _namespace(cluster, {WARN: RESTRICTED, "pod-security.kubernetes.io/warn-version": "v1.35"})
    cluster.create(_pod())
    assert cluster.api.take_warnings() == [
        'would violate PodSecurity "restricted:v1.35": ' + RESTRICTED_VIOLATIONS
    ]


def test_a_deployment_is_warned_and_its_pods_are_refused():
    cluster = new_cluster()
    _namespace(cluster, {ENFORCE: RESTRICTED})
    cluster.create(
        {
            "apiVersion": "apps/v1",
            "kind": "Deployment",
            "metadata": {"name": "web", "namespace": "team"},
            "spec": {
                "replicas": 1,
                "selector": {"matchLabels": {"app": "web"}},
                "template": {
                    "metadata": {"labels": {"app": "web"}},
                    "spec": {"containers": [{"name": "c", "image": "nginx"}]},
                },
            },
        }
    )
    # Warn defaults to the (stricter) enforce level.
    assert cluster.api.take_warnings()[0] == (
        'would violate PodSecurity "restricted:latest": ' + RESTRICTED_VIOLATIONS
    )
    cluster.run_for(2)
    failed = [e["message"] for e in cluster.store.list("Event") if e["reason"] == "FailedCreate"]
    assert failed
    prefix, _, rest = failed[0].partition(" is forbidden: ")
    assert prefix.startswith('Error creating: pods "web-')
    assert rest == 'violates PodSecurity "restricted:latest": ' + RESTRICTED_VIOLATIONS
    assert cluster.store.list("Pod", "team") == []


def test_privileged_or_unlabelled_namespaces_admit_everything():
    cluster = new_cluster()
    _namespace(cluster, {ENFORCE: "privileged"}, name="open")
    _namespace(cluster, {}, name="plain")
    anything = {"name": "c", "image": "nginx", "securityContext": {"privileged": True}}
    for namespace in ("open", "plain"):
        cluster.create(_pod(container=anything, namespace=namespace, hostPID=True))
        assert cluster.api.take_warnings() == []


def test_raising_the_enforce_level_warns_about_existing_pods():
    cluster = new_cluster()
    _namespace(cluster, {})
    cluster.create(_pod("a"))
    cluster.create(_pod("b"))
    cluster.create(_pod("ok", container=_compliant_container()))
    ns = cluster.get("Namespace", "team", "")
    ns["metadata"]["labels"] = {ENFORCE: RESTRICTED}
    cluster.api.update(ns)
    assert cluster.api.take_warnings() == [
        'existing pods in namespace "team" violate the new PodSecurity enforce level '
        '"restricted:latest"',
        "a (and 1 other pod): allowPrivilegeEscalation != false, unrestricted capabilities, "
        "runAsNonRoot != true, seccompProfile",
    ]


def test_invalid_labels_are_refused():
    cluster = new_cluster()
    with pytest.raises(ApiError) as caught:
        _namespace(cluster, {ENFORCE: "strict", "pod-security.kubernetes.io/audit-version": "1.30"})
    assert caught.value.code == 422
    assert caught.value.message == (
        'The Namespace "team" is invalid: [metadata.labels[pod-security.kubernetes.io/enforce]: '
        'Invalid value: "strict": must be one of privileged, baseline, restricted, '
        "metadata.labels[pod-security.kubernetes.io/audit-version]: Invalid value: "
        '"1.30": must be "latest" or "v1.x"]'
    )
    policy, errors = policy_to_evaluate({ENFORCE: "strict", WARN: "loose"})
    assert (policy.enforce.level, policy.warn.level, len(errors)) == (RESTRICTED, "privileged", 2)


_maybe_bool = st.sampled_from([None, True, False])


@st.composite
def _pods(draw):
    def sc():
        found = {}
        for field in ("privileged", "allowPrivilegeEscalation", "runAsNonRoot"):
            value = draw(_maybe_bool)
            if value is not None:
                found[field] = value
        if draw(st.booleans()):
            found["capabilities"] = {
                "drop": draw(st.lists(st.sampled_from(["ALL", "NET_RAW"]), max_size=2)),
                "add": draw(
                    st.lists(
                        st.sampled_from(["NET_BIND_SERVICE", "SYS_ADMIN", "CHOWN"]), max_size=2
                    )
                ),
            }
        if draw(st.booleans()):
            found["seccompProfile"] = {
                "type": draw(st.sampled_from(["RuntimeDefault", "Localhost", "Unconfined"]))
            }
        if draw(st.booleans()):
            found["runAsUser"] = draw(st.sampled_from([0, 1000]))
        if draw(st.booleans()):
            found["procMount"] = draw(st.sampled_from(["Default", "Unmasked"]))
        return found

    containers = [
        {"name": f"c{i}", "image": "nginx", "securityContext": sc()}
        for i in range(draw(st.integers(1, 2)))
    ]
    spec = {"containers": containers, "securityContext": sc()}
    spec["securityContext"].pop("privileged", None)
    for field in ("hostNetwork", "hostPID", "hostUsers"):
        value = draw(_maybe_bool)
        if value is not None:
            spec[field] = value
    volumes = draw(st.lists(st.sampled_from(["emptyDir", "hostPath", "nfs", "secret"]), max_size=2))
    spec["volumes"] = [{"name": f"v{i}", kind: {}} for i, kind in enumerate(volumes)]
    return spec


@settings(max_examples=200, deadline=None)
@given(_pods())
def test_a_pod_that_passes_restricted_passes_baseline(spec):
    if not evaluate(RESTRICTED, {}, spec):
        assert evaluate(BASELINE, {}, spec) == []
