"""The verb registry: every verb has a handler and says what it does; commands report what
they did as data (changed, dry run, field errors), not only as text."""

from k8sgame.kubectl.session import KubectlSession
from k8sgame.kubectl.verbs import VERBS, Effect
from tests.cluster_helpers import new_cluster


def test_every_registered_verb_has_a_handler():
    assert [name for name, verb in VERBS.items() if verb.handler is None] == []


def test_a_verb_with_a_dry_run_flag_is_one_that_changes_the_cluster():
    with_dry_run = {
        name for name, verb in VERBS.items() if any(f.name == "dry-run" for f in verb.flags)
    }
    changing = {name for name, verb in VERBS.items() if verb.effect is Effect.CHANGES}
    assert with_dry_run <= changing
    assert VERBS["wait"].effect is Effect.WAITS
    assert VERBS["config use-context"].effect is Effect.CONFIGURES
    assert VERBS["get"].effect is Effect.READS


def test_results_say_whether_the_cluster_changed_and_where_a_write_was_invalid():
    session = KubectlSession(new_cluster())
    dry = session.run("run web --image=nginx --dry-run=server")
    assert (dry.exit_code, dry.changed, dry.dry_run) == (0, False, True)
    made = session.run("run web --image=nginx")
    assert (made.changed, made.dry_run) == (True, False)
    assert session.run("get pods").changed is False
    bad = session.run("run bad --image=nginx --restart=Sometimes")
    assert bad.exit_code == 1 and bad.changed is False
    invalid = session.run(["patch", "pod", "web", "-p", '{"spec":{"activeDeadlineSeconds":-5}}'])
    assert (invalid.exit_code, invalid.changed) == (1, False)
    assert [e.path for e in invalid.field_errors] == ["spec.activeDeadlineSeconds"]
