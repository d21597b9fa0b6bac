"""kubectl -o jsonpath / jsonpath-as-json against outputs recorded from the real kubectl
v1.32.4 (client-go jsonpath is unchanged in 1.35) run against a fake API server serving the
objects in fixtures/kubectl_v1_32_jsonpath.json. Where Go's random map order shows (``..``),
the recorded output is one kubectl printed that uses sorted key order, as we do."""

import json
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from k8sgame.kubectl import gofmt
from k8sgame.kubectl.jsonpath import (
    JsonPathError,
    list_object,
    parse,
    print_template,
    relaxed_expression,
)

RECORDED = json.loads(
    (Path(__file__).parent / "fixtures" / "kubectl_v1_32_jsonpath.json").read_text()
)


def _data(resource: str, name: str) -> object:
    items = RECORDED["objects"][resource]
    if name != "-":
        return next(o for o in items if o["metadata"]["name"] == name)
    return list_object(items)


def _run(template: str, data: object) -> tuple[str, str]:
    output, _, body = template.partition("=")
    try:
        return print_template(body, data, as_json=output == "jsonpath-as-json"), ""
    except JsonPathError as error:
        return "", error.render()


@pytest.mark.parametrize(
    ("resource", "name", "template", "stdout", "stderr"),
    [tuple(case) for case in RECORDED["cases"]],
    ids=[case[2][:60] for case in RECORDED["cases"]],
)
def test_matches_recorded_kubectl(resource, name, template, stdout, stderr):
    assert _run(template, _data(resource, name)) == (stdout, stderr)


POD = _data("pods", "web-2")


def test_range_with_literal_text():
    # kubectl v1.32.4: get pods -o jsonpath='{range .items[*]}{.metadata.name}{"\t"}{.status.phase}{"\n"}{end}'
    out = print_template(
        '{range .items[*]}{.metadata.name}{"\\t"}{.status.phase}{"\\n"}{end}', _data("pods", "-")
    )
    assert out == "web-2\tRunning\napi-10\tPending\ndb-9\tRunning\n"


def test_maps_print_as_compact_sorted_json_and_strings_raw():
    assert parse("{.metadata.labels}").render(POD) == '{"app":"web","tier":"front"}'
    assert parse("{.metadata.name} {.spec.priority}").render(POD) == "web-2 5"


def test_parse_error_message_is_kubectls():
    # kubectl v1.32.4: error: error parsing jsonpath {.a, unclosed, unrecognized character ...
    with pytest.raises(JsonPathError) as caught:
        print_template("{.a, unclosed", POD)
    assert caught.value.render() == (
        "error: error parsing jsonpath {.a, unclosed, unrecognized character in action: U+002C ','\n"
    )


@pytest.mark.parametrize(
    ("template", "message"),
    [
        ("{.a", "unclosed action"),
        ("{.a[0}", "unterminated array"),
        ('{"abc}', "unterminated quoted string"),
        ("{.a[?(@.b}", "unterminated filter"),
        ("{.a[?(@.b)}", "unclosed array expect ]"),
        ("{.a[x]}", "invalid array index x"),
        ("{....a}", "invalid multiple recursive descent"),
        ("{1.2.3}", "cannot parse number 1.2.3"),
        ("{.a\t}", "unrecognized character in action: U+0009"),
    ],
)
def test_parse_errors(template, message):
    with pytest.raises(JsonPathError) as caught:
        parse(template)
    assert caught.value.message == message


def test_missing_keys_print_nothing_unless_disallowed():
    assert parse("{.nope.deeper}").render(POD) == ""
    with pytest.raises(JsonPathError, match="nope is not found"):
        parse("{.nope}").render(POD, allow_missing=False)


def test_jsonpath_as_json_indents_each_part():
    assert print_template("{.metadata.name}", POD, as_json=True) == '[\n    "web-2"\n]\n'


def test_empty_template_error():
    with pytest.raises(JsonPathError, match=r"^template format specified but no template given$"):
        print_template("", POD)


def test_relaxed_expression_forms():
    for form in ("metadata.name", ".metadata.name", "{metadata.name}", "{.metadata.name}"):
        assert relaxed_expression(form) == "{.metadata.name}"
    assert relaxed_expression("") == ""
    with pytest.raises(JsonPathError, match="unexpected path string"):
        relaxed_expression("{.a}{.b}")


def test_go_float_formats():
    # kubectl v1.32.4 custom-columns / jsonpath of 1e6, 1.5e-7 and 1e20 float64 values.
    assert [gofmt.float_v(v) for v in (1e6, 1.5e-7, 1e20, 123456.0)] == [
        "1e+06",
        "1.5e-07",
        "1e+20",
        "123456",
    ]
    assert [gofmt.float_json(v) for v in (1e6, 1.5e-7, 1e21)] == ["1000000", "1.5e-7", "1e+21"]


_ALPHABET = st.sampled_from(list("{}[]().,*@$?'\"\\:=!<>-+0123456789 \tabrange\n"))


@settings(max_examples=400, deadline=None)
@given(st.lists(_ALPHABET, max_size=30).map("".join))
def test_random_templates_only_raise_jsonpath_errors(template):
    try:
        path = parse(template)
    except JsonPathError:
        return
    for data in (POD, _data("pods", "-"), None, [1, "a"], "text"):
        try:
            path.render(data)
            path.render(data, allow_missing=False, as_json=True)
        except JsonPathError:
            pass
