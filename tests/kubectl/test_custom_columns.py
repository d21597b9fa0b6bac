"""-o custom-columns against outputs recorded from the real kubectl v1.32.4 (customcolumn.go
is unchanged in 1.35) over the objects in fixtures/kubectl_v1_32_jsonpath.json."""

import json
from pathlib import Path

import pytest

from k8sgame.kubectl.custom_columns import Column, parse_spec, print_columns, render, rows
from k8sgame.kubectl.jsonpath import JsonPathError

OBJECTS = json.loads(
    (Path(__file__).parent / "fixtures" / "kubectl_v1_32_jsonpath.json").read_text()
)["objects"]
PODS = OBJECTS["pods"]
CONFIGMAPS = OBJECTS["configmaps"]


def test_values_joined_with_commas_maps_in_go_syntax_and_none():
    spec = (
        "NAME:.metadata.name,IMG:.spec.containers[*].image,L:.metadata.labels,"
        "R:.status.containerStatuses[0].restartCount"
    )
    assert print_columns(spec, PODS) == (
        "NAME     IMG                  L                         R\n"
        "web-2    nginx:1.25,busybox   map[app:web tier:front]   3\n"
        "api-10   api:v1               map[app:api]              0\n"
        "db-9     postgres:16          <none>                    12\n"
    )


def test_newlines_and_tabs_in_values_reshape_columns_like_go_tabwriter():
    spec = "D:.data,M:.data.multi,C:.data.ctl,X:.metadata.labels"
    assert print_columns(spec, CONFIGMAPS[:1]) == (
        "D                      M     C     X\n"
        "map[a.b:dotted ctl:t   ab^[x\\r html:<b>&</b> multi:line1\n"
        "line2]                 line1\n"
        "line2                  t     ab^[x\\r   map[app.kubernetes.io/name:x]\n"
    )


def test_floats_and_nulls_print_with_go_fmt():
    spec = "F:.x.f,G:.x.g,H:.x.h,K:.x.k,N:.x.n,E:.x.e,M:.x.m"
    assert print_columns(spec, CONFIGMAPS[1:2]) == (
        "F     G       H     K         N       E     M\n"
        "5     1e+06   0.5   1.5e-07   <nil>   []    map[]\n"
    )


def test_relaxed_paths_and_no_headers():
    spec = "N:metadata.name,E:{.metadata.name}"
    assert print_columns(spec, CONFIGMAPS, no_headers=True) == "cfg    cfg\nnums   nums\n"


def test_filter_in_column():
    spec = 'B:{.status.conditions[?(@.type=="Ready")].status}'
    assert print_columns(spec, PODS) == "B\nTrue\nFalse\n<none>\n"


@pytest.mark.parametrize(
    ("spec", "message"),
    [
        ("", "custom-columns format specified but no custom columns given"),
        ("NAME", "unexpected custom-columns spec: NAME, expected <header>:<json-path-expr>"),
        (
            "NAME:{.a}{.b}",
            "unexpected path string, expected a 'name1.name2' or '.name1.name2' or "
            "'{name1.name2}' or '{.name1.name2}'",
        ),
    ],
)
def test_spec_errors(spec, message):
    with pytest.raises(JsonPathError) as caught:
        parse_spec(spec)
    assert caught.value.message == message


def test_bad_path_prints_header_first():
    # kubectl v1.32.4: stdout "NAME   B\n", stderr "error: unterminated array\n"
    with pytest.raises(JsonPathError) as caught:
        print_columns("NAME:.a[,B:x", CONFIGMAPS)
    assert caught.value.partial_output == "NAME   B\n"
    assert caught.value.render() == "error: unterminated array\n"


def test_rows_for_the_plain_tabwriter():
    table, error = rows([Column("NAME", "{.metadata.name}")], PODS)
    assert error is None
    assert table == [["NAME"], ["web-2"], ["api-10"], ["db-9"]]
    assert render([]) == ""
