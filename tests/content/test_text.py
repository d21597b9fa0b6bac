"""The message tables (assets/levels.yaml, kubectl.yaml, ui.json): every entry in English and
Korean with the same fields, rendered through one Message for levels, kubectl notices and the
game screen."""

from __future__ import annotations

import string

import pytest
from cluster_helpers import new_cluster, pod

from k8sgame.content.text import (
    KUBECTL_NOTICES,
    MESSAGE_TABLES,
    SCREEN_WORDS,
    message,
    message_table,
    say,
)
from k8sgame.kubectl.session import KubectlSession


def _fields(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


@pytest.mark.parametrize("table", MESSAGE_TABLES)
def test_every_entry_has_both_languages_and_the_same_fields(table):
    entries = message_table(table)
    assert entries
    for key, texts in entries.items():
        assert set(texts) == {"en", "ko"}, f"{table}: {key}"
        assert texts["en"].strip() and texts["ko"].strip(), f"{table}: {key}"
        assert _fields(texts["en"]) == _fields(texts["ko"]), f"{table}: {key}"


def test_a_detail_follows_a_semicolon_unless_the_template_places_it():
    missing = message("reasons.missing", what="pod web")
    deleting = message("reasons.deleting", missing, what="pod db")
    assert deleting.render("en") == "pod db is being deleted; pod web does not exist"
    assert deleting.render("ko") == "pod db이(가) 삭제되는 중입니다; pod web이(가) 없습니다"
    assert deleting.keys() == ("reasons.deleting", "reasons.missing")


def test_each_table_is_read_by_its_own_key():
    assert say("destinations.sandbox", "ko", table=SCREEN_WORDS) == "샌드박스"
    assert say("campaign.level", "en", table=SCREEN_WORDS, order=3, title="x") == " 3. x"
    notice = message("command_not_modelled", table=KUBECTL_NOTICES, command="debug")
    assert notice.render("en").startswith('"kubectl debug" is a real kubectl command')


def test_kubectl_prints_its_notices_in_the_players_language():
    cluster = new_cluster()
    cluster.create(pod("web", [{"name": "web", "image": "nginx"}]))
    english = KubectlSession(cluster).run("edit pod web")
    korean = KubectlSession(cluster, language="ko").run("edit pod web")
    assert english.exit_code == korean.exit_code == 1
    assert english.stderr.startswith('error: "kubectl edit" opens an editor, and the headless')
    assert korean.stderr.startswith('error: "kubectl edit"는 편집기를 여는데')
    assert korean.stderr.endswith("오브젝트를 바꾸세요\n")
