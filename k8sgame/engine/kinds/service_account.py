"""ServiceAccount (core/v1, ``sa``): an identity for the processes in a pod.

Validation is ``ValidateServiceAccount``: only the object metadata, its name a DNS subdomain
(``ValidateServiceAccountName``); ``secrets`` and ``imagePullSecrets`` are references the API
server stores as given. Since 1.24 no token Secret is made for an account, so ``secrets``
stays empty unless written."""

from __future__ import annotations

from k8sgame.engine.api.meta import OBJECT_META
from k8sgame.engine.api.registry import KindInfo
from k8sgame.engine.api.schema import BOOL, STRING, ListOf, Struct
from k8sgame.engine.kinds.event import OBJECT_REFERENCE

SERVICE_ACCOUNT = Struct(
    "ServiceAccount",
    {
        "apiVersion": STRING,
        "kind": STRING,
        "metadata": OBJECT_META,
        "secrets": ListOf(OBJECT_REFERENCE),
        "imagePullSecrets": ListOf(Struct("LocalObjectReference", {"name": STRING})),
        "automountServiceAccountToken": BOOL,
    },
)

SERVICE_ACCOUNT_KIND = KindInfo(
    kind="ServiceAccount",
    group="",
    version="v1",
    plural="serviceaccounts",
    namespaced=True,
    schema=SERVICE_ACCOUNT,
    short_names=("sa",),
    status_subresource=False,
    generation_fields=(),
)
