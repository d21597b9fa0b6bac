"""Label selectors: string form and LabelSelector objects."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from k8sgame.engine.labels import SelectorError, from_label_selector, parse


@pytest.mark.parametrize(
    ("text", "labels", "expected"),
    [
        ("app=web", {"app": "web"}, True),
        ("app==web", {"app": "db"}, False),
        ("app!=web", {}, True),
        ("tier in (a,b)", {"tier": "b"}, True),
        ("tier in (a,b)", {}, False),
        ("tier notin (a,b)", {}, True),
        ("tier notin (a,b)", {"tier": "a"}, False),
        ("app", {"app": ""}, True),
        ("!app", {"app": "x"}, False),
        ("app=web,tier in (fe)", {"app": "web", "tier": "fe"}, True),
        ("app=web,tier in (fe)", {"app": "web", "tier": "be"}, False),
        ("", {"x": "y"}, True),
    ],
)
def test_string_selectors(text, labels, expected):
    assert parse(text).matches(labels) is expected


@pytest.mark.parametrize("bad", ["app in", "=web", "app=web,", "tier in ()", "a b"])
def test_bad_selector_strings_are_clean_errors(bad):
    with pytest.raises(SelectorError):
        parse(bad)


def test_label_selector_objects_and_nil_versus_empty():
    selector = from_label_selector(
        {
            "matchLabels": {"app": "web"},
            "matchExpressions": [{"key": "env", "operator": "NotIn", "values": ["prod"]}],
        }
    )
    assert selector.matches({"app": "web"})
    assert not selector.matches({"app": "web", "env": "prod"})
    assert from_label_selector({}).matches({"anything": "x"})
    assert not from_label_selector(None).matches({"anything": "x"})
    with pytest.raises(SelectorError):
        from_label_selector({"matchExpressions": [{"key": "a", "operator": "Gt", "values": ["1"]}]})


@given(st.text(max_size=40))
def test_parser_never_crashes(text):
    try:
        parse(text)
    except SelectorError:
        pass


@given(st.dictionaries(st.sampled_from(["a", "b", "c"]), st.sampled_from(["x", "y"]), max_size=3))
def test_string_and_map_forms_agree(labels):
    text = ",".join(f"{k}={v}" for k, v in sorted(labels.items()))
    assert parse(text).matches(labels)
    assert from_label_selector({"matchLabels": labels}).matches(labels)
