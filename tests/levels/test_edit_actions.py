"""``kubectl edit`` through the game's editor: a saved edit changes the cluster, counts against
par, lands in the log, and replays to the same cluster."""

from k8sgame.kubectl.result import Result
from k8sgame.levels.checker import finish
from k8sgame.levels.pack import find_level
from k8sgame.levels.play import Action, LevelRun, replay


def _edit_image(run: LevelRun, image: str) -> Result:
    edit = run.open_edit("pod/shop")
    assert not isinstance(edit, Result), edit
    assert edit.text.startswith("# Please edit the object below.")
    return run.save_edit(
        "pod/shop", edit.text, edit.text.replace("image: ngnix:1.27", f"image: {image}")
    )


def test_an_edit_saved_in_the_editor_fixes_the_image_typo_and_replays():
    level = find_level("image-typo")
    run = LevelRun(level, seed=3)
    run.advance(5)
    result = _edit_image(run, "nginx:1.27")
    assert (result.exit_code, result.stdout) == (0, "pod/shop edited\n")
    assert (run.tally.commands, run.tally.changes) == (1, 1)
    assert run.log[-1].kind == "edit" and run.log[-1].name == "pod/shop"
    # The save file holds plain data; read back, it replays to the same cluster.
    log = [Action.from_data(action.to_data()) for action in run.log]
    assert log == run.log
    copy = replay(level, 3, log, until=run.cluster.now)
    assert copy.cluster.dump_state() == run.cluster.dump_state()
    assert finish(run).won


def test_an_unchanged_edit_is_cancelled_and_not_counted_as_a_change():
    run = LevelRun(find_level("image-typo"), seed=0)
    edit = run.open_edit("pod/shop")
    result = run.save_edit("pod/shop", edit.text, edit.text)
    assert result.stderr == "Edit cancelled, no changes made.\n"
    assert run.tally.changes == 0


def test_editing_what_does_not_exist_gets_kubectls_error():
    run = LevelRun(find_level("image-typo"), seed=0)
    result = run.open_edit("pod/nope")
    assert isinstance(result, Result)
    assert result.stderr == 'Error from server (NotFound): pods "nope" not found\n'


def test_a_forbidden_edit_is_refused_with_the_api_servers_words():
    run = LevelRun(find_level("image-typo"), seed=0)
    edit = run.open_edit("pod/shop")
    result = run.save_edit(
        "pod/shop", edit.text, edit.text.replace("restartPolicy: Always", "restartPolicy: Never")
    )
    assert result.exit_code == 1
    assert result.stderr.startswith(
        'The Pod "shop" is invalid: spec: Forbidden: pod updates may not change fields'
    )
    assert run.tally.changes == 0
