"""Image references as containerd and the kubelet read them, and the fake registry pull.

``parse_reference`` follows ``github.com/distribution/reference`` ``ParseNormalizedNamed``
(``nginx`` → ``docker.io/library/nginx``, ``localhost:5000/app``, ``@sha256:...`` digests,
the same regexes and error texts), wrapped the way the kubelet's ``applyDefaultImageTag``
wraps it: ``Failed to apply default image tag "X": couldn't parse image name "X": ...``.

``pull`` answers as containerd would for the catalog: success with size, time and a digest
derived from the name (sha256 of the normalized reference, so it never changes), or the exact
error strings of kubelet.md §1. The engine never touches a network or the wall clock.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

from k8sgame.engine.errors import go_quote

if TYPE_CHECKING:
    from k8sgame.engine.images.catalog import Catalog, ImageSpec

DEFAULT_DOMAIN = "docker.io"
LEGACY_DOMAIN = "index.docker.io"
OFFICIAL_PREFIX = "library/"
DEFAULT_TAG = "latest"
NAME_MAX = 255
# A failed resolve still costs a round trip to the registry before the error comes back.
FAILED_PULL_SECONDS = 1.0

# The grammar of distribution/reference regexp.go (RE2 there, the same language here).
_ALNUM = r"[a-z0-9]+"
_SEPARATOR = r"(?:[._]|__|[-]+)"
_DOMAIN_COMPONENT = r"(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])"
_HOST = rf"(?:{_DOMAIN_COMPONENT}(?:\.{_DOMAIN_COMPONENT})*|\[(?:[a-fA-F0-9:]+)\])"
_DOMAIN_AND_PORT = rf"{_HOST}(?::[0-9]+)?"
_PATH_COMPONENT = rf"{_ALNUM}(?:{_SEPARATOR}{_ALNUM})*"
_REMOTE = rf"{_PATH_COMPONENT}(?:/{_PATH_COMPONENT})*"
_NAME = rf"(?:{_DOMAIN_AND_PORT}/)?{_REMOTE}"
_TAG = r"[0-9A-Za-z_][0-9A-Za-z_.-]{0,127}"
_DIGEST = r"[A-Za-z][A-Za-z0-9]*(?:[-_+.][A-Za-z][A-Za-z0-9]*)*[:][0-9a-fA-F]{32,}"
_REFERENCE = re.compile(rf"^({_NAME})(?::({_TAG}))?(?:@({_DIGEST}))?$")
_ANCHORED_NAME = re.compile(rf"^(?:({_DOMAIN_AND_PORT})/)?({_REMOTE})$")
_IDENTIFIER = re.compile(r"^[a-f0-9]{64}$")
# go-digest: the registered algorithms and the shape of any digest string.
_ALGORITHMS = {"sha256": 64, "sha384": 96, "sha512": 128}
_DIGEST_ANCHORED = re.compile(r"^[a-z0-9]+(?:[.+_-][a-z0-9]+)*:[a-zA-Z0-9=_-]+$")


class InvalidImageName(ValueError):
    """The kubelet's ``InvalidImageName``; ``str()`` is the waiting message and event text."""

    def __init__(self, image: str, detail: str):
        self.image = image
        self.detail = detail
        quoted = go_quote(image)
        super().__init__(
            f"Failed to apply default image tag {quoted}: "
            f"couldn't parse image name {quoted}: {detail}"
        )

    @property
    def message(self) -> str:
        return str(self)


@dataclass(frozen=True)
class ImageReference:
    """A parsed reference: ``docker.io`` / ``library/nginx`` / ``1.29`` / ``sha256:...``."""

    raw: str
    domain: str
    path: str
    tag: str | None = None
    digest: str | None = None

    @property
    def repository(self) -> str:
        return f"{self.domain}/{self.path}"

    @property
    def normalized(self) -> str:
        """What containerd pulls (``ParseDockerRef``): a digest wins over a tag; else ``:latest``."""
        if self.digest:
            return f"{self.repository}@{self.digest}"
        return f"{self.repository}:{self.tag or DEFAULT_TAG}"

    @property
    def effective_tag(self) -> str:
        return self.tag or DEFAULT_TAG


def _split_domain(name: str) -> tuple[str, str]:
    """``splitDockerDomain``: a first element with ``.`` or ``:``, ``localhost`` or capitals is a host."""
    first, sep, rest = name.partition("/")
    if not sep or (
        not any(c in first for c in ".:") and first != "localhost" and first.lower() == first
    ):
        domain, remainder = DEFAULT_DOMAIN, name
    else:
        domain, remainder = first, rest
    if domain == LEGACY_DOMAIN:
        domain = DEFAULT_DOMAIN
    if domain == DEFAULT_DOMAIN and "/" not in remainder:
        remainder = OFFICIAL_PREFIX + remainder
    return domain, remainder


def _validate_digest(digest: str) -> str | None:
    """go-digest ``Validate``; returns the error text or None."""
    algorithm, _, encoded = digest.partition(":")
    if algorithm not in _ALGORITHMS:
        if not _DIGEST_ANCHORED.match(digest):
            return "invalid checksum digest format"
        return "unsupported digest algorithm"
    if len(encoded) != _ALGORITHMS[algorithm]:
        return "invalid checksum digest length"
    if not re.fullmatch(r"[a-f0-9]+", encoded):
        return "invalid checksum digest format"
    return None


def parse_reference(image: str) -> ImageReference:
    """Parse a pod's ``image`` string; raises ``InvalidImageName`` with the kubelet's text."""
    if _IDENTIFIER.match(image):
        raise InvalidImageName(
            image, f"invalid repository name ({image}), cannot specify 64-byte hexadecimal strings"
        )
    domain, remainder = _split_domain(image)
    remote = remainder.split(":", 1)[0]
    if remote.lower() != remote:
        raise InvalidImageName(
            image, f"invalid reference format: repository name ({remote}) must be lowercase"
        )
    full = f"{domain}/{remainder}"
    match = _REFERENCE.match(full)
    if match is None:
        if full.lower() != full and _REFERENCE.match(full.lower()):
            raise InvalidImageName(image, "repository name must be lowercase")
        raise InvalidImageName(image, "invalid reference format")
    name, tag, digest = match.group(1), match.group(2), match.group(3)
    parts = _ANCHORED_NAME.match(name)
    assert parts is not None  # the name matched the same grammar just above
    path = parts.group(2)
    if len(path) > NAME_MAX:
        raise InvalidImageName(
            image, f"repository name must not be more than {NAME_MAX} characters"
        )
    if digest:
        problem = _validate_digest(digest)
        if problem:
            raise InvalidImageName(image, problem)
    return ImageReference(image, parts.group(1) or domain, path, tag, digest)


def normalize_repository(name: str) -> str:
    """``nginx`` → ``docker.io/library/nginx``; a tag or digest is not allowed here."""
    ref = parse_reference(name)
    if ref.tag or ref.digest:
        raise InvalidImageName(name, "a catalog name has no tag or digest")
    return ref.repository


def image_digest(repository: str, tag: str) -> str:
    """The fake registry's manifest digest for ``repository:tag`` (stable across runs)."""
    return "sha256:" + hashlib.sha256(f"{repository}:{tag}".encode()).hexdigest()


@dataclass(frozen=True)
class PullResult:
    """What a pull of one image string gives the kubelet."""

    image: str  # as written in the pod spec
    ok: bool
    normalized: str  # docker.io/library/nginx:latest (the raw string when invalid)
    image_id: str = ""  # docker.io/library/nginx@sha256:... (status.containerStatuses.imageID)
    size: int = 0  # bytes, as in "Image size: N bytes."
    seconds: float = FAILED_PULL_SECONDS
    error: str = ""  # the containerd (or kubelet, when invalid) message
    invalid: bool = False  # InvalidImageName: the kubelet never asks the runtime
    spec: ImageSpec | None = None

    @property
    def reason(self) -> str | None:
        if self.ok:
            return None
        return "InvalidImageName" if self.invalid else "ErrImagePull"

    @property
    def size_bytes(self) -> int:
        return self.size


def _not_found(ref: str) -> str:
    return (
        f'rpc error: code = NotFound desc = failed to pull and unpack image "{ref}": '
        f'failed to resolve reference "{ref}": {ref}: not found'
    )


def _access_denied(ref: str) -> str:
    # containerd returns codes.Unknown here, which the CRI client strips of its rpc prefix.
    return (
        f'failed to pull and unpack image "{ref}": failed to resolve reference "{ref}": '
        "pull access denied, repository does not exist or may require authorization: "
        "server message: insufficient_scope: authorization failed"
    )


def resolve(catalog: Catalog, image: str) -> tuple[ImageReference | None, ImageSpec | None, str]:
    """(reference, spec, error) for an image string; spec is None when it would not pull."""
    try:
        ref = parse_reference(image)
    except InvalidImageName as exc:
        return None, None, str(exc)
    entry = catalog.lookup(ref.repository)
    if entry is None:
        return ref, None, _access_denied(ref.normalized)
    if ref.digest:
        if "*" in entry.base.tags:
            return ref, entry.base, ""
        for tag in entry.literal_tags:
            if image_digest(ref.repository, tag) == ref.digest:
                spec = entry.spec_for_tag(tag)
                return ref, spec, ""
        return ref, None, _not_found(ref.normalized)
    spec = entry.spec_for_tag(ref.effective_tag)
    if spec is None:
        return ref, None, _not_found(ref.normalized)
    return ref, spec, ""


def pull(catalog: Catalog, image: str) -> PullResult:
    """Pull ``image`` (a pod's ``image`` string) from the fake registry the catalog describes."""
    ref, spec, error = resolve(catalog, image)
    if ref is None:
        return PullResult(image, False, image, error=error, invalid=True, seconds=0.0)
    if spec is None:
        return PullResult(image, False, ref.normalized, error=error)
    digest = ref.digest or image_digest(ref.repository, ref.effective_tag)
    return PullResult(
        image,
        True,
        ref.normalized,
        image_id=f"{ref.repository}@{digest}",
        size=spec.size_bytes,
        seconds=spec.pull_seconds,
        spec=spec,
    )
