"""The image catalog: the shipped file loads, bad data fails with a precise message, levels
can override and extend it."""

from __future__ import annotations

import copy
from pathlib import Path

import pytest
import yaml

from k8sgame.assets import assets_dir
from k8sgame.catalog_loader import load_catalog_file, load_default_catalog
from k8sgame.engine.images.catalog import Catalog, CatalogError
from k8sgame.engine.images.catalog_parser import parse_catalog
from k8sgame.engine.images.reference import pull

REQUIRED_IMAGES = [
    "nginx",
    "httpd",
    "redis",
    "postgres",
    "mysql",
    "busybox",
    "alpine",
    "k8sgame/demo-web",
]
DEMO_KNOBS = [
    "PORT",
    "HEALTH_PATH",
    "READY_PATH",
    "STARTUP_SECONDS",
    "FAIL_HEALTH_AFTER",
    "MEMORY_MB",
    "LEAK_MB_PER_MINUTE",
    "EXIT_AFTER",
    "EXIT_CODE",
    "REQUIRED_ENV",
]


def minimal(**image: object) -> dict[str, object]:
    body = {"tags": ["latest"], "size_bytes": 10, "cmd": ["/app"]}
    body.update(image)
    return {"images": {"web": body}}


def error_of(data: object) -> str:
    with pytest.raises(CatalogError) as info:
        parse_catalog(data)
    return str(info.value)


# -- the shipped catalog -----------------------------------------------------------------------


def test_the_default_catalog_loads_and_is_cached() -> None:
    catalog = load_default_catalog()
    assert isinstance(catalog, Catalog)
    assert load_default_catalog() is catalog
    for name in REQUIRED_IMAGES:
        assert catalog.lookup(name) is not None, name


def test_every_tag_of_every_shipped_image_resolves() -> None:
    catalog = load_default_catalog()
    for entry in catalog.entries:
        # agnhost and the ingress-nginx controller publish no latest tag.
        no_latest = entry.name.endswith(("agnhost", "ingress-nginx/controller"))
        assert "latest" in entry.base.tags or no_latest, entry.name
        for tag in entry.literal_tags:
            spec = entry.spec_for_tag(tag)
            assert spec is not None
            assert spec.size_bytes > 0, f"{entry.name}:{tag}"
            assert spec.pull_seconds > 0
            result = pull(catalog, f"{entry.name}:{tag}")
            assert result.ok, result.error


def test_shipped_images_are_faithful_to_the_real_ones() -> None:
    catalog = load_default_catalog()
    nginx = catalog.image_for("nginx")
    assert nginx is not None
    assert nginx.stop_signal == "SIGQUIT"
    assert nginx.entrypoint == ("/docker-entrypoint.sh",)
    assert nginx.cmd == ("nginx", "-g", "daemon off;")
    assert "nginx" in nginx.binaries
    assert (nginx.shell, nginx.bash, nginx.utilities) == ("dash", True, "gnu")
    httpd = catalog.image_for("httpd:2.4")
    assert httpd is not None and httpd.stop_signal == "SIGWINCH"
    assert catalog.image_for("postgres").stop_signal == "SIGINT"  # type: ignore[union-attr]
    redis = catalog.image_for("redis")
    assert redis is not None and "redis-server" in redis.binaries
    busybox = catalog.image_for("busybox")
    assert busybox is not None and busybox.cmd == ("sh",) and busybox.entrypoint is None
    assert busybox.utilities == "busybox" and not busybox.bash
    alpine = catalog.image_for("alpine")
    assert alpine is not None and alpine.cmd == ("/bin/sh",)
    demo = catalog.image_for("k8sgame/demo-web")
    assert demo is not None and demo.shell is None and demo.utilities is None


def test_alpine_variants_change_the_userland_and_versions_stack() -> None:
    catalog = load_default_catalog()
    alpine_nginx = catalog.image_for("nginx:1.29-alpine")
    assert alpine_nginx is not None
    assert (alpine_nginx.shell, alpine_nginx.bash, alpine_nginx.utilities) == (
        "busybox",
        False,
        "busybox",
    )
    redis = catalog.image_for("redis:7.4-alpine")
    assert redis is not None
    assert redis.env_dict()["REDIS_VERSION"] == "7.4.6"
    assert redis.shell == "busybox"
    assert catalog.image_for("redis:8.2")
    assert catalog.image_for("redis:8.2").env_dict()["REDIS_VERSION"] == "8.2.2"  # type: ignore[union-attr]


def test_the_demo_app_documents_every_knob_in_the_yaml() -> None:
    text = (assets_dir() / "images.yaml").read_text(encoding="utf-8")
    demo = load_default_catalog().image_for("k8sgame/demo-web")
    assert demo is not None
    envs = {p.env for p in demo.programs[0].params}
    for knob in DEMO_KNOBS:
        assert knob in envs, knob
        assert f"# {knob}:" in text, f"{knob} has no comment in images.yaml"


def test_the_loader_names_the_file_in_errors(tmp_path: Path) -> None:
    bad = tmp_path / "images.yaml"
    bad.write_text(yaml.safe_dump(minimal(size_bytes="big")), encoding="utf-8")
    with pytest.raises(
        CatalogError, match=r'images\.yaml: image "web": size_bytes: must be an integer'
    ):
        load_catalog_file(bad)
    bad.write_text("images: [unclosed", encoding="utf-8")
    with pytest.raises(CatalogError, match="not valid YAML"):
        load_catalog_file(bad)


# -- parse errors name the image and the field ---------------------------------------------------


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (None, "catalog: must be a mapping with an images key, got null"),
        ({"images": []}, "catalog: images must be a mapping, got a list"),
        ({"images": {}, "extra": 1}, "catalog: unknown top-level key 'extra'"),
        (
            minimal(size_bytes="big"),
            "image \"web\": size_bytes: must be an integer, got the string 'big'",
        ),
        (minimal(size_bytes=-1), 'image "web": size_bytes: must be at least 0, got -1'),
        (minimal(tags=[]), 'image "web": tags: must list at least one tag'),
        (
            minimal(shell="zsh"),
            "image \"web\": shell: must be one of busybox, dash, bash, got 'zsh'",
        ),
        (minimal(colour="red"), 'image "web": colour: unknown field'),
        (
            minimal(utilities="gnu"),
            'image "web": utilities: an image without a shell cannot list utilities',
        ),
        (minimal(files={"etc/x": "a"}), 'image "web": files.etc/x: paths must be absolute'),
        (
            minimal(env={"BAD-NAME": "1"}),
            'image "web": env.BAD-NAME: is not a valid environment variable name',
        ),
        (
            minimal(programs=[{"paths": ["/app"], "ports": [{"port": "abc"}]}]),
            "image \"web\": programs[0].ports[0].port: must be an integer, got the string 'abc'",
        ),
        (
            minimal(programs=[{"paths": ["/app"], "ports": [{"port": 70000}]}]),
            'image "web": programs[0].ports[0].port: must be at most 65535, got 70000',
        ),
        (
            minimal(programs=[{"paths": ["/app"], "ports": [{"port": "$nope"}]}]),
            'image "web": programs[0].ports[0].port: refers to unknown parameter $nope',
        ),
        (
            minimal(programs=[{"paths": ["app"]}]),
            "image \"web\": programs[0].paths[0]: must be an absolute path, got 'app'",
        ),
        (
            minimal(programs=[{"paths": ["/app"], "logs": [{"text": "{{bogus}}"}]}]),
            'image "web": programs[0].logs[0].text: unknown placeholder {{bogus}}',
        ),
        (
            minimal(programs=[{"paths": ["/app"], "logs": [{"text": "{{time:iso8601}}"}]}]),
            'image "web": programs[0].logs[0].text: unknown time format in {{time:iso8601}}',
        ),
        (
            minimal(programs=[{"paths": ["/app"], "logs": [{"at": "soon", "text": "x"}]}]),
            "image \"web\": programs[0].logs[0].at: must be a number, got the string 'soon'",
        ),
        (
            minimal(programs=[{"paths": ["/app"], "requires": [{"exit_code": 1}]}]),
            'image "web": programs[0].requires[0]: needs exactly one of env, env_each, file, file_each, arg',
        ),
        (
            minimal(programs=[{"paths": ["/app"], "params": {"Port": {"type": "int"}}}]),
            'image "web": programs[0].params.Port: parameter names are lowercase',
        ),
        (
            minimal(
                programs=[{"paths": ["/app"], "params": {"p": {"type": "int", "default": "x"}}}]
            ),
            'image "web": programs[0].params.p.default: must be an integer',
        ),
        (
            minimal(
                programs=[
                    {
                        "paths": ["/app"],
                        "ports": [{"port": 80, "routes": [{"path": "/", "status": 999}]}],
                    }
                ]
            ),
            'image "web": programs[0].ports[0].routes[0].status: must be at most 599, got 999',
        ),
        (
            minimal(variants=[{"tags": ["x"], "size_bytes": "big"}]),
            'image "web": variants[0]: size_bytes: must be an integer',
        ),
        (
            minimal(variants=[{"size_bytes": 1}]),
            'image "web": variants[0]: missing required field tags',
        ),
        (minimal(extends="ghost"), "image \"web\": extends: no image named 'ghost' in the catalog"),
        ({"images": {"Web": {"tags": ["latest"]}}}, 'image "Web": not a valid repository name'),
        ({"images": {"web": None}}, 'image "web": must be a mapping, got null'),
    ],
)
def test_bad_data_names_the_image_and_field(data: object, message: str) -> None:
    assert message in error_of(data)


def test_circular_extends_is_reported() -> None:
    message = error_of({"images": {"a": {"extends": "b"}, "b": {"extends": "a"}}})
    assert "circular extends" in message


def test_two_names_for_one_repository_are_rejected() -> None:
    message = error_of({"images": {"nginx": {}, "docker.io/library/nginx": {}}})
    assert "same repository" in message


# -- level overrides ---------------------------------------------------------------------------


def test_merged_overrides_fields_adds_and_removes_images() -> None:
    base = load_default_catalog()
    merged = base.merged(
        {
            "nginx": {"size_bytes": 123, "tags": ["latest", "9.9"]},
            "acme/shop": {"extends": "k8sgame/demo-web", "tags": ["v1"]},
            "alpine": None,
        }
    )
    assert merged.image_for("nginx").size_bytes == 123  # type: ignore[union-attr]
    assert merged.image_for("nginx:9.9") is not None
    assert merged.image_for("nginx:1.29") is None
    shop = merged.image_for("acme/shop:v1")
    assert shop is not None and shop.repository == "docker.io/acme/shop"
    assert shop.programs == base.image_for("k8sgame/demo-web").programs  # type: ignore[union-attr]
    assert merged.lookup("alpine") is None
    # The base catalog is untouched.
    assert base.image_for("nginx").size_bytes != 123  # type: ignore[union-attr]
    assert base.lookup("alpine") is not None


def test_merged_reports_bad_override_with_image_and_field() -> None:
    with pytest.raises(CatalogError, match='image "nginx": stop_signal: must be one of'):
        load_default_catalog().merged({"nginx": {"stop_signal": "SIGFOO"}})


def test_merged_with_a_full_repository_name_hits_the_same_image() -> None:
    merged = load_default_catalog().merged({"docker.io/library/redis": {"pull_seconds": 9.5}})
    assert merged.image_for("redis").pull_seconds == 9.5  # type: ignore[union-attr]


def test_parse_does_not_keep_references_to_the_input() -> None:
    data = minimal()
    catalog = parse_catalog(data)
    snapshot = copy.deepcopy(data)
    data["images"]["web"]["size_bytes"] = 99  # type: ignore[index]
    assert catalog.image_for("web").size_bytes == snapshot["images"]["web"]["size_bytes"]  # type: ignore[union-attr,index]
