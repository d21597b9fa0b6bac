"""``kubectl patch``, ``replace`` and ``edit``: what changes, what kubectl prints, and the
errors a player meets (immutable fields, stale versions, no editor)."""

from cluster_helpers import new_cluster

from k8sgame.kubectl.session import KubectlSession

WEB = """apiVersion: v1
kind: Pod
metadata:
  name: web
spec:
  containers:
  - name: web
    image: nginx:1.27
"""


def _session(files=None):
    cluster = new_cluster()
    files = files if files is not None else {}
    session = KubectlSession(cluster, files=lambda path: [(path, files[path])])
    session.run("run web --image=nginx:1.27")
    cluster.run_for(20)
    return cluster, session


def test_strategic_patch_merges_containers_by_name_and_restarts_it():
    cluster, session = _session()
    result = session.run(
        'patch pod web -p \'{"spec":{"containers":[{"name":"web","image":"httpd:2.4"}]}}\''
    )
    assert result.stdout == "pod/web patched\n"
    cluster.run_for(30)
    pod = cluster.store.get("Pod", "web", "default")
    assert pod["spec"]["containers"][0]["image"] == "httpd:2.4"
    assert pod["status"]["containerStatuses"][0]["restartCount"] == 1


def test_patch_forms_and_no_change():
    cluster, session = _session()
    assert session.run(
        "patch pod web --type=merge -p 'metadata: {labels: {tier: web}}'"
    ).stdout == ("pod/web patched\n")
    assert session.run(
        'patch pod/web --type=merge -p \'{"metadata":{"labels":{"tier":"web"}}}\''
    ).stdout == ("pod/web patched (no change)\n")
    json_patch = '[{"op":"replace","path":"/spec/containers/0/image","value":"nginx:1.28"}]'
    assert session.run(f"patch pod web --type=json -p '{json_patch}'").stdout == "pod/web patched\n"
    assert cluster.store.get("Pod", "web", "default")["spec"]["containers"][0]["image"] == (
        "nginx:1.28"
    )
    assert cluster.store.get("Pod", "web", "default")["metadata"]["labels"]["tier"] == "web"


def test_patch_errors_in_kubectls_words():
    _, session = _session()
    assert session.run("patch pod web").stderr == (
        "error: must specify --patch or --patch-file containing the contents of the patch\n"
    )
    assert session.run("patch pod web -p {} --type=foo").stderr == (
        'error: --type must be one of [json merge strategic], not "foo"\n'
    )
    assert session.run("patch pod nope -p {}").stderr == (
        'Error from server (NotFound): pods "nope" not found\n'
    )
    immutable = session.run('patch pod web -p \'{"spec":{"restartPolicy":"Never"}}\'')
    assert immutable.exit_code == 1
    assert immutable.stderr.startswith(
        'The Pod "web" is invalid: spec: Forbidden: pod updates may not change fields other than'
    )
    assert session.run("patch -p {}").stderr.startswith(
        "error: You must provide one or more resources by argument or filename."
    )


def test_a_json_patch_with_a_typo_is_refused_by_the_server():
    # kubectl sends JSON-looking text as it is; the API server's decoder names the typo.
    _, session = _session()
    broken = session.run("""patch pod web -p '{"metadata":{"labels":{"a":"b"}'""")
    assert (broken.exit_code, broken.stderr) == (
        1,
        "Error from server (BadRequest): unexpected end of JSON input\n",
    )
    quoted = session.run("patch pod web -p \"{'metadata':{}}\"")
    assert quoted.stderr == (
        "Error from server (BadRequest): invalid character '\\'' looking for beginning of"
        " object key string\n"
    )
    assert session.run("patch pod web --type merge -p '{x'").stderr == (
        "Error from server (BadRequest): Invalid JSON Patch\n"
    )


def test_replace_conflicts_on_a_stale_version_and_force_recreates():
    files = {}
    cluster, session = _session(files)
    stale = session.run("get pod web -o yaml").stdout
    session.run("label pod web changed=yes")
    files["stale.yaml"] = stale
    conflict = session.run("replace -f stale.yaml")
    assert conflict.exit_code == 1
    assert conflict.stderr == (
        'Error from server (Conflict): error when replacing "stale.yaml": Operation cannot be '
        'fulfilled on pods "web": the object has been modified; please apply your changes to the '
        "latest version and try again\n"
    )
    # A bare manifest cannot replace a running pod: the server's own fields are immutable.
    files["web.yaml"] = WEB
    bare = session.run("replace -f web.yaml")
    assert bare.exit_code == 1
    assert "* spec.nodeName: Forbidden: field is immutable" in bare.stderr
    # The current object, changed and sent back, replaces it.
    files["fresh.yaml"] = session.run("get pod web -o yaml").stdout.replace("1.27", "1.28")
    assert session.run("replace -f fresh.yaml").stdout == "pod/web replaced\n"
    assert cluster.store.get("Pod", "web", "default")["spec"]["containers"][0]["image"] == (
        "nginx:1.28"
    )
    old_uid = cluster.store.get("Pod", "web", "default")["metadata"]["uid"]
    files["never.yaml"] = WEB.replace("spec:\n", "spec:\n  restartPolicy: Never\n")
    forced = session.run("replace --force -f never.yaml")
    assert forced.stdout == 'pod "web" deleted from default namespace\npod/web replaced\n'
    new = cluster.store.get("Pod", "web", "default")
    assert new["metadata"]["uid"] != old_uid
    assert new["spec"]["restartPolicy"] == "Never"
    files["gone.yaml"] = WEB.replace("name: web\nspec", "name: gone\nspec")
    assert session.run("replace -f gone.yaml").stderr == (
        'Error from server (NotFound): error when replacing "gone.yaml": pods "gone" not found\n'
    )


def test_edit_headless_says_what_to_use_instead():
    _, session = _session()
    result = session.run("edit pod web")
    assert result.exit_code == 1
    assert "kubectl patch" in result.stderr and "editor" in result.stderr


def test_edit_through_an_editor_patches_the_differences():
    cluster, session = _session()
    seen = []

    def editor(text):
        seen.append(text)
        return text.replace("image: nginx:1.27", "image: nginx:1.28")

    session.editor = editor
    assert session.run("edit pod web").stdout == "pod/web edited\n"
    assert seen[0].startswith("# Please edit the object below.")
    assert cluster.store.get("Pod", "web", "default")["spec"]["containers"][0]["image"] == (
        "nginx:1.28"
    )
    session.editor = lambda text: text
    assert session.run("edit pod web").stderr == "Edit cancelled, no changes made.\n"
    session.editor = lambda text: text.replace("restartPolicy: Always", "restartPolicy: Never")
    refused = session.run("edit pod web")
    assert refused.exit_code == 1
    assert "pod updates may not change fields" in refused.stderr
