"""Level prose is reflowed for the pane: authored line breaks inside a paragraph go, the
structure (paragraphs, list items, indented commands) stays."""

from hypothesis import given
from hypothesis import strategies as st

from k8sgame.content.prose import reflow
from k8sgame.levels.pack import find_level


def test_a_hard_wrapped_paragraph_becomes_one_line():
    briefing = find_level("liveness-wrong-port").briefing.get("en")
    assert reflow(briefing) == (
        "The web pod serves its page fine, yet its RESTARTS column keeps growing and now and "
        "then it shows CrashLoopBackOff. Nobody changed the app. Find out who keeps killing it "
        "and make the pod run without restarts. Keep the liveness probe: the team wants it."
    )


def test_korean_lines_join_at_the_word_boundary_the_author_broke_at():
    briefing = find_level("liveness-wrong-port").briefing.get("ko")
    assert "\n" not in reflow(briefing)
    assert "늘고, 가끔 CrashLoopBackOff가 보입니다." in reflow(briefing)


def test_paragraphs_list_items_and_indented_commands_keep_their_lines():
    text = "First line\ngoes on.\n\nSteps:\n- one\n- two\n  kubectl get pods\nAfter.\n"
    assert reflow(text) == "First line goes on.\n\nSteps:\n- one\n- two\n  kubectl get pods\nAfter."


@given(st.lists(st.text(alphabet="ab -\n", max_size=20), max_size=6))
def test_reflow_keeps_every_word_in_order(parts):
    text = "\n".join(parts)
    assert reflow(text).split() == text.split()
