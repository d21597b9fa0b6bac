"""``kubectl create role|clusterrole|rolebinding|clusterrolebinding`` as kubectl v0.35.7 builds
them (``kubectl/pkg/cmd/create/create_{role,clusterrole,rolebinding,clusterrolebinding}.go``).

A role's ``--resource`` words are resolved as kubectl's REST mapper resolves them, against the
cluster's own discovery (the kind registry): ``pods``, ``pod``, ``po``, ``rs.apps``,
``deployments.apps``, ``pods/log`` (the subresource kept as given), ``*``. The rules are one per
API group, groups in sorted order, each with the verbs and resource names given. Verbs outside
kubectl's list are only warned about; the special verbs (``use``, ``bind``, ``escalate``,
``impersonate``) are allowed only on their own resources. kubectl does not check
``--resource-name`` against the verbs.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from k8sgame.kubectl.commands import generators
from k8sgame.kubectl.commands.write_options import dry_run_mode
from k8sgame.kubectl.errors import KubectlError
from k8sgame.kubectl.parser import Flag, Invocation
from k8sgame.kubectl.printing import check_object_output
from k8sgame.kubectl.result import Result
from k8sgame.kubectl.verbs import Args, Effect, handles, register_verb

if TYPE_CHECKING:
    from k8sgame.kubectl.session import KubectlSession

RBAC_GROUP = "rbac.authorization.k8s.io"
RBAC_API_VERSION = f"{RBAC_GROUP}/v1"

_RULE_FLAGS = (
    Flag("verb", repeat=True),
    Flag("resource", repeat=True),
    Flag("resource-name", repeat=True),
)
_SUBJECT_FLAGS = (
    Flag("user", repeat=True),
    Flag("group", repeat=True),
    Flag("serviceaccount", repeat=True),
)
register_verb(
    "create role",
    (*generators.OUTPUT_FLAGS, *_RULE_FLAGS),
    effect=Effect.CHANGES,
    args=Args.NONE,
)
register_verb(
    "create clusterrole",
    (
        *generators.OUTPUT_FLAGS,
        *_RULE_FLAGS,
        Flag("non-resource-url", repeat=True),
        # A map flag to pflag (given twice, kubectl merges the two; here the last wins).
        Flag("aggregation-rule"),
    ),
    effect=Effect.CHANGES,
    args=Args.NONE,
)
register_verb(
    "create rolebinding",
    (*generators.OUTPUT_FLAGS, Flag("role"), Flag("clusterrole"), *_SUBJECT_FLAGS),
    effect=Effect.CHANGES,
    args=Args.NONE,
)
register_verb(
    "create clusterrolebinding",
    # None until given: cobra's MarkFlagRequired checks that the flag was set at all.
    (*generators.OUTPUT_FLAGS, Flag("clusterrole"), *_SUBJECT_FLAGS),
    effect=Effect.CHANGES,
    args=Args.NONE,
)

VALID_RESOURCE_VERBS = (
    "*",
    "get",
    "delete",
    "list",
    "create",
    "update",
    "patch",
    "watch",
    "proxy",
    "deletecollection",
    "use",
    "bind",
    "escalate",
    "impersonate",
)
VALID_NON_RESOURCE_VERBS = ("*", "get", "post", "put", "delete", "patch", "head", "options")
SPECIAL_VERBS: dict[str, tuple[tuple[str, str], ...]] = {
    "use": (("policy", "podsecuritypolicies"), ("extensions", "podsecuritypolicies")),
    "bind": ((RBAC_GROUP, "roles"), (RBAC_GROUP, "clusterroles")),
    "escalate": ((RBAC_GROUP, "roles"), (RBAC_GROUP, "clusterroles")),
    "impersonate": (
        ("", "users"),
        ("", "serviceaccounts"),
        ("", "groups"),
        ("authentication.k8s.io", "userextras"),
    ),
}


class _Resource:
    """``ResourceOptions``: ``resource.group/subresource`` split as ``Complete`` splits it."""

    def __init__(self, spec: str) -> None:
        head, _, self.subresource = spec.partition("/")
        self.resource, _, self.group = head.partition(".")


def _slice(values: list[str]) -> list[str]:
    """pflag's StringSlice: each value is a comma-separated list (an empty value adds none)."""
    return [item for value in values if value for item in value.split(",")]


def _unique(values: list[str]) -> list[str]:
    return list(dict.fromkeys(values))


def _resource_for(session: KubectlSession, resource: _Resource) -> tuple[str, str] | None:
    """``RESTMapper.ResourceFor`` (behind the shortcut expander): (group, plural), or None."""
    word = resource.resource.lower()
    for info in session.api.registry.all():
        if word not in (info.plural, info.singular, *info.short_names):
            continue
        if not resource.group or info.group == resource.group:
            return info.group, info.plural
    return None


def _not_found(resource: _Resource) -> KubectlError:
    """``checkErr`` on a ``NoResourceMatchError``."""
    if resource.group:
        return KubectlError(
            f'the server doesn\'t have a resource type "{resource.resource}" in group '
            f'"{resource.group}"'
        )
    return KubectlError(f'the server doesn\'t have a resource type "{resource.resource}"')


class _RuleOptions:
    """``CreateRoleOptions`` after ``Complete``: verbs, resources and names, deduplicated."""

    def __init__(self, inv: Invocation) -> None:
        self.name = generators._one_name(inv)
        verbs: list[str] = []
        for verb in _slice(inv.flag("verb") or []):
            if verb == "*":
                verbs = ["*"]
                break
            if verb not in verbs:
                verbs.append(verb)
        self.verbs = verbs
        resources: list[_Resource] = []
        for spec in _slice(inv.flag("resource") or []):
            resource = _Resource(spec)
            if spec == "*":
                resources = [resource]
                break
            resources.append(resource)
        self.resources = resources
        self.resource_names = _unique(inv.flag("resource-name") or [])

    def warnings(self) -> str:
        return "".join(
            f"Warning: '{verb}' is not a standard resource verb\n"
            for verb in self.verbs
            if verb not in VALID_RESOURCE_VERBS
        )

    def validate_resources(self, session: KubectlSession) -> None:
        """``validateResource``."""
        for resource in self.resources:
            if not resource.resource:
                raise KubectlError("resource must be specified if apiGroup/subresource specified")
            if resource.resource == "*":
                return
            found = _resource_for(session, resource)
            group, plural = found or (resource.group, resource.resource)
            missing = found is None
            for verb in self.verbs:
                if verb in SPECIAL_VERBS:
                    if (group, plural) not in SPECIAL_VERBS[verb]:
                        raise KubectlError(
                            f"can not perform '{verb}' on '{plural}' in group '{group}'"
                        )
                    missing = False
            if missing:
                raise _not_found(resource)

    def rules(self, session: KubectlSession, non_resource_urls: list[str]) -> list[dict[str, Any]]:
        """``generateResourcePolicyRules``: one rule per API group, groups sorted."""
        by_group: dict[str, list[str]] = {}
        for resource in self.resources:
            found = _resource_for(session, resource)
            group, plural = found or (resource.group, resource.resource)
            if resource.subresource:
                plural = f"{plural}/{resource.subresource}"
            names = by_group.setdefault(group, [])
            if plural not in names:
                names.append(plural)
        rules: list[dict[str, Any]] = []
        for group in sorted(by_group):
            rule: dict[str, Any] = {
                "verbs": list(self.verbs),
                "apiGroups": [group],
                "resources": by_group[group],
            }
            if self.resource_names:
                rule["resourceNames"] = list(self.resource_names)
            rules.append(rule)
        if non_resource_urls:
            rules.append({"verbs": list(self.verbs), "nonResourceURLs": non_resource_urls})
        return rules


def _role(session: KubectlSession, inv: Invocation, warnings: list[str]) -> dict[str, Any]:
    options = _RuleOptions(inv)
    if not options.name:
        raise KubectlError("name must be specified")
    if not options.verbs:
        raise KubectlError("at least one verb must be specified")
    warnings.append(options.warnings())
    if not options.resources:
        raise KubectlError("at least one resource must be specified")
    options.validate_resources(session)
    return {
        "kind": "Role",
        "apiVersion": RBAC_API_VERSION,
        "metadata": generators.metadata_of(options.name, inv.flag("namespace")),
        "rules": options.rules(session, []),
    }


def _aggregation_rule(inv: Invocation) -> dict[str, str]:
    """cliflag's MapStringString: ``k=v,k2=v2``."""
    labels: dict[str, str] = {}
    value = inv.flag("aggregation-rule")
    if value:
        for pair in value.split(","):
            pair = pair.strip()
            if not pair:
                continue
            key, sep, label = pair.partition("=")
            if not sep:
                raise KubectlError(
                    f'invalid argument "{value}" for "--aggregation-rule" flag: '
                    "malformed pair, expect string=string",
                    "See 'kubectl create clusterrole --help' for usage.",
                )
            labels[key.strip()] = label.strip()
    return labels


def _cluster_role(session: KubectlSession, inv: Invocation, warnings: list[str]) -> dict[str, Any]:
    aggregation = _aggregation_rule(inv)
    non_resource_urls = _unique(_slice(inv.flag("non-resource-url") or []))
    options = _RuleOptions(inv)
    obj: dict[str, Any] = {
        "kind": "ClusterRole",
        "apiVersion": RBAC_API_VERSION,
        "metadata": {"name": options.name},
    }
    if not options.name:
        raise KubectlError("name must be specified")
    if aggregation:
        if non_resource_urls or options.verbs or options.resources or options.resource_names:
            raise KubectlError(
                "aggregation rule must be specified without nonResourceURLs, verbs, resources "
                "or resourceNames"
            )
        obj["rules"] = None
        obj["aggregationRule"] = {
            "clusterRoleSelectors": [{"matchLabels": dict(sorted(aggregation.items()))}]
        }
        return obj
    if not options.verbs:
        raise KubectlError("at least one verb must be specified")
    if not options.resources and not non_resource_urls:
        raise KubectlError("one of resource or nonResourceURL must be specified")
    if options.resources:
        warnings.append(options.warnings())
        options.validate_resources(session)
    if non_resource_urls:
        for verb in options.verbs:
            if verb not in VALID_NON_RESOURCE_VERBS:
                raise KubectlError(f"invalid verb: '{verb}' for nonResourceURL")
        for url in non_resource_urls:
            if url == "*":
                continue
            if not url.startswith("/"):
                raise KubectlError("nonResourceURL should start with /")
            if "*" in url[:-1]:
                raise KubectlError(
                    "nonResourceURL only supports wildcard matches when '*' is at the end"
                )
    obj["rules"] = options.rules(session, non_resource_urls)
    return obj


def _subjects(inv: Invocation) -> list[dict[str, Any]]:
    subjects: list[dict[str, Any]] = [
        {"kind": "User", "apiGroup": RBAC_GROUP, "name": user} for user in inv.flag("user") or []
    ]
    subjects += [
        {"kind": "Group", "apiGroup": RBAC_GROUP, "name": group}
        for group in inv.flag("group") or []
    ]
    for account in inv.flag("serviceaccount") or []:
        tokens = account.split(":")
        if len(tokens) != 2 or not tokens[0] or not tokens[1]:
            raise KubectlError("serviceaccount must be <namespace>:<name>")
        subjects.append({"kind": "ServiceAccount", "name": tokens[1], "namespace": tokens[0]})
    return subjects


def _binding(
    kind: str, name: str, namespace: str | None, role_kind: str, role: str, inv: Invocation
) -> dict[str, Any]:
    obj: dict[str, Any] = {
        "kind": kind,
        "apiVersion": RBAC_API_VERSION,
        "metadata": generators.metadata_of(name, namespace),
    }
    subjects = _subjects(inv)
    if subjects:
        obj["subjects"] = subjects
    obj["roleRef"] = {"apiGroup": RBAC_GROUP, "kind": role_kind, "name": role}
    return obj


def _role_binding(session: KubectlSession, inv: Invocation, warnings: list[str]) -> dict[str, Any]:
    name = generators._one_name(inv)
    if not name:
        raise KubectlError("name must be specified")
    role, cluster_role = inv.flag("role") or "", inv.flag("clusterrole") or ""
    if bool(role) == bool(cluster_role):
        raise KubectlError("exactly one of clusterrole or role must be specified")
    role_kind, role_name = ("Role", role) if role else ("ClusterRole", cluster_role)
    namespace = inv.flag("namespace")
    return _binding("RoleBinding", name, namespace, role_kind, role_name, inv)


def _cluster_role_binding(
    session: KubectlSession, inv: Invocation, warnings: list[str]
) -> dict[str, Any]:
    if inv.flag("clusterrole") is None:
        raise KubectlError('required flag(s) "clusterrole" not set')
    name = generators._one_name(inv)
    return _binding("ClusterRoleBinding", name, None, "ClusterRole", inv.flag("clusterrole"), inv)


BUILDERS = {
    "create role": _role,
    "create clusterrole": _cluster_role,
    "create rolebinding": _role_binding,
    "create clusterrolebinding": _cluster_role_binding,
}


@handles(*BUILDERS)
def run(session: KubectlSession, inv: Invocation) -> Result:
    """Build the object (warning about unusual verbs), then print it or create it."""
    output = check_object_output(session, inv.flag("output") or "")
    mode = dry_run_mode(inv)
    warnings: list[str] = []
    try:
        obj = BUILDERS[inv.verb](session, inv, warnings)
    except KubectlError as error:
        # The verb warnings come first: kubectl prints them while it validates.
        return Result(stderr="".join(warnings) + error.render(session.language), exit_code=1)
    result = generators.write_generated(session, inv, obj, output, mode)
    result.prepend_stderr("".join(warnings))
    return result
