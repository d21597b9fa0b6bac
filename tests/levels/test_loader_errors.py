"""A broken level file is refused with file:line:column and a plain message, never a
traceback: bad YAML, schema errors, unknown predicates, code-like tags, paths outside the
pack, duplicate ids. hypothesis throws random text and random mutations at the loader."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from k8sgame.levels.loader import LevelError, load_level, load_level_text
from k8sgame.levels.pack import default_pack_dir, load_pack

GOOD = (default_pack_dir() / "pods" / "image-typo.yaml").read_text(encoding="utf-8")


def _errors(text: str, source: str = "<text>", **kwargs) -> list[str]:
    with pytest.raises(LevelError) as caught:
        load_level_text(text, source, **kwargs)
    return [str(d) for d in caught.value.diagnostics]


def _replace(old: str, new: str) -> str:
    assert old in GOOD
    return GOOD.replace(old, new, 1)


def _line_of(text: str, needle: str) -> int:
    return next(i for i, line in enumerate(text.splitlines(), 1) if needle in line)


def test_good_level_loads():
    level = load_level_text(GOOD, "<text>")
    assert level.id == "image-typo"
    assert level.title.ko == "글자 하나 차이"


def test_bad_yaml_names_the_line():
    text = _replace("difficulty: 1", "difficulty: [1")
    (message,) = _errors(text)
    assert message.startswith("<text>:")
    assert "not valid YAML" in message


def test_unknown_field_points_at_the_key():
    text = _replace("estimated_minutes: 6", "estimated_minutes: 6\nestimated_minuets: 6")
    (message,) = _errors(text)
    line = _line_of(text, "estimated_minuets")
    assert message.startswith(f"<text>:{line}:1: ")
    assert 'unknown field "estimated_minuets"' in message


def test_missing_korean_is_reported_where_the_text_is():
    text = _replace('  ko: "글자 하나 차이"\n', "")
    (message,) = _errors(text)
    assert f":{_line_of(text, 'title:')}:" in message or 'title: missing "ko" text' in message
    assert 'missing "ko" text' in message


def test_unknown_predicate_lists_the_known_ones():
    text = _replace("pod_ready: {name: shop, for: 30s}", "pod_redy: {name: shop}")
    (message,) = _errors(text)
    assert f":{_line_of(text, 'pod_redy')}:" in message
    assert 'goal[0].check.pod_redy: unknown predicate "pod_redy"' in message
    assert "pod_ready" in message


def test_bad_predicate_parameters():
    text = _replace("pod_ready: {name: shop, for: 30s}", "pod_ready: {name: shop, for: soon}")
    (message,) = _errors(text)
    assert "goal[0].check.pod_ready.for: must be a duration" in message


def test_python_tags_are_refused():
    text = _replace("difficulty: 1", "difficulty: !!python/object/apply:os.system [echo hi]")
    (message,) = _errors(text)
    assert f":{_line_of(text, 'python/object')}:" in message
    assert "!!python/object/apply:os.system is not allowed" in message


def test_aliases_are_refused():
    text = _replace("difficulty: 1", "difficulty: &d 1\nx-copy: *d")
    assert any("aliases" in m for m in _errors(text))


def test_unknown_concept_and_dangling_wrong_answer():
    text = _replace("concepts: [image-pull-errors,", "concepts: [image-pul-errors,")
    text = text.replace("fails: shop-ready", "fails: shop-redy")
    messages = _errors(text)
    assert any('unknown concept id "image-pul-errors"' in m for m in messages)
    assert any('no goal line or choice has the id "shop-redy"' in m for m in messages)


def test_manifest_rejected_by_the_api_server_names_the_manifest():
    text = _replace(
        "name: shop\n        labels: {app: shop}", "name: Shop_1\n        labels: {app: shop}"
    )
    (message,) = _errors(text)
    assert "cluster.manifests[0]" in message
    assert "Shop_1" in message


def test_a_setup_step_kubectl_refuses_names_the_step_and_says_why():
    text = _replace(
        "  warmup: 75s\n",
        "  steps:\n    - after: 10s\n      kubectl: get pods\n"
        "    - kubectl: rollout undo deployment/shop\n  warmup: 75s\n",
    )
    (message,) = _errors(text)
    assert message.endswith(
        'cluster.steps[1].kubectl: Error from server (NotFound): deployments.apps "shop" not found'
    )


def test_file_reference_outside_the_pack_is_refused(tmp_path: Path):
    pack = tmp_path / "pack"
    (pack / "pods").mkdir(parents=True)
    (tmp_path / "secret.yaml").write_text("kind: Secret\n", encoding="utf-8")
    text = _replace("  shop.yaml: |\n", "  leak.yaml: {path: ../../secret.yaml}\n  shop.yaml: |\n")
    file = pack / "pods" / "image-typo.yaml"
    file.write_text(text, encoding="utf-8")
    with pytest.raises(LevelError) as caught:
        load_level(file, pack)
    (message,) = [str(d) for d in caught.value.diagnostics]
    assert message.startswith(f"{file}:{_line_of(text, 'leak.yaml')}:")
    assert "is outside the level pack" in message


def test_file_reference_inside_the_pack_is_read(tmp_path: Path):
    pack = tmp_path / "pack"
    (pack / "pods" / "files").mkdir(parents=True)
    (pack / "pods" / "files" / "shop.yaml").write_text("apiVersion: v1\n", encoding="utf-8")
    text = _replace("  shop.yaml: |\n", "  extra.yaml: {path: files/shop.yaml}\n  shop.yaml: |\n")
    file = pack / "pods" / "image-typo.yaml"
    file.write_text(text, encoding="utf-8")
    assert load_level(file, pack).files["extra.yaml"] == "apiVersion: v1\n"


def test_player_file_names_may_not_climb_out():
    text = _replace("  shop.yaml: |\n", "  ../shop.yaml: |\n")
    assert any("not a valid name" in m for m in _errors(text))


def test_duplicate_ids_across_a_pack(tmp_path: Path):
    pack = tmp_path / "pack"
    (pack / "pods").mkdir(parents=True)
    (pack / "chapters.yaml").write_text(
        (default_pack_dir() / "chapters.yaml").read_text(encoding="utf-8"), encoding="utf-8"
    )
    (pack / "pods" / "image-typo.yaml").write_text(GOOD, encoding="utf-8")
    (pack / "pods" / "image-typo-copy.yaml").write_text(
        GOOD.replace("id: image-typo", "id: image-typo-copy"), encoding="utf-8"
    )
    with pytest.raises(LevelError) as caught:
        load_pack(pack, try_start=False)
    messages = [str(d) for d in caught.value.diagnostics]
    assert any("order 2 is also used" in m for m in messages)


def test_file_name_and_directory_must_match(tmp_path: Path):
    (tmp_path / "jobs").mkdir()
    file = tmp_path / "jobs" / "typo.yaml"
    file.write_text(GOOD, encoding="utf-8")
    with pytest.raises(LevelError) as caught:
        load_level(file, tmp_path)
    messages = [str(d) for d in caught.value.diagnostics]
    assert any('must match the file name "typo.yaml"' in m for m in messages)
    assert any('must match the directory "jobs"' in m for m in messages)


def test_not_utf8(tmp_path: Path):
    (tmp_path / "pods").mkdir()
    file = tmp_path / "pods" / "x.yaml"
    file.write_bytes(b"id: x\ntitle: \xff\n")
    with pytest.raises(LevelError) as caught:
        load_level(file, tmp_path)
    assert str(caught.value) == f"{file}:2:1: not UTF-8 text"


@settings(max_examples=150)
@given(st.text(max_size=400))
def test_random_text_never_crashes_the_loader(text):
    try:
        load_level_text(text, "<fuzz>", try_start=False)
    except LevelError as error:
        assert error.diagnostics
        assert all(str(d).startswith("<fuzz>") for d in error.diagnostics)


DATA = yaml.safe_load(GOOD)
PATHS: list[tuple] = []


def _collect(value, path=()):
    PATHS.append(path)
    if isinstance(value, dict):
        for key, item in value.items():
            _collect(item, (*path, key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            _collect(item, (*path, index))


_collect(DATA)
JUNK = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-5, 10**6),
    st.text(max_size=20),
    st.lists(st.text(max_size=5), max_size=3),
    st.dictionaries(st.text(max_size=8), st.integers(), max_size=3),
)


def _set(data, path, value):
    if not path:
        return value
    import copy

    data = copy.deepcopy(data)
    target = data
    for part in path[:-1]:
        target = target[part]
    target[path[-1]] = value
    return data


@settings(max_examples=150)
@given(st.sampled_from(PATHS), JUNK)
def test_random_mutations_of_a_good_level_never_crash(path, value):
    text = yaml.safe_dump(_set(DATA, path, value), allow_unicode=True, sort_keys=False)
    try:
        load_level_text(text, "<fuzz>", try_start=True)
    except LevelError as error:
        assert error.diagnostics
        for diagnostic in error.diagnostics:
            assert str(diagnostic).startswith("<fuzz>")


def test_a_setup_step_reads_the_levels_working_directory():
    text = _replace(
        "  warmup: 75s\n",
        "  steps:\n    - kubectl: apply -f shop.yaml --dry-run=server\n"
        "    - kubectl: apply -f missing.yaml\n  warmup: 75s\n",
    )
    (message,) = _errors(text)
    # The first step found shop.yaml; the second names the file kubectl cannot find.
    assert message.endswith(
        'cluster.steps[1].kubectl: error: the path "missing.yaml" does not exist'
    )


def test_an_outside_host_that_is_no_address_is_refused():
    text = _replace(
        "  warmup: 75s\n", "  warmup: 75s\n  network: {outsideHosts: {shop.example: nope}}\n"
    )
    (message,) = _errors(text)
    assert message.endswith(
        "cluster.network.outsideHosts.shop.example: 'nope' is not an IPv4 address"
    )
