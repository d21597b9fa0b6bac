"""Two RBAC questions the API server's own authorizer answers.

``rbac-can-i``: a Role or ClusterRole and one binding of it (a RoleBinding, or a
ClusterRoleBinding) to a user, a group or a service account, drawn per seed; the options are
``kubectl auth can-i`` requests as that subject — other verbs, a subresource (``pods/log``),
another namespace, every namespace (``-A``), a named object under ``resourceNames``. Each is
authorized by the cluster; the explanation quotes RBAC's ``allowed by`` reason for a yes and,
for a no, which part of the request no rule covers, found by asking the authorizer again
with that part changed.

``rbac-least-privilege``: what a service account needs, and five ways to grant it; the right
one grants exactly that. For each option the engine binds it (to a copy of the account, so
options do not mix) and lists every request of the matrix the account may then make
(``engine/rbac/access_matrix``); the option whose list equals the need is right.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from typing import Any

import yaml

from k8sgame.content.text import Text
from k8sgame.engine.apiserver.authorizer import Decision
from k8sgame.engine.apiserver.identity import (
    AUTHENTICATED,
    UserInfo,
    service_account_user,
)
from k8sgame.engine.cluster import Cluster
from k8sgame.engine.rbac.access_matrix import (
    AccessRequest,
    ApiAccess,
    allowed_requests,
    attributes,
    can,
    parse,
)
from k8sgame.measure import MeasureError
from k8sgame.quiz.generators.cluster import fresh_cluster, text
from k8sgame.quiz.generators.net_cluster import bullets, compose
from k8sgame.quiz.generators.registry import generator
from k8sgame.quiz.model import Option, Question

RBAC = "rbac.authorization.k8s.io"
CONCEPTS = ("rbac", "authentication")
HOMES = ("shop", "dev", "payments")
OTHERS = ("prod", "ops")
ATTEMPTS = 40

# Rules a role may hold, and requests worth asking about each.
RULE_POOL: tuple[tuple[dict[str, Any], tuple[str, ...]], ...] = (
    (
        {"apiGroups": [""], "resources": ["pods"], "verbs": ["get", "list", "watch"]},
        ("list pods", "delete pods", "get pods/log", "list pods -A", "list pods -n {other}"),
    ),
    (
        {"apiGroups": [""], "resources": ["pods/log"], "verbs": ["get"]},
        ("get pods/log", "get pods", "create pods/exec"),
    ),
    (
        {"apiGroups": ["apps"], "resources": ["deployments"], "verbs": ["get", "list", "patch"]},
        ("patch deployments.apps", "create deployments.apps", "patch deployments.apps/scale"),
    ),
    (
        {
            "apiGroups": [""],
            "resources": ["configmaps"],
            "verbs": ["get", "list"],
            "resourceNames": ["app-config"],
        },
        ("get configmaps app-config", "get configmaps db-config", "list configmaps"),
    ),
    (
        {"apiGroups": [""], "resources": ["secrets"], "verbs": ["get"]},
        ("get secrets", "list secrets", "get secrets -n {other}"),
    ),
    (
        {"apiGroups": [""], "resources": ["services"], "verbs": ["*"]},
        ("delete services", "list services -A", "get endpoints"),
    ),
)


@dataclass(frozen=True)
class Subject:
    """Who asks: the binding's subject and the user the API server sees."""

    subject: dict[str, str]
    user: UserInfo
    flag: str  # kubectl's impersonation flags for it

    @property
    def name(self) -> str:
        return self.user.name


def _subject(rng: random.Random, home: str) -> Subject:
    style = rng.choice(("user", "group", "account"))
    if style == "user":
        return Subject(
            {"kind": "User", "name": "jane", "apiGroup": RBAC},
            UserInfo("jane", (AUTHENTICATED,)),
            "--as=jane",
        )
    if style == "group":
        return Subject(
            {"kind": "Group", "name": "devs", "apiGroup": RBAC},
            UserInfo("bob", ("devs", AUTHENTICATED)),
            "--as=bob --as-group=devs",
        )
    user = service_account_user(home, "ci")
    return Subject(
        {"kind": "ServiceAccount", "name": "ci", "namespace": home}, user, f"--as={user.name}"
    )


def _role(kind: str, name: str, namespace: str, rules: list[dict[str, Any]]) -> dict[str, Any]:
    md: dict[str, Any] = {"name": name}
    if kind == "Role":
        md["namespace"] = namespace
    return {"apiVersion": f"{RBAC}/v1", "kind": kind, "metadata": md, "rules": rules}


def _binding(
    kind: str, name: str, namespace: str, role_kind: str, role: str, subject: dict[str, str]
) -> dict[str, Any]:
    md: dict[str, Any] = {"name": name}
    if kind == "RoleBinding":
        md["namespace"] = namespace
    return {
        "apiVersion": f"{RBAC}/v1",
        "kind": kind,
        "metadata": md,
        "roleRef": {"apiGroup": RBAC, "kind": role_kind, "name": role},
        "subjects": [dict(subject)],
    }


def _namespace(name: str) -> dict[str, Any]:
    return {"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": name}}


def _cluster(seed: int, namespaces: tuple[str, ...], objects: list[dict[str, Any]]) -> Cluster:
    cluster = fresh_cluster(seed, nodes=[])
    for name in namespaces:
        cluster.api.create(_namespace(name))
    for obj in objects:
        cluster.api.create(obj)
    cluster.settle()
    return cluster


def _same(words: str) -> Text:
    """A command line: the same in every language."""
    return Text(words, words)


def _yaml(objects: list[dict[str, Any]]) -> str:
    return "---\n".join(yaml.safe_dump(o, sort_keys=False) for o in objects).rstrip()


# -- rbac-can-i ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class CanIVariant:
    home: str
    other: str
    subject: Subject
    objects: tuple[dict[str, Any], ...]
    requests: tuple[str, ...]


def can_i_variant(seed: int) -> CanIVariant:
    """A role of two rules, one binding, and five requests of which some are allowed and
    some not (by the rules alone, checked again by the engine)."""
    rng = random.Random(seed)
    home, other = rng.choice(HOMES), rng.choice(OTHERS)
    subject = _subject(rng, home)
    picked = rng.sample(RULE_POOL, 2)
    rules = [dict(rule) for rule, _ in picked]
    style = rng.choice(("role", "cluster-role-here", "cluster-wide"))
    role_kind = "Role" if style == "role" else "ClusterRole"
    binding_kind = "ClusterRoleBinding" if style == "cluster-wide" else "RoleBinding"
    role = _role(role_kind, "team-access", home, rules)
    binding = _binding(binding_kind, "team-access", home, role_kind, "team-access", subject.subject)
    candidates = sorted({q.format(other=other) for _, asks in picked for q in asks})
    requests = tuple(rng.sample(candidates, min(5, len(candidates))))
    return CanIVariant(home, other, subject, (role, binding), requests)


@dataclass(frozen=True)
class Answer:
    request: AccessRequest
    allowed: bool
    line: Text


def _why_not(cluster: Cluster, v: CanIVariant, request: AccessRequest) -> Text:
    """Which part of a refused request no rule covers: the engine asks again with it changed."""
    server, user = ApiAccess(cluster.api), v.subject.user
    resource, _, sub = request.resource.partition("/")
    fields = {"request": request.text(v.home), "home": v.home}
    if request.namespace != v.home and can(
        server, user, AccessRequest(request.verb, request.resource, v.home, request.name)
    ):
        key = "why_all_namespaces" if not request.namespace else "why_namespace"
        return text(f"generated.rbac.{key}", **fields)
    if sub and can(server, user, AccessRequest(request.verb, resource, request.namespace)):
        return text("generated.rbac.why_subresource", sub=sub, resource=resource, **fields)
    if request.verb in ("list", "watch") and can(
        server, user, AccessRequest("get", resource, request.namespace, "app-config")
    ):
        return text("generated.rbac.why_names", **fields)
    return text("generated.rbac.why_no_rule", verb=request.verb, resource=request.resource)


def answers(cluster: Cluster, v: CanIVariant) -> list[Answer]:
    server, user = ApiAccess(cluster.api), v.subject.user
    found = []
    for raw in v.requests:
        request = parse(server, raw, v.home)
        verdict = server.authorize(attributes(user, request))
        allowed = verdict.decision is Decision.ALLOW
        if allowed:
            # RBAC's own reason: the binding, role and subject that allowed it.
            line = compose(
                "generated.rbac.line_yes", request=request.text(v.home), reason=verdict.reason
            )
        else:
            line = compose(
                "generated.rbac.line_no",
                {"why": _why_not(cluster, v, request)},
                request=request.text(v.home),
            )
        found.append(Answer(request, allowed, line))
    return found


@generator("rbac-can-i", CONCEPTS)
def rbac_can_i(seed: int) -> Question:
    rng_seed = seed
    for attempt in range(ATTEMPTS):
        v = can_i_variant(rng_seed)
        cluster = _cluster(seed, (v.home, v.other), list(v.objects))
        found = answers(cluster, v)
        if {a.allowed for a in found} == {True, False}:
            break
        rng_seed = seed * 1000 + attempt + 1
    else:
        raise MeasureError(f"rbac-can-i seed {seed}: no mixed variant")
    prompt = text(
        "generated.rbac.can_i_prompt",
        objects=_yaml(list(v.objects)),
        who=v.subject.name,
        flags=v.subject.flag,
        home=v.home,
    )
    return Question(
        id=f"rbac-can-i-{seed}",
        kind="multiple",
        prompt=prompt,
        explanation=compose(
            "generated.rbac.can_i_explanation", {"lines": bullets(a.line for a in found)}
        ),
        concepts=CONCEPTS,
        difficulty=3,
        options=tuple(
            Option(_same(f"kubectl auth can-i {a.request.text(v.home)}"), a.allowed) for a in found
        ),
        generator="rbac-can-i",
        seed=seed,
    )


# -- rbac-least-privilege -----------------------------------------------------------------------

# What the account needs: (scenario key, rules that grant exactly it, the requests).
NEEDS: tuple[tuple[str, list[dict[str, Any]], tuple[str, ...]], ...] = (
    (
        "scale",
        [
            {
                "apiGroups": ["apps"],
                "resources": ["deployments"],
                "verbs": ["get", "list", "watch"],
            },
            {
                "apiGroups": ["apps"],
                "resources": ["deployments/scale"],
                "verbs": ["get", "patch", "update"],
            },
        ],
        (
            "get deployments.apps",
            "list deployments.apps",
            "watch deployments.apps",
            "get deployments.apps/scale",
            "patch deployments.apps/scale",
            "update deployments.apps/scale",
        ),
    ),
    (
        "logs",
        [
            {"apiGroups": [""], "resources": ["pods"], "verbs": ["get", "list", "watch"]},
            {"apiGroups": [""], "resources": ["pods/log"], "verbs": ["get"]},
        ],
        ("get pods", "list pods", "watch pods", "get pods/log"),
    ),
    (
        "config",
        [
            {
                "apiGroups": [""],
                "resources": ["configmaps"],
                "verbs": ["get", "list", "watch", "create", "update", "patch"],
            }
        ],
        (
            "get configmaps",
            "list configmaps",
            "watch configmaps",
            "create configmaps",
            "update configmaps",
            "patch configmaps",
        ),
    ),
)
# The ways to grant it; "exact" is the least-privilege one.
STYLES = ("exact", "edit", "cluster-wide", "any-verb", "wrong-namespace", "view")


def _grant(style: str, index: int, home: str, rules: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The objects of one option for the account ``ci-<index>`` (a copy per option, so
    options do not add up), named as the player sees them with the copy's suffix."""
    account = {"kind": "ServiceAccount", "name": f"ci-{index}", "namespace": home}
    name = f"ci-{index}"
    if style == "exact":
        return [
            _role("Role", name, home, rules),
            _binding("RoleBinding", name, home, "Role", name, account),
        ]
    if style == "edit":
        return [_binding("RoleBinding", name, home, "ClusterRole", "edit", account)]
    if style == "view":
        return [_binding("RoleBinding", name, home, "ClusterRole", "view", account)]
    if style == "cluster-wide":
        return [
            _role("ClusterRole", name, home, rules),
            _binding("ClusterRoleBinding", name, home, "ClusterRole", name, account),
        ]
    if style == "any-verb":
        widened = [{**rule, "verbs": ["*"]} for rule in rules]
        return [
            _role("Role", name, home, widened),
            _binding("RoleBinding", name, home, "Role", name, account),
        ]
    wrong = {**account, "namespace": "default"}
    return [
        _role("Role", name, home, rules),
        _binding("RoleBinding", name, home, "Role", name, wrong),
    ]


@dataclass(frozen=True)
class Grant:
    style: str
    extra: tuple[str, ...]
    missing: tuple[str, ...]

    @property
    def exact(self) -> bool:
        return not self.extra and not self.missing


@generator("rbac-least-privilege", CONCEPTS)
def rbac_least_privilege(seed: int) -> Question:
    rng = random.Random(seed)
    home = rng.choice(HOMES)
    scenario, rules, need = rng.choice(NEEDS)
    styles = ["exact", *rng.sample(STYLES[1:], 4)]
    rng.shuffle(styles)
    objects = [obj for i, style in enumerate(styles) for obj in _grant(style, i, home, rules)]
    cluster = _cluster(seed, (home,), objects)
    server = ApiAccess(cluster.api)
    wanted = {parse(server, request, home) for request in need}
    grants = []
    for index, style in enumerate(styles):
        user = service_account_user(home, f"ci-{index}")
        allowed = set(allowed_requests(server, user, (home,)))
        extra = sorted(allowed - wanted)
        missing = sorted(r for r in wanted if r not in allowed)
        grants.append(
            Grant(style, tuple(r.text(home) for r in extra), tuple(r.text(home) for r in missing))
        )
    if sum(g.exact for g in grants) != 1:
        raise MeasureError(f"rbac-least-privilege seed {seed}: not exactly one exact grant")
    lines = []
    for grant in grants:
        label = text(f"generated.rbac.grant_{grant.style.replace('-', '_')}", home=home)
        if grant.exact:
            lines.append(compose("generated.rbac.grant_exact_line", {"grant": label}))
        elif grant.missing:
            lines.append(
                compose(
                    "generated.rbac.grant_missing_line",
                    {"grant": label},
                    missing=", ".join(grant.missing[:3]),
                )
            )
        else:
            lines.append(
                compose(
                    "generated.rbac.grant_extra_line",
                    {"grant": label},
                    count=len(grant.extra),
                    extra=", ".join(grant.extra[:3]),
                )
            )
    prompt = compose(
        "generated.rbac.least_prompt",
        {"need": text(f"generated.rbac.need_{scenario}")},
        home=home,
        rules=yaml.safe_dump(rules, sort_keys=False).rstrip(),
    )
    return Question(
        id=f"rbac-least-privilege-{seed}",
        kind="single",
        prompt=prompt,
        explanation=compose(
            "generated.rbac.least_explanation", {"lines": bullets(lines)}, home=home
        ),
        concepts=CONCEPTS,
        difficulty=3,
        options=tuple(
            Option(text(f"generated.rbac.grant_{g.style.replace('-', '_')}", home=home), g.exact)
            for g in grants
        ),
        generator="rbac-least-privilege",
        seed=seed,
    )
