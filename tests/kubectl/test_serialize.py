"""``-o yaml`` quoting as go-yaml v2 (sigs.k8s.io/yaml) writes it: a string that would read
as another type in double quotes, one a plain scalar cannot hold in single quotes."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from k8sgame.kubectl.serialize import to_yaml
from k8sgame.manifests import load_value


def test_quoting_styles():
    assert to_yaml(
        {
            "schedule": "*/5 * * * *",
            "empty": "",
            "flag": "true",
            "number": "8080",
            "colon": "a: b",
            "dash": "- x",
            "padded": " x",
            "plain": "nginx:1.27",
            "at": "@daily",
        }
    ) == (
        "at: '@daily'\n"
        "colon: 'a: b'\n"
        "dash: '- x'\n"
        'empty: ""\n'
        'flag: "true"\n'
        'number: "8080"\n'
        "padded: ' x'\n"
        "plain: nginx:1.27\n"
        "schedule: '*/5 * * * *'\n"
    )


@given(st.text(st.characters(blacklist_categories=("Cs", "Cc")), max_size=20))
def test_every_string_reads_back_as_itself(text):
    assert load_value(to_yaml({"k": text})) == {"k": text}
