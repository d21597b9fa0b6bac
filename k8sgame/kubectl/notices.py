"""The game's own messages inside kubectl output (``assets/kubectl.yaml``, English and Korean):
for what a real kubectl could do but the sandbox cannot, said plainly."""

from __future__ import annotations

from functools import lru_cache
from typing import TYPE_CHECKING

from k8sgame.content.assets import load_yaml
from k8sgame.kubectl.errors import KubectlError

if TYPE_CHECKING:
    from k8sgame.kubectl.session import KubectlSession

NOTICES_FILE = "kubectl.yaml"


@lru_cache(maxsize=1)
def _notices() -> dict[str, dict[str, str]]:
    notices: dict[str, dict[str, str]] = load_yaml(NOTICES_FILE)
    return notices


def notice(session: KubectlSession, key: str, **fields: str) -> str:
    """The message ``key`` in the session's language, with its fields filled in."""
    texts = _notices()[key]
    language = getattr(session, "language", "en")
    return texts.get(language, texts["en"]).format(**fields)


def not_modelled(session: KubectlSession, key: str, **fields: str) -> KubectlError:
    """An ``error: ...`` line carrying one of the notices."""
    return KubectlError(notice(session, key, **fields))
