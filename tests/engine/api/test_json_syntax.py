"""The API server's words for a body that is not JSON: Go's encoding/json syntax errors."""

from __future__ import annotations

import json

import pytest
from hypothesis import given
from hypothesis import strategies as st

from k8sgame.engine.api.json_syntax import looks_like_json, syntax_error


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("{bad", "invalid character 'b' looking for beginning of object key string"),
        ('{"a":1', "unexpected end of JSON input"),
        ("", "unexpected end of JSON input"),
        ('{"a" 1}', "invalid character '1' after object key"),
        ('{"a":1 "b":2}', "invalid character '\"' after object key:value pair"),
        ("[1 2]", "invalid character '2' after array element"),
        ('{"a":tru}', "invalid character '}' in literal true (expecting 'e')"),
        ('{"a":1}}', "invalid character '}' after top-level value"),
        ("{'a':1}", "invalid character '\\'' looking for beginning of object key string"),
        ('{"a":01}', "invalid character '1' after object key:value pair"),
        ('{"a":-}', "invalid character '}' in numeric literal"),
        ('{"a":1.}', "invalid character '}' after decimal point in numeric literal"),
        ('{"a":1e}', "invalid character '}' in exponent of numeric literal"),
        ('{"a":"x\ty"}', "invalid character '\\t' in string literal"),
        ('{"a":"\\q"}', "invalid character 'q' in string escape code"),
        ('{"a":[1,2,]}', "invalid character ']' looking for beginning of value"),
    ],
)
def test_go_messages(text, message):
    assert syntax_error(text) == message


JSON = st.recursive(
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(),
    lambda inner: st.lists(inner) | st.dictionaries(st.text(), inner),
    max_leaves=12,
)


@given(JSON, st.sampled_from([None, 2]))
def test_valid_json_has_no_error(value, indent):
    assert syntax_error(json.dumps(value, indent=indent)) is None


@given(st.text(alphabet='{}[]:,"ab1 -.e\\tn', max_size=12))
def test_an_error_exactly_when_json_rejects_the_text(text):
    try:
        json.loads(text)
    except ValueError:
        valid = False
    else:
        valid = True
    assert (syntax_error(text) is None) == valid


def test_only_an_object_is_passed_through_as_json():
    assert looks_like_json('  {"a": 1}') and not looks_like_json("[1]")
