"""The API store: CRUD, resourceVersion, generation, decode errors, validation, defaults."""

import pytest
from store_helpers import bare_store, pod

from k8sgame.engine.errors import ApiError
from k8sgame.engine.labels import parse as parse_selector


def test_create_sets_uid_resource_version_timestamp_and_default_namespace():
    store = bare_store()
    created = store.create(pod())
    md = created["metadata"]
    assert md["namespace"] == "default"
    assert len(md["uid"]) == 36
    assert md["resourceVersion"].isdigit()
    assert md["creationTimestamp"] == "2026-01-05T09:00:00Z"
    assert md["generation"] == 1
    assert created["status"] == {"phase": "Pending", "qosClass": "BestEffort"}


def test_pod_defaults_match_the_api_server():
    created = bare_store().create(
        pod(
            image="nginx:1.27",
            containers=[
                {
                    "name": "web",
                    "image": "nginx:1.27",
                    "livenessProbe": {"httpGet": {"port": 80}},
                    "ports": [{"containerPort": 80}],
                    "resources": {"limits": {"cpu": "1", "memory": "128Mi"}},
                }
            ],
        )
    )
    spec = created["spec"]
    assert spec["restartPolicy"] == "Always"
    assert spec["dnsPolicy"] == "ClusterFirst"
    assert spec["schedulerName"] == "default-scheduler"
    assert spec["terminationGracePeriodSeconds"] == 30
    assert spec["serviceAccountName"] == "default"
    container = spec["containers"][0]
    assert container["imagePullPolicy"] == "IfNotPresent"
    assert container["terminationMessagePath"] == "/dev/termination-log"
    assert container["terminationMessagePolicy"] == "File"
    assert container["ports"][0]["protocol"] == "TCP"
    assert container["resources"]["requests"] == {"cpu": "1", "memory": "128Mi"}
    assert container["livenessProbe"] == {
        "httpGet": {"port": 80, "path": "/", "scheme": "HTTP"},
        "timeoutSeconds": 1,
        "periodSeconds": 10,
        "successThreshold": 1,
        "failureThreshold": 3,
    }
    assert {
        "key": "node.kubernetes.io/not-ready",
        "operator": "Exists",
        "effect": "NoExecute",
        "tolerationSeconds": 300,
    } in spec["tolerations"]
    assert {
        "key": "node.kubernetes.io/unreachable",
        "operator": "Exists",
        "effect": "NoExecute",
        "tolerationSeconds": 300,
    } in spec["tolerations"]
    assert created["status"]["qosClass"] == "Guaranteed"
    assert spec["volumes"][0]["name"].startswith("kube-api-access-")
    assert (
        container["volumeMounts"][0]["mountPath"] == "/var/run/secrets/kubernetes.io/serviceaccount"
    )


@pytest.mark.parametrize(
    ("image", "policy"),
    [
        ("nginx", "Always"),
        ("nginx:latest", "Always"),
        ("nginx:1.27", "IfNotPresent"),
        ("reg:5000/app", "Always"),
        ("a@sha256:" + "0" * 64, "IfNotPresent"),
    ],
)
def test_image_pull_policy_default(image, policy):
    assert (
        bare_store().create(pod(image=image))["spec"]["containers"][0]["imagePullPolicy"] == policy
    )


@pytest.mark.parametrize(
    ("resources", "qos"),
    [
        ({}, "BestEffort"),
        ({"requests": {"cpu": "100m"}}, "Burstable"),
        ({"limits": {"cpu": "1", "memory": "1Gi"}}, "Guaranteed"),
        (
            {"requests": {"cpu": "500m", "memory": "1Gi"}, "limits": {"cpu": "1", "memory": "1Gi"}},
            "Burstable",
        ),
        ({"limits": {"cpu": "1"}}, "Burstable"),
    ],
)
def test_qos_class(resources, qos):
    manifest = pod(containers=[{"name": "c", "image": "nginx", "resources": resources}])
    assert bare_store().create(manifest)["status"]["qosClass"] == qos


def test_unknown_fields_are_rejected_with_their_paths():
    manifest = pod()
    manifest["spec"]["containers"][0]["imagee"] = "nginx"
    manifest["spec"]["foo"] = 1
    with pytest.raises(ApiError) as info:
        bare_store().create(manifest)
    assert info.value.reason == "BadRequest"
    assert info.value.message == (
        'Pod in version "v1" cannot be handled as a Pod: strict decoding error: '
        'unknown field "spec.containers[0].imagee", unknown field "spec.foo"'
    )


def test_wrong_types_get_gos_unmarshal_message():
    manifest = pod(
        containers=[{"name": "web", "image": "nginx", "ports": [{"containerPort": "80"}]}]
    )
    with pytest.raises(ApiError) as info:
        bare_store().create(manifest)
    assert info.value.message == (
        'Pod in version "v1" cannot be handled as a Pod: json: cannot unmarshal string into Go struct field '
        "ContainerPort.spec.containers.ports.containerPort of type int32"
    )


def test_validation_errors_name_each_field():
    manifest = pod(containers=[{"name": "Web_1"}])
    manifest["metadata"]["name"] = "My_Pod"
    with pytest.raises(ApiError) as info:
        bare_store().create(manifest)
    error = info.value
    assert error.reason == "Invalid"
    assert [str(c) for c in error.causes] == [
        'metadata.name: Invalid value: "My_Pod": a lowercase RFC 1123 subdomain must consist of lower case '
        "alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character "
        "(e.g. 'example.com', regex used for validation is "
        r"'[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')",
        'spec.containers[0].name: Invalid value: "Web_1": a lowercase RFC 1123 label must consist of lower case '
        "alphanumeric characters or '-', and must start and end with an alphanumeric character "
        "(e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')",
        "spec.containers[0].image: Required value",
    ]
    assert error.message.startswith('The Pod "My_Pod" is invalid: [metadata.name: Invalid value')


@pytest.mark.parametrize(
    ("spec", "message"),
    [
        ({"containers": []}, 'The Pod "web" is invalid: spec.containers: Required value'),
        (
            {"containers": [{"name": "web", "image": "nginx"}], "restartPolicy": "Sometimes"},
            'The Pod "web" is invalid: spec.restartPolicy: Unsupported value: "Sometimes": supported values: "Always", "OnFailure", "Never"',
        ),
        (
            {
                "containers": [
                    {
                        "name": "web",
                        "image": "nginx",
                        "livenessProbe": {"exec": {"command": ["true"]}, "successThreshold": 3},
                    }
                ]
            },
            'The Pod "web" is invalid: spec.containers[0].livenessProbe.successThreshold: Invalid value: 3: must be 1',
        ),
        (
            {
                "containers": [
                    {
                        "name": "web",
                        "image": "nginx",
                        "resources": {"requests": {"cpu": "2"}, "limits": {"cpu": "1"}},
                    }
                ]
            },
            'The Pod "web" is invalid: spec.containers[0].resources.requests: Invalid value: "2": must be less than or equal to cpu limit of 1',
        ),
        (
            {"containers": [{"name": "web", "image": "nginx"}, {"name": "web", "image": "redis"}]},
            'The Pod "web" is invalid: spec.containers[1].name: Duplicate value: "web"',
        ),
        (
            {
                "containers": [
                    {"name": "web", "image": "nginx", "ports": [{"containerPort": 70000}]}
                ]
            },
            'The Pod "web" is invalid: spec.containers[0].ports[0].containerPort: Invalid value: 70000: must be between 1 and 65535, inclusive',
        ),
    ],
)
def test_validation_messages(spec, message):
    manifest = {"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "web"}, "spec": spec}
    with pytest.raises(ApiError) as info:
        bare_store().create(manifest)
    assert info.value.message == message


def test_not_found_already_exists_and_missing_namespace():
    store = bare_store()
    store.create(pod())
    with pytest.raises(ApiError) as info:
        store.create(pod())
    assert (info.value.reason, info.value.message) == ("AlreadyExists", 'pods "web" already exists')
    with pytest.raises(ApiError) as info:
        store.get("Pod", "nope", "default")
    assert (info.value.reason, info.value.message) == ("NotFound", 'pods "nope" not found')
    manifest = pod()
    manifest["metadata"]["namespace"] = "ghost"
    with pytest.raises(ApiError) as info:
        store.create(manifest)
    assert (info.value.reason, info.value.message) == ("NotFound", 'namespaces "ghost" not found')


def test_stale_update_conflicts_and_generation_counts_spec_changes():
    store = bare_store()
    store.create(
        {"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "cfg"}, "data": {"a": "1"}}
    )
    first = store.get("ConfigMap", "cfg", "default")
    second = store.get("ConfigMap", "cfg", "default")
    first["data"]["a"] = "2"
    store.update(first)
    second["data"]["a"] = "3"
    with pytest.raises(ApiError) as info:
        store.update(second)
    assert info.value.reason == "Conflict"
    assert info.value.message == (
        'Operation cannot be fulfilled on configmaps "cfg": the object has been modified; '
        "please apply your changes to the latest version and try again"
    )
    created = store.create(pod())
    created["spec"]["containers"][0]["image"] = "nginx:1.27"
    updated = store.update(created)
    assert updated["metadata"]["generation"] == 2
    updated["metadata"]["labels"] = {"a": "b"}
    assert store.update(updated)["metadata"]["generation"] == 2


def test_pod_spec_is_immutable_except_images():
    store = bare_store()
    created = store.create(pod())
    created["spec"]["restartPolicy"] = "Never"
    with pytest.raises(ApiError) as info:
        store.update(created)
    assert info.value.reason == "Invalid"
    assert info.value.message.startswith(
        'The Pod "web" is invalid: spec: Forbidden: pod updates may not change fields other than '
        "`spec.containers[*].image`,`spec.initContainers[*].image`,`spec.activeDeadlineSeconds`,"
        "`spec.tolerations` (only additions to existing tolerations),`spec.terminationGracePeriodSeconds` "
        "(allow it to be set to 1 if it was previously negative)\n"
    )


def test_immutable_config_map():
    store = bare_store()
    store.create(
        {
            "apiVersion": "v1",
            "kind": "ConfigMap",
            "metadata": {"name": "cfg"},
            "data": {"a": "1"},
            "immutable": True,
        }
    )
    cfg = store.get("ConfigMap", "cfg", "default")
    cfg["data"]["a"] = "2"
    with pytest.raises(ApiError) as info:
        store.update(cfg)
    assert (
        info.value.message
        == 'The ConfigMap "cfg" is invalid: data: Forbidden: field is immutable when `immutable` is set'
    )


def test_secret_string_data_is_folded_into_base64_data():
    store = bare_store()
    secret = store.create(
        {
            "apiVersion": "v1",
            "kind": "Secret",
            "metadata": {"name": "s"},
            "stringData": {"password": "hunter2"},
        }
    )
    assert secret["data"] == {"password": "aHVudGVyMg=="}
    assert "stringData" not in secret
    assert secret["type"] == "Opaque"


def test_patches_merge_strategic_and_json():
    store = bare_store()
    store.create(
        pod(containers=[{"name": "web", "image": "nginx"}, {"name": "side", "image": "busybox"}])
    )
    patched = store.patch(
        "Pod",
        "web",
        "default",
        {"spec": {"containers": [{"name": "side", "image": "busybox:1.36"}]}},
        "strategic",
    )
    assert [c["image"] for c in patched["spec"]["containers"]] == ["nginx", "busybox:1.36"]
    patched = store.patch(
        "Pod", "web", "default", {"metadata": {"labels": {"app": "web"}}}, "merge"
    )
    assert patched["metadata"]["labels"] == {"app": "web"}
    patched = store.patch(
        "Pod",
        "web",
        "default",
        [{"op": "replace", "path": "/spec/containers/0/image", "value": "nginx:1.27"}],
        "json",
    )
    assert patched["spec"]["containers"][0]["image"] == "nginx:1.27"
    with pytest.raises(ApiError):
        store.patch("Pod", "web", "default", [{"op": "remove", "path": "/spec/nope"}], "json")


def test_watchers_see_changes_and_the_audit_log_records_them():
    store = bare_store()
    seen = []
    store.watch(lambda e: seen.append((e.type, e.kind, e.obj["metadata"]["name"])), ("Pod",))
    store.create(pod())
    store.delete("Pod", "web", "default")
    assert seen == [("ADDED", "Pod", "web"), ("DELETED", "Pod", "web")]
    assert store.audit[-1].startswith("0.000 DELETED Pod default/web rv=")


def test_unbound_pod_is_deleted_at_once_and_a_bound_one_gracefully():
    store = bare_store()
    store.create(pod())
    store.delete("Pod", "web", "default")
    assert store.peek("Pod", "web", "default") is None
    store.create(pod(nodeName="node-1"))
    after = store.delete("Pod", "web", "default")
    assert after["metadata"]["deletionGracePeriodSeconds"] == 30
    assert after["metadata"]["deletionTimestamp"] == "2026-01-05T09:00:30Z"
    store.delete("Pod", "web", "default", grace_period=0)
    assert store.peek("Pod", "web", "default") is None


def test_namespace_scope_rules():
    store = bare_store()
    node = store.create(
        {"apiVersion": "v1", "kind": "Node", "metadata": {"name": "n1", "namespace": "x"}}
    )
    assert "namespace" not in node["metadata"]
    ns = store.create({"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": "team-a"}})
    assert ns["metadata"]["labels"] == {"kubernetes.io/metadata.name": "team-a"}
    assert ns["status"] == {"phase": "Active"}
    with pytest.raises(ApiError) as info:
        store.create({"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": "team.a"}})
    assert info.value.reason == "Invalid"


def test_a_misspelt_resource_name_is_refused():
    manifest = pod(
        containers=[{"name": "web", "image": "nginx", "resources": {"limits": {"memroy": "64Mi"}}}]
    )
    with pytest.raises(ApiError) as info:
        bare_store().create(manifest)
    # Defaulting copied the limit into requests first, so both report it.
    assert [str(c) for c in info.value.causes] == [
        f'spec.containers[0].resources.{group}[memroy]: Invalid value: "memroy": {message}'
        for group in ("limits", "requests")
        for message in (
            "must be a standard resource type or fully qualified",
            "must be a standard resource for containers",
        )
    ]


def test_secret_data_that_is_not_base64_fails_decoding():
    with pytest.raises(ApiError) as info:
        bare_store().create(
            {
                "apiVersion": "v1",
                "kind": "Secret",
                "metadata": {"name": "s"},
                "data": {"password": "hunter2"},
            }
        )
    assert info.value.reason == "BadRequest"
    assert (
        info.value.message
        == 'Secret in version "v1" cannot be handled as a Secret: illegal base64 data at input byte 4'
    )


def test_admission_details():
    store = bare_store()
    wildcard = store.create(pod(tolerations=[{"operator": "Exists"}]))
    assert wildcard["spec"]["tolerations"] == [{"operator": "Exists"}]
    zero = store.create(
        pod(
            "zero",
            containers=[
                {
                    "name": "c",
                    "image": "nginx",
                    "livenessProbe": {
                        "tcpSocket": {"port": 80},
                        "periodSeconds": 0,
                        "successThreshold": 0,
                    },
                }
            ],
        )
    )
    probe = zero["spec"]["containers"][0]["livenessProbe"]
    assert (probe["periodSeconds"], probe["successThreshold"]) == (10, 1)
    bad_name = store.create(pod("bad", image="Nginx"))
    assert bad_name["spec"]["containers"][0]["imagePullPolicy"] == "IfNotPresent"


def test_pod_update_rules_for_deadline_grace_period_and_tolerations():
    store = bare_store()
    created = store.create(pod(activeDeadlineSeconds=100))
    longer = dict(created, spec=dict(created["spec"], activeDeadlineSeconds=200))
    with pytest.raises(ApiError) as info:
        store.update(longer)
    assert (
        "spec.activeDeadlineSeconds: Invalid value: 200: must be less than or equal to previous value"
        in info.value.message
    )
    shorter = store.get("Pod", "web", "default")
    shorter["spec"]["activeDeadlineSeconds"] = 50
    shorter["spec"]["tolerations"][0]["tolerationSeconds"] = 60
    assert store.update(shorter)["spec"]["activeDeadlineSeconds"] == 50
    grace = store.get("Pod", "web", "default")
    grace["spec"]["terminationGracePeriodSeconds"] = 5
    with pytest.raises(ApiError) as info:
        store.update(grace)
    assert "pod updates may not change fields other than" in info.value.message
    bad = store.get("Pod", "web", "default")
    bad["spec"]["tolerations"].append({"key": "x", "operator": "Exists", "value": "y"})
    with pytest.raises(ApiError) as info:
        store.update(bad)
    assert "value must be empty when `operator` is 'Exists'" in info.value.message


def test_a_list_by_label_selector_follows_label_changes_as_a_full_scan_does():
    api = bare_store()
    api.create({"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": "other"}})
    for name, namespace, app in [
        ("a", "default", "web"),
        ("b", "default", "db"),
        ("c", "other", "web"),
        ("d", "default", "web"),
    ]:
        manifest = pod(name)
        manifest["metadata"].update(namespace=namespace, labels={"app": app, "tier": name})
        api.create(manifest)

    def names(text: str, namespace: str | None = None) -> list[str]:
        selector = parse_selector(text)
        listed = api.view("Pod", namespace, selector)
        # The same objects, in the same order, as matching the labels of every pod.
        scanned = [
            obj
            for obj in api.store.iter("Pod", namespace)
            if selector.matches(obj["metadata"].get("labels"))
        ]
        assert listed == scanned
        return [f"{obj['metadata']['namespace']}/{obj['metadata']['name']}" for obj in listed]

    assert names("app=web") == ["default/a", "default/d", "other/c"]
    assert names("app=web", "default") == ["default/a", "default/d"]
    assert names("app in (db,web),tier=d") == ["default/d"]
    assert names("app=web,tier!=a") == ["default/d", "other/c"]
    api.patch("Pod", "a", "default", {"metadata": {"labels": {"app": "db"}}}, "merge")
    api.patch("Pod", "b", "default", {"metadata": {"labels": {"tier": None}}}, "merge")
    assert names("app=web") == ["default/d", "other/c"]
    assert names("app=db") == ["default/a", "default/b"]
    assert names("tier=b") == []
    api.delete("Pod", "d", "default")
    api.create(pod("e") | {"metadata": {"name": "e", "labels": {"app": "web"}}})
    assert names("app=web") == ["default/e", "other/c"]
    assert names("app=nothing") == []


def test_a_trusted_update_keeps_the_object_as_given_but_still_checks_its_version():
    """A component's own write (the kubelet's lease renewal) skips decoding, yet a stale
    resourceVersion still conflicts and an unchanged object is not written again."""
    store = bare_store()
    created = store.create(
        {
            "apiVersion": "coordination.k8s.io/v1",
            "kind": "Lease",
            "metadata": {"name": "node-1", "namespace": "kube-node-lease"},
            "spec": {"holderIdentity": "node-1", "renewTime": "2026-01-05T09:00:00.000000Z"},
        }
    )
    stored = store.peek("Lease", "node-1", "kube-node-lease")
    renewed = {**stored, "spec": {**stored["spec"], "renewTime": "2026-01-05T09:00:10.000000Z"}}
    written = store.update(renewed, trusted=True)
    assert written["spec"]["renewTime"] == "2026-01-05T09:00:10.000000Z"
    assert int(written["metadata"]["resourceVersion"]) > int(created["metadata"]["resourceVersion"])
    # The stored object it was copied from is unchanged (copy-on-write).
    assert stored["spec"]["renewTime"] == "2026-01-05T09:00:00.000000Z"
    with pytest.raises(ApiError) as stale:
        store.update(renewed, trusted=True)
    assert stale.value.code == 409
    current = store.peek("Lease", "node-1", "kube-node-lease")
    assert store.update(dict(current), trusted=True) is current
