"""The reviews: objects the API server answers instead of storing (create only).

* SelfSubjectAccessReview, SubjectAccessReview, LocalSubjectAccessReview
  (``authorization.k8s.io/v1``): may this user do this? ``kubectl auth can-i`` creates the
  first. The answer is the authorizer chain's (``pkg/registry/authorization/*``):
  ``allowed``, ``denied`` and the reason.
* SelfSubjectRulesReview: everything the user may do in a namespace, as the rule
  resolvers list it (``kubectl auth can-i --list``).
* SelfSubjectReview (``authentication.k8s.io/v1``): who am I (``kubectl auth whoami``).

Validation and messages are ``pkg/apis/authorization/validation``; every user may create
the self reviews (``system:basic-user``), the others need their own grant.
"""

from __future__ import annotations

from typing import Any

from k8sgame.engine.api.meta import OBJECT_META
from k8sgame.engine.api.registry import KindInfo
from k8sgame.engine.api.schema import ANY, BOOL, STRING, STRING_LIST, ListOf, MapOf, Struct
from k8sgame.engine.apiserver.authorizer import Attributes, Decision
from k8sgame.engine.apiserver.identity import UserInfo
from k8sgame.engine.errors import FieldError, invalid, invalid_object
from k8sgame.engine.rbac.authorizer import aggregate_errors

AUTHORIZATION_GROUP = "authorization.k8s.io"
AUTHENTICATION_GROUP = "authentication.k8s.io"

RESOURCE_ATTRIBUTES = Struct(
    "ResourceAttributes",
    {
        "namespace": STRING,
        "verb": STRING,
        "group": STRING,
        "version": STRING,
        "resource": STRING,
        "subresource": STRING,
        "name": STRING,
        "fieldSelector": ANY,
        "labelSelector": ANY,
    },
)
NON_RESOURCE_ATTRIBUTES = Struct("NonResourceAttributes", {"path": STRING, "verb": STRING})
ACCESS_REVIEW_STATUS = Struct(
    "SubjectAccessReviewStatus",
    {"allowed": BOOL, "denied": BOOL, "reason": STRING, "evaluationError": STRING},
)
SELF_ACCESS_SPEC = Struct(
    "SelfSubjectAccessReviewSpec",
    {"resourceAttributes": RESOURCE_ATTRIBUTES, "nonResourceAttributes": NON_RESOURCE_ATTRIBUTES},
)
ACCESS_SPEC = Struct(
    "SubjectAccessReviewSpec",
    {
        "resourceAttributes": RESOURCE_ATTRIBUTES,
        "nonResourceAttributes": NON_RESOURCE_ATTRIBUTES,
        "user": STRING,
        "groups": STRING_LIST,
        "extra": MapOf(STRING_LIST),
        "uid": STRING,
    },
)


def _review(name: str, spec: Struct, status: Struct) -> Struct:
    return Struct(
        name,
        {
            "apiVersion": STRING,
            "kind": STRING,
            "metadata": OBJECT_META,
            "spec": spec,
            "status": status,
        },
    )


RULES_STATUS = Struct(
    "SubjectRulesReviewStatus",
    {
        "resourceRules": ListOf(
            Struct(
                "ResourceRule",
                {
                    "verbs": STRING_LIST,
                    "apiGroups": STRING_LIST,
                    "resources": STRING_LIST,
                    "resourceNames": STRING_LIST,
                },
            )
        ),
        "nonResourceRules": ListOf(
            Struct("NonResourceRule", {"verbs": STRING_LIST, "nonResourceURLs": STRING_LIST})
        ),
        "incomplete": BOOL,
        "evaluationError": STRING,
    },
)
USER_INFO = Struct(
    "UserInfo",
    {"username": STRING, "uid": STRING, "groups": STRING_LIST, "extra": MapOf(STRING_LIST)},
)


def _attributes(user: UserInfo, spec: dict[str, Any]) -> Attributes:
    """``ResourceAttributesFrom`` / ``NonResourceAttributesFrom``."""
    resource = spec.get("resourceAttributes")
    if resource is not None:
        return Attributes(
            user,
            str(resource.get("verb") or ""),
            str(resource.get("namespace") or ""),
            str(resource.get("group") or ""),
            str(resource.get("resource") or ""),
            str(resource.get("subresource") or ""),
            str(resource.get("name") or ""),
        )
    non_resource = spec.get("nonResourceAttributes") or {}
    return Attributes(
        user,
        str(non_resource.get("verb") or ""),
        "",
        "",
        "",
        path=str(non_resource.get("path") or ""),
    )


def _spec_errors(spec: dict[str, Any]) -> list[FieldError]:
    """``ValidateSelfSubjectAccessReviewSpec``: one of the two attribute sets, not both."""
    has_resource = spec.get("resourceAttributes") is not None
    has_non_resource = spec.get("nonResourceAttributes") is not None
    if has_resource and has_non_resource:
        return [
            invalid(
                "spec.nonResourceAttributes",
                spec["nonResourceAttributes"],
                "cannot be specified in combination with resourceAttributes",
            )
        ]
    if not has_resource and not has_non_resource:
        return [
            invalid(
                "spec.resourceAttributes",
                None,
                "exactly one of nonResourceAttributes or resourceAttributes must be specified",
            )
        ]
    return []


def _subject_spec_errors(spec: dict[str, Any]) -> list[FieldError]:
    """``ValidateSubjectAccessReviewSpec``: the attributes, and someone to ask about."""
    errors = _spec_errors(spec)
    if not spec.get("user") and not spec.get("groups"):
        errors.append(invalid("spec.user", "", "at least one of user or group must be specified"))
    return errors


def _answer_access(server: Any, user: UserInfo, review: dict[str, Any]) -> dict[str, Any]:
    verdict = server.authorize(_attributes(user, review.get("spec") or {}))
    status: dict[str, Any] = {"allowed": verdict.decision is Decision.ALLOW}
    if verdict.decision is Decision.DENY:
        status["denied"] = True
    if verdict.reason:
        status["reason"] = verdict.reason
    review["status"] = status
    review.setdefault("metadata", {})["creationTimestamp"] = None
    return review


def answer_self_access(server: Any, user: UserInfo, review: dict[str, Any]) -> dict[str, Any]:
    """A SelfSubjectAccessReview: the asking user's own access."""
    errors = _spec_errors(review.get("spec") or {})
    if errors:
        raise invalid_object("SelfSubjectAccessReview", AUTHORIZATION_GROUP, "", errors)
    return _answer_access(server, user, review)


def _subject(review: dict[str, Any]) -> UserInfo:
    spec = review.get("spec") or {}
    return UserInfo(str(spec.get("user") or ""), tuple(spec.get("groups") or ()))


def answer_access(server: Any, user: UserInfo, review: dict[str, Any]) -> dict[str, Any]:
    """A SubjectAccessReview: the access of the user the spec names."""
    spec = review.get("spec") or {}
    errors = _subject_spec_errors(spec)
    if errors:
        raise invalid_object("SubjectAccessReview", AUTHORIZATION_GROUP, "", errors)
    return _answer_access(server, _subject(review), review)


def answer_local_access(server: Any, user: UserInfo, review: dict[str, Any]) -> dict[str, Any]:
    """A LocalSubjectAccessReview: a SubjectAccessReview held to its own namespace."""
    spec = review.get("spec") or {}
    errors = _subject_spec_errors(spec)
    namespace = str((review.get("metadata") or {}).get("namespace") or "")
    resource = spec.get("resourceAttributes")
    if resource is not None and str(resource.get("namespace") or "") != namespace:
        errors.append(
            invalid(
                "spec.resourceAttributes.namespace",
                resource.get("namespace") or "",
                "must match metadata.namespace",
            )
        )
    if spec.get("nonResourceAttributes") is not None:
        errors.append(
            invalid(
                "spec.nonResourceAttributes",
                spec["nonResourceAttributes"],
                "disallowed on this kind of request",
            )
        )
    if errors:
        raise invalid_object("LocalSubjectAccessReview", AUTHORIZATION_GROUP, "", errors)
    return _answer_access(server, _subject(review), review)


def answer_self_rules(server: Any, user: UserInfo, review: dict[str, Any]) -> dict[str, Any]:
    """A SelfSubjectRulesReview: the rules the resolvers list for the user."""
    namespace = str((review.get("spec") or {}).get("namespace") or "")
    rules = server.rules_for(user, namespace)
    status: dict[str, Any] = {
        "resourceRules": [dict(rule) for rule in rules.resource_rules],
        "nonResourceRules": [dict(rule) for rule in rules.non_resource_rules],
        "incomplete": rules.incomplete,
    }
    if rules.errors:
        status["evaluationError"] = aggregate_errors(rules.errors)
    review["status"] = status
    review.setdefault("metadata", {})["creationTimestamp"] = None
    return review


def answer_self_subject(server: Any, user: UserInfo, review: dict[str, Any]) -> dict[str, Any]:
    """A SelfSubjectReview: the user as the API server authenticated it."""
    info: dict[str, Any] = {"username": user.name}
    if user.groups:
        info["groups"] = list(user.groups)
    review["status"] = {"userInfo": info}
    review.setdefault("metadata", {})["creationTimestamp"] = None
    return review


def _kind(
    kind: str, group: str, plural: str, namespaced: bool, schema: Struct, answer: Any
) -> KindInfo:
    return KindInfo(
        kind=kind,
        group=group,
        version="v1",
        plural=plural,
        namespaced=namespaced,
        schema=schema,
        status_subresource=False,
        generation_fields=(),
        verbs=("create",),
        answer=answer,
    )


SELF_SUBJECT_ACCESS_REVIEW_KIND = _kind(
    "SelfSubjectAccessReview",
    AUTHORIZATION_GROUP,
    "selfsubjectaccessreviews",
    False,
    _review("SelfSubjectAccessReview", SELF_ACCESS_SPEC, ACCESS_REVIEW_STATUS),
    answer_self_access,
)
SUBJECT_ACCESS_REVIEW_KIND = _kind(
    "SubjectAccessReview",
    AUTHORIZATION_GROUP,
    "subjectaccessreviews",
    False,
    _review("SubjectAccessReview", ACCESS_SPEC, ACCESS_REVIEW_STATUS),
    answer_access,
)
LOCAL_SUBJECT_ACCESS_REVIEW_KIND = _kind(
    "LocalSubjectAccessReview",
    AUTHORIZATION_GROUP,
    "localsubjectaccessreviews",
    True,
    _review("LocalSubjectAccessReview", ACCESS_SPEC, ACCESS_REVIEW_STATUS),
    answer_local_access,
)
SELF_SUBJECT_RULES_REVIEW_KIND = _kind(
    "SelfSubjectRulesReview",
    AUTHORIZATION_GROUP,
    "selfsubjectrulesreviews",
    False,
    _review(
        "SelfSubjectRulesReview",
        Struct("SelfSubjectRulesReviewSpec", {"namespace": STRING}),
        RULES_STATUS,
    ),
    answer_self_rules,
)
SELF_SUBJECT_REVIEW_KIND = _kind(
    "SelfSubjectReview",
    AUTHENTICATION_GROUP,
    "selfsubjectreviews",
    False,
    Struct(
        "SelfSubjectReview",
        {
            "apiVersion": STRING,
            "kind": STRING,
            "metadata": OBJECT_META,
            "status": Struct("SelfSubjectReviewStatus", {"userInfo": USER_INFO}),
        },
    ),
    answer_self_subject,
)
ACCESS_REVIEW_KINDS = (
    SELF_SUBJECT_ACCESS_REVIEW_KIND,
    SUBJECT_ACCESS_REVIEW_KIND,
    LOCAL_SUBJECT_ACCESS_REVIEW_KIND,
    SELF_SUBJECT_RULES_REVIEW_KIND,
    SELF_SUBJECT_REVIEW_KIND,
)
