"""``kubectl auth can-i`` and ``kubectl auth whoami`` as kubectl v0.35 runs them
(``kubectl/pkg/cmd/auth/{auth,cani,whoami}.go``; ``--list`` compacts and sorts the rules with
``pkg/util/rbac`` and names them with ``describe.CombineResourceGroup``).

``can-i`` sends a SelfSubjectAccessReview (or, with ``--list``, a SelfSubjectRulesReview) and
prints the answer: ``yes`` (exit 0) or ``no`` with the reason (exit 1). Its resource word goes
through the REST mapper as ``CanIOptions.resourceFor`` does: a word the cluster does not serve
is only warned about and asked as given. ``TYPE/NAME`` names an object (``pods/log`` asks about
the pod called ``log``); a subresource is ``--subresource``. ``whoami`` sends a
SelfSubjectReview and prints who the API server says the user is.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from k8sgame.engine.api.registry import KindInfo
from k8sgame.engine.errors import ApiError, go_quote
from k8sgame.kubectl.errors import KubectlError, server_error
from k8sgame.kubectl.parser import Flag, Invocation
from k8sgame.kubectl.printing import parse_output, print_objects
from k8sgame.kubectl.result import Result
from k8sgame.kubectl.tabwriter import render
from k8sgame.kubectl.verbs import Args, handles, register_verb

if TYPE_CHECKING:
    from k8sgame.kubectl.session import KubectlSession

AUTHORIZATION_V1 = "authorization.k8s.io/v1"
AUTHENTICATION_V1 = "authentication.k8s.io/v1"

register_verb("auth", (), args=Args.NONE)
register_verb(
    "auth can-i",
    (
        Flag("all-namespaces", "bool", short="A", default=False),
        Flag("list", "bool", default=False),
        Flag("no-headers", "bool", default=False),
        Flag("quiet", "bool", short="q", default=False),
        Flag("subresource", default=""),
    ),
    args=Args.NONE,
)
register_verb("auth whoami", (Flag("output", short="o", default=""),), args=Args.NONE)

# cani.go's sets: verbs it knows, and resources the server supports without discovery.
RESOURCE_VERBS = frozenset(
    (
        "get",
        "list",
        "watch",
        "create",
        "update",
        "patch",
        "delete",
        "deletecollection",
        "use",
        "bind",
        "impersonate",
        "*",
        "approve",
        "sign",
        "escalate",
        "attest",
    )
)
NON_RESOURCE_URL_VERBS = frozenset(
    ("get", "put", "post", "head", "options", "delete", "patch", "*")
)
NON_STANDARD_RESOURCE_NAMES = frozenset(("users", "groups"))
CAN_I_USAGE = (
    "you must specify two arguments: verb resource or verb resource/resourceName.\n"
    "See 'kubectl auth can-i -h' for help and examples."
)


@handles("auth")
def group(session: KubectlSession, inv: Invocation) -> Result:
    """``kubectl auth`` alone lists its subcommands on stderr and fails
    (``DefaultSubCommandRun``, the help shortened as for ``kubectl top``)."""
    if inv.args:
        raise KubectlError(
            f"unknown command {go_quote(' '.join(inv.args))}",
            "See 'kubectl auth -h' for help and examples",
        )
    return Result(
        stderr=(
            "Available Commands:\n"
            "  can-i         Check whether an action is allowed\n"
            "  reconcile     Reconciles rules for RBAC role, role binding, cluster role, and"
            " cluster role binding objects\n"
            "  whoami        Experimental: Check self subject attributes\n\n"
            "Usage:\n  kubectl auth [flags] [options]\n"
        ),
        exit_code=1,
    )


def _warning(message: str) -> str:
    """``printers.WarningPrinter.Print``: the message and a newline (cani.go's messages end
    in one of their own, so most warnings leave a blank line)."""
    return f"Warning: {message}\n"


class _Target:
    """The group, resource and whether it is namespaced (None: discovery cannot say)."""

    def __init__(self, group: str, resource: str, namespaced: bool | None) -> None:
        self.group = group
        self.resource = resource
        self.namespaced = namespaced


def _serves(info: KindInfo, version: str) -> bool:
    others = getattr(info, "other_versions", ()) or ()
    return version == info.version or any(v.version == version for v in others)


def _mapped(
    session: KubectlSession, resource: str, group: str, version: str = ""
) -> KindInfo | None:
    """``RESTMapper.ResourceFor`` behind the shortcut expander: plural, singular or short
    name, in the group given (any group when none is)."""
    for info in session.api.registry.all():
        if resource not in (info.plural, info.singular, *info.short_names):
            continue
        if group and info.group != group:
            continue
        if version and not _serves(info, version):
            continue
        return info
    return None


def _resource_for(session: KubectlSession, word: str, warnings: list[str]) -> _Target:
    """``CanIOptions.resourceFor``."""
    if word == "*":
        return _Target("", "*", True)
    lowered = word.lower()
    info = None
    if lowered.count(".") >= 2:  # schema.ParseResourceArg: resource.version.group
        resource, version, group = lowered.split(".", 2)
        info = _mapped(session, resource, group, version)
    resource, _, group = lowered.partition(".")
    if info is None:
        info = _mapped(session, resource, group)
    if info is None:
        full = f"{resource}.{group}" if group else resource
        if full not in NON_STANDARD_RESOURCE_NAMES:
            if group:
                warnings.append(
                    _warning(
                        f"the server doesn't have a resource type '{resource}' in group '{group}'\n"
                    )
                )
            else:
                warnings.append(_warning(f"the server doesn't have a resource type '{resource}'\n"))
        # Asked as given; discovery has no group version to look it up in.
        return _Target("", word, None)
    return _Target(info.group, info.plural, info.namespaced)


def _go_list(values: Sequence[str] | None) -> str:
    """Go's ``%v`` of a ``[]string``."""
    return "[" + " ".join(values or ()) + "]"


@handles("auth can-i")
def can_i(session: KubectlSession, inv: Invocation) -> Result:
    listing = bool(inv.flag("list"))
    quiet = bool(inv.flag("quiet"))
    all_namespaces = bool(inv.flag("all-namespaces"))
    subresource = str(inv.flag("subresource") or "")
    warnings: list[str] = []
    verb = url = name = ""
    target: _Target | None = None
    # Complete
    if listing:
        if inv.args:
            raise KubectlError("list option must be specified with no arguments")
    elif len(inv.args) == 2:
        verb, word = inv.args
        if word.startswith("/"):
            url = word
        else:
            resource_word, _, name = word.partition("/")
            target = _resource_for(session, resource_word, warnings)
    else:
        raise KubectlError(CAN_I_USAGE)
    namespace = "" if all_namespaces else (inv.flag("namespace") or session.namespace)

    def fail(message: str) -> Result:
        return Result(stderr="".join(warnings) + f"error: {message}\n", exit_code=1)

    # Validate
    if listing:
        if quiet or all_namespaces or subresource:
            return fail(
                "list option can't be specified with neither quiet, all-namespaces nor "
                "subresource options"
            )
        return _run_list(session, namespace, bool(inv.flag("no-headers")))
    if url:
        if subresource:
            return fail("--subresource can not be used with NonResourceURL")
        if verb not in NON_RESOURCE_URL_VERBS:
            warnings.append(_warning(f"verb '{verb}' is not a known verb\n"))
    elif target is not None and target.resource and not all_namespaces:
        if target.namespaced is False:
            if target.group:
                warnings.append(
                    _warning(
                        f"resource '{target.resource}' is not namespace scoped in group "
                        f"'{target.group}'\n"
                    )
                )
            else:
                warnings.append(_warning(f"resource '{target.resource}' is not namespace scoped\n"))
        if verb not in RESOURCE_VERBS:
            warnings.append(_warning(f"verb '{verb}' is not a known verb\n"))
    if inv.flag("no-headers"):
        return fail("--no-headers cannot be set without --list specified")
    # RunAccessCheck
    spec: dict[str, Any]
    if url:
        spec = {"nonResourceAttributes": {"path": url, "verb": verb}}
    else:
        assert target is not None
        attributes = {
            "namespace": namespace,
            "verb": verb,
            "group": target.group,
            "resource": target.resource,
            "subresource": subresource,
            "name": name,
        }
        # omitempty: the empty strings are not sent.
        spec = {"resourceAttributes": {k: v for k, v in attributes.items() if v}}
    review = {"apiVersion": AUTHORIZATION_V1, "kind": "SelfSubjectAccessReview", "spec": spec}
    try:
        answer = session.api.create(review)
    except ApiError as error:
        return Result(stderr="".join(warnings) + server_error(error), exit_code=1)
    status = answer.get("status") or {}
    result = Result(stderr="".join(warnings))
    if status.get("allowed"):
        line = "yes\n"
    else:
        line = "no"
        if status.get("reason"):
            line += f" - {status['reason']}"
        if status.get("evaluationError"):
            line += f" - {status['evaluationError']}"
        line += "\n"
        result.exit_code = 1
    if not quiet:
        result.stdout = line
    return result


# -- --list -----------------------------------------------------------------------------------


Rule = dict[str, list[str]]


def _broken_down_and_compacted(rules: list[Rule]) -> list[Rule]:
    """``CompactRules(BreakdownRule(...) for each rule)`` in one pass: every resource piece
    of the breakdown is simple, so it goes straight to its merged rule (verbs in the order
    met) without being built first; the non-resource pieces stay one rule each."""
    compacted: list[Rule] = []
    simple: dict[tuple[str, str, bool, str], Rule] = {}
    seen: dict[tuple[str, str, bool, str], set[str]] = {}
    for rule in rules:
        verbs = rule.get("verbs") or []
        names = rule.get("resourceNames") or []
        for group in rule.get("apiGroups") or []:
            for resource in rule.get("resources") or []:
                for name in names or [""]:
                    key = (group, resource, bool(names), name)
                    merged = simple.get(key)
                    if merged is None:
                        merged = {"apiGroups": [group], "resources": [resource], "verbs": []}
                        if names:
                            merged["resourceNames"] = [name]
                        simple[key] = merged
                        seen[key] = set()
                    known = seen[key]
                    for verb in verbs:
                        if verb not in known:
                            known.add(verb)
                            merged["verbs"].append(verb)
        for url in rule.get("nonResourceURLs") or []:
            compacted.extend({"nonResourceURLs": [url], "verbs": [verb]} for verb in verbs)
    return compacted + list(simple.values())


def _rule_string(rule: Rule) -> str:
    """The generated ``PolicyRule.String()`` that ``SortableRuleSlice`` compares."""
    fields = ("Verbs", "APIGroups", "Resources", "ResourceNames", "NonResourceURLs")
    keys = ("verbs", "apiGroups", "resources", "resourceNames", "nonResourceURLs")
    inner = "".join(
        f"{field}:{_go_list(rule.get(key))}," for field, key in zip(fields, keys, strict=True)
    )
    return "&PolicyRule{" + inner + "}"


def _combine_resource_group(resources: list[str], groups: list[str]) -> str:
    """``describe.CombineResourceGroup``: ``pods``, ``deployments.apps``, ``pods/log``."""
    if not resources:
        return ""
    head, slash, sub = resources[0].partition("/")
    combined = head
    if groups and groups[0]:
        combined += "." + groups[0]
    if slash:
        combined += "/" + sub
    return combined


def _run_list(session: KubectlSession, namespace: str, no_headers: bool) -> Result:
    """``RunAccessList`` and ``printStatus``."""
    review = {
        "apiVersion": AUTHORIZATION_V1,
        "kind": "SelfSubjectRulesReview",
        "spec": {"namespace": namespace} if namespace else {},
    }
    answer = session.api.create(review)
    status = answer.get("status") or {}
    result = Result()
    if status.get("incomplete"):
        result.stderr = _warning(f"the list may be incomplete: {status.get('evaluationError', '')}")
    rules: list[Rule] = [
        {
            "verbs": list(r.get("verbs") or []),
            "apiGroups": list(r.get("apiGroups") or []),
            "resources": list(r.get("resources") or []),
            "resourceNames": list(r.get("resourceNames") or []),
        }
        for r in status.get("resourceRules") or []
    ]
    rules += [
        {
            "verbs": list(r.get("verbs") or []),
            "nonResourceURLs": list(r.get("nonResourceURLs") or []),
        }
        for r in status.get("nonResourceRules") or []
    ]
    ordered = sorted(_broken_down_and_compacted(rules), key=lambda r: _rule_string(r).encode())
    rows = [] if no_headers else [["Resources", "Non-Resource URLs", "Resource Names", "Verbs"]]
    for rule in ordered:
        rows.append(
            [
                _combine_resource_group(rule.get("resources") or [], rule.get("apiGroups") or []),
                _go_list(rule.get("nonResourceURLs")),
                _go_list(rule.get("resourceNames")),
                _go_list(rule.get("verbs")),
            ]
        )
    result.stdout = render(rows)
    return result


# -- whoami -----------------------------------------------------------------------------------


@handles("auth whoami")
def whoami(session: KubectlSession, inv: Invocation) -> Result:
    output = parse_output(session, str(inv.flag("output") or ""))
    review = {"apiVersion": AUTHENTICATION_V1, "kind": "SelfSubjectReview"}
    try:
        answer = session.api.create(review)
    except ApiError as error:
        # whoami.go turns these two into its own words.
        if error.reason == "Forbidden":
            raise KubectlError(
                "the selfsubjectreviews API is not enabled in the cluster or you do not have "
                "permission to call it"
            ) from None
        if error.reason == "NotFound":
            raise KubectlError("the selfsubjectreviews API is not enabled in the cluster") from None
        raise
    info = (answer.get("status") or {}).get("userInfo") or {}
    if output.format:
        # The typed object, fields in Go struct order (TypeMeta first: kind, apiVersion).
        user: dict[str, Any] = {}
        for key in ("username", "uid", "groups", "extra"):
            if info.get(key):
                user[key] = info[key]
        obj = {
            "kind": "SelfSubjectReview",
            "apiVersion": AUTHENTICATION_V1,
            "metadata": dict(answer.get("metadata") or {"creationTimestamp": None}),
            "status": {"userInfo": user},
        }
        kind = session.api.kind_info("SelfSubjectReview")
        return Result(stdout=print_objects([(kind, obj)], output, struct_order=True))
    rows = [["ATTRIBUTE", "VALUE"]]
    if info.get("username"):
        rows.append(["Username", info["username"]])
    if info.get("uid"):
        rows.append(["UID", info["uid"]])
    if info.get("groups"):
        rows.append(["Groups", _go_list(info["groups"])])
    for key in sorted(info.get("extra") or {}):
        rows.append([f"Extra: {key}", _go_list(info["extra"][key])])
    return Result(stdout=render(rows))
