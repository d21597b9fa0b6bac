"""Access predicates, decided by the API server's own authorizer chain:

* ``can_i``: a user, group member or service account may (or may not) make one request,
  as ``kubectl auth can-i VERB RESOURCE --as ...`` would answer;
* ``least_privilege``: the requests a subject may make, over every kind the cluster serves
  in the level's namespace (and any other named) and at the cluster scope, are exactly the
  given ones: nothing missing, nothing more.

Neither changes the cluster.
"""

from __future__ import annotations

from typing import Any

from k8sgame.datafile.schema import Bool, Field, ListOf, Obj, Problem, Str
from k8sgame.engine.apiserver.identity import (
    AUTHENTICATED,
    UserInfo,
    service_account_user,
)
from k8sgame.engine.rbac.access_matrix import (
    AccessRequest,
    ApiAccess,
    RequestError,
    allowed_requests,
    can,
    parse,
)
from k8sgame.engine.rbac.api_authorizer import RBAC_KINDS
from k8sgame.levels.predicates.registry import predicate
from k8sgame.levels.predicates.scene import Outcome, Scene, held

SUBJECT = Field(
    Obj(
        {
            "user": Field(Str("a user name, as a client certificate's CN gives it")),
            "groups": Field(ListOf(Str(), "the user's groups (system:authenticated is added)")),
            "serviceAccount": Field(Str("a service account's name")),
            "namespace": Field(Str("the service account's namespace (default: the level's)")),
        },
        "who asks: a user (with groups) or a service account",
        exactly_one_of=("user", "serviceAccount"),
    ),
    required=True,
)


def _subject(scene: Scene, who: dict[str, Any]) -> tuple[UserInfo, str]:
    """The user the API server would see, and how to name it."""
    if "serviceAccount" in who:
        namespace = str(who.get("namespace") or scene.namespace)
        user = service_account_user(namespace, str(who["serviceAccount"]))
        return user, user.name
    groups = [str(g) for g in who.get("groups") or []]
    if AUTHENTICATED not in groups:
        groups.append(AUTHENTICATED)
    return UserInfo(str(who["user"]), tuple(groups)), str(who["user"])


def _request_problem(value: Any, path: Any, problems: list[Problem]) -> None:
    words = [w for w in str(value).split() if w not in ("-A",)]
    if len([w for w in words if not w.startswith("-")]) < 2:
        problems.append(Problem(path, "a request is VERB RESOURCE [NAME] [-n NAMESPACE | -A]"))


@predicate(
    "can_i",
    Obj(
        {
            "as": SUBJECT,
            "request": Field(
                Str("VERB RESOURCE [NAME] [-n NAMESPACE | -A], as kubectl auth can-i takes it"),
                required=True,
            ),
            "expect": Field(Bool("whether it is allowed (default true)")),
        },
        "a subject may (or may not) make a request, as the API server authorizes it",
        extra=lambda value, path, problems: _request_problem(
            value.get("request"), (*path, "request"), problems
        ),
    ),
)
def can_i(scene: Scene, params: dict[str, Any]) -> Outcome:
    server = ApiAccess(scene.cluster.api)
    user, who = _subject(scene, params["as"])
    text = str(params["request"])
    try:
        request = parse(server, text, scene.namespace)
    except RequestError as error:
        return held(False, "reasons.bad_request", detail=str(error))
    allowed = can(server, user, request)
    wanted = bool(params.get("expect", True))
    key = "reasons.can_i_yes" if allowed else "reasons.can_i_no"
    return held(allowed == wanted, key, who=who, request=request.text(scene.namespace))


# The checker asks the same goal at every step of a level's horizon, and the answer
# depends only on the RBAC objects. Stored objects are replaced, never changed, on every
# write, so the identities of the objects seen are the state; each entry keeps those
# objects alive, so no identity is reused while it is remembered. At most this many.
_ALLOWED_CACHE: dict[tuple[Any, ...], tuple[list[Any], list[AccessRequest]]] = {}
_ALLOWED_CACHE_LIMIT = 64


def _allowed(
    scene: Scene, server: ApiAccess, user: UserInfo, namespaces: tuple[str, ...]
) -> list[AccessRequest]:
    api = scene.cluster.api
    objects = [obj for kind in RBAC_KINDS for obj in api.view(kind)]
    key = (user, namespaces, tuple(id(obj) for obj in objects))
    entry = _ALLOWED_CACHE.get(key)
    if entry is None:
        if len(_ALLOWED_CACHE) >= _ALLOWED_CACHE_LIMIT:
            _ALLOWED_CACHE.clear()
        entry = _ALLOWED_CACHE[key] = (objects, allowed_requests(server, user, namespaces))
    return entry[1]


@predicate(
    "least_privilege",
    Obj(
        {
            "as": SUBJECT,
            "allowed": Field(
                ListOf(
                    Str("VERB RESOURCE [NAME] [-n NAMESPACE | -A]"),
                    "exactly the requests the subject may make",
                ),
                required=True,
            ),
        },
        "the subject may make exactly these requests: none of them refused, nothing more "
        "allowed (every verb of every kind, in the level's namespace and cluster-wide)",
    ),
)
def least_privilege(scene: Scene, params: dict[str, Any]) -> Outcome:
    server = ApiAccess(scene.cluster.api)
    user, who = _subject(scene, params["as"])
    wanted = []
    for text in params["allowed"]:
        try:
            wanted.append(parse(server, str(text), scene.namespace))
        except RequestError as error:
            return held(False, "reasons.bad_request", detail=str(error))
    namespaces = tuple(sorted({scene.namespace, *(r.namespace for r in wanted if r.namespace)}))
    missing = [r for r in wanted if not can(server, user, r)]
    named = {r for r in wanted if not r.name}
    allowed = _allowed(scene, server, user, namespaces)
    extra = [r for r in allowed if r not in named]
    home = scene.namespace
    if missing:
        return held(
            False,
            "reasons.privilege_missing",
            who=who,
            requests=", ".join(r.text(home) for r in missing[:5]),
        )
    if extra:
        return held(
            False,
            "reasons.privilege_extra",
            who=who,
            requests=", ".join(r.text(home) for r in extra[:5]),
            count=len(extra),
        )
    return held(True, "reasons.privilege_exact", who=who, count=len(wanted))
