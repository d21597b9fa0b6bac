"""``-o kyaml`` (kubectl 1.35's KYAML): the exact text is checked against real kubectl in the
generator fixtures and the side-by-side recording; here, that it is always YAML that reads
back as the same object, and the rules for bare keys."""

from __future__ import annotations

import pytest
import yaml
from hypothesis import example, given
from hypothesis import strategies as st

from k8sgame.kubectl.kyaml import to_kyaml

TEXT = st.text(
    st.characters(blacklist_categories=("Cs",), blacklist_characters="\r\x85\u2028\u2029")
)
VALUES = st.recursive(
    st.none() | st.booleans() | st.integers(-(2**53), 2**53) | TEXT,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(TEXT, inner, max_size=4),
    max_leaves=15,
)


@given(st.dictionaries(TEXT, VALUES, max_size=5), st.booleans())
# A folded line that starts with a blank written as an escape (\f) needs no extra backslash.
@example({"": "\x0c\n"}, False)
@example({"k": "\x0b\nx\n y"}, True)
def test_kyaml_reads_back_as_the_same_object(obj, sort_keys):
    assert yaml.safe_load(to_kyaml(obj, sort_keys=sort_keys)) == obj


@pytest.mark.parametrize(
    ("key", "bare"),
    [
        ("app.kubernetes.io/name", True),
        ("_u", True),
        ("run", True),
        ("-lead", False),
        ("trail-", False),
        ("yes", False),
        ("inf", False),
        ("1e3", False),
        ("0x10", False),
        ("10.5", False),
        ("2024-01-01", False),
        ("11:30", False),
        ("a b", False),
        ("", False),
    ],
)
def test_which_keys_go_without_quotes(key, bare):
    text = to_kyaml({key: "v"})
    assert text == ('---\n{\n  %s: "v",\n}\n' % (key if bare else f'"{key}"'))


def test_lists_of_maps_are_cuddled_and_strings_folded():
    text = to_kyaml({"items": [{"a": 1}, {"b": [1, "x"]}], "s": "one\n two\n"}, sort_keys=False)
    assert text == (
        "---\n{\n"
        '  items: [{\n    a: 1,\n  }, {\n    b: [\n      1,\n      "x",\n    ],\n  }],\n'
        '  s: "\\\n     one\\n\\\n    \\ two\\n\\\n    ",\n'
        "}\n"
    )
