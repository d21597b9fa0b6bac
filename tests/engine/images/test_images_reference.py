"""Image references as containerd reads them, and the fake registry's exact pull errors."""

from __future__ import annotations

import hashlib

import pytest
from hypothesis import given
from hypothesis import strategies as st

from k8sgame.catalog_loader import load_default_catalog
from k8sgame.engine.images.reference import (
    InvalidImageName,
    image_digest,
    parse_reference,
    pull,
)

CATALOG = load_default_catalog()


@pytest.mark.parametrize(
    ("image", "normalized"),
    [
        ("nginx", "docker.io/library/nginx:latest"),
        ("nginx:1.25", "docker.io/library/nginx:1.25"),
        ("library/nginx", "docker.io/library/nginx:latest"),
        ("docker.io/nginx:stable", "docker.io/library/nginx:stable"),
        ("index.docker.io/library/nginx", "docker.io/library/nginx:latest"),
        ("k8sgame/demo-web:1.0.0", "docker.io/k8sgame/demo-web:1.0.0"),
        ("myreg.io:5000/team/app:v1", "myreg.io:5000/team/app:v1"),
        ("localhost/app", "localhost/app:latest"),
        ("localhost:5000/app:V1_x", "localhost:5000/app:V1_x"),
        ("registry.k8s.io/busybox", "registry.k8s.io/busybox:latest"),
        ("Registry.Example.com/app", "Registry.Example.com/app:latest"),
        ("nginx@sha256:" + "a" * 64, "docker.io/library/nginx@sha256:" + "a" * 64),
        ("nginx:1.25@sha256:" + "b" * 64, "docker.io/library/nginx@sha256:" + "b" * 64),
    ],
)
def test_references_normalize_like_containerd(image: str, normalized: str) -> None:
    assert parse_reference(image).normalized == normalized


def test_reference_parts() -> None:
    ref = parse_reference("myreg.io:5000/team/app:v1")
    assert (ref.domain, ref.path, ref.tag, ref.digest) == ("myreg.io:5000", "team/app", "v1", None)
    assert ref.repository == "myreg.io:5000/team/app"


@pytest.mark.parametrize(
    ("image", "detail"),
    [
        ("Nginx", "invalid reference format: repository name (library/Nginx) must be lowercase"),
        (
            "team/MyApp:v1",
            "invalid reference format: repository name (team/MyApp) must be lowercase",
        ),
        ("nginx latest", "invalid reference format"),
        ("nginx:", "invalid reference format"),
        ("nginx:!bad", "invalid reference format"),
        ("-nginx", "invalid reference format"),
        ("ko://github.com/x/y", "invalid reference format"),
        ("", "invalid reference format"),
        (
            "a" * 64,
            f"invalid repository name ({'a' * 64}), cannot specify 64-byte hexadecimal strings",
        ),
        ("nginx@sha256:abc", "invalid reference format"),
        ("nginx@sha256:" + "a" * 40, "invalid checksum digest length"),
        ("nginx@sha256:" + "A" * 64, "invalid checksum digest format"),
        ("nginx@md5:" + "a" * 32, "unsupported digest algorithm"),
    ],
)
def test_invalid_references_give_the_kubelet_message(image: str, detail: str) -> None:
    with pytest.raises(InvalidImageName) as info:
        parse_reference(image)
    quoted = '"' + image + '"'
    assert str(info.value) == (
        f"Failed to apply default image tag {quoted}: couldn't parse image name {quoted}: {detail}"
    )


def test_pull_success_reports_size_time_and_a_stable_digest() -> None:
    result = pull(CATALOG, "nginx")
    assert result.ok and not result.invalid and result.error == ""
    assert result.normalized == "docker.io/library/nginx:latest"
    hexdigest = hashlib.sha256(b"docker.io/library/nginx:latest").hexdigest()
    assert result.image_id == f"docker.io/library/nginx@sha256:{hexdigest}"
    assert result.size == result.size_bytes == CATALOG.image_for("nginx").size_bytes  # type: ignore[union-attr]
    assert result.seconds == CATALOG.image_for("nginx").pull_seconds  # type: ignore[union-attr]
    assert result.spec is not None and result.spec.name == "nginx"
    assert pull(CATALOG, "nginx").image_id == result.image_id
    assert pull(CATALOG, "nginx:1.25").image_id != result.image_id


def test_pull_of_an_unknown_repository_is_access_denied_without_rpc_prefix() -> None:
    result = pull(CATALOG, "nginxx")
    assert not result.ok and not result.invalid
    assert result.reason == "ErrImagePull"
    assert result.error == (
        'failed to pull and unpack image "docker.io/library/nginxx:latest": failed to resolve '
        'reference "docker.io/library/nginxx:latest": pull access denied, repository does not '
        "exist or may require authorization: server message: insufficient_scope: "
        "authorization failed"
    )


def test_pull_of_an_unknown_tag_is_not_found_with_rpc_prefix() -> None:
    result = pull(CATALOG, "nginx:1.999")
    assert not result.ok
    assert result.error == (
        'rpc error: code = NotFound desc = failed to pull and unpack image "docker.io/library/'
        'nginx:1.999": failed to resolve reference "docker.io/library/nginx:1.999": '
        "docker.io/library/nginx:1.999: not found"
    )


def test_pull_from_another_registry_uses_its_host() -> None:
    result = pull(CATALOG, "myreg.io:5000/team/app:v1")
    assert result.error == (
        'failed to pull and unpack image "myreg.io:5000/team/app:v1": failed to resolve '
        'reference "myreg.io:5000/team/app:v1": pull access denied, repository does not exist '
        "or may require authorization: server message: insufficient_scope: authorization failed"
    )


def test_agnhost_has_no_latest_tag() -> None:
    assert not pull(CATALOG, "registry.k8s.io/e2e-test-images/agnhost").ok
    assert pull(CATALOG, "registry.k8s.io/e2e-test-images/agnhost:2.40").ok


def test_pull_by_digest() -> None:
    digest = image_digest("docker.io/library/redis", "7.4")
    result = pull(CATALOG, f"redis@{digest}")
    assert result.ok
    assert result.image_id == f"docker.io/library/redis@{digest}"
    assert result.spec is not None and result.spec.env_dict()["REDIS_VERSION"] == "7.4.6"
    missing = pull(CATALOG, "redis@sha256:" + "0" * 64)
    assert missing.error.startswith("rpc error: code = NotFound desc = ")
    assert missing.error.endswith(f"docker.io/library/redis@sha256:{'0' * 64}: not found")


def test_pull_of_an_invalid_name_is_flagged_invalid() -> None:
    result = pull(CATALOG, "Nginx")
    assert not result.ok and result.invalid and result.reason == "InvalidImageName"
    assert result.error.startswith('Failed to apply default image tag "Nginx": ')
    assert result.normalized == "Nginx"


def test_wildcard_tags_accept_anything() -> None:
    catalog = CATALOG.merged({"acme/app": {"tags": ["*"], "cmd": ["sh"]}})
    assert pull(catalog, "acme/app:whatever-1").ok
    assert pull(catalog, "acme/app@sha256:" + "c" * 64).ok


@given(st.text(max_size=40))
def test_parsing_never_crashes(text: str) -> None:
    try:
        ref = parse_reference(text)
    except InvalidImageName as exc:
        assert str(exc).startswith("Failed to apply default image tag ")
    else:
        assert ref.normalized.startswith(ref.repository)
    result = pull(CATALOG, text)
    assert result.ok or result.error
