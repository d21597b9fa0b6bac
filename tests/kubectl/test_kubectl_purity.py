"""The kubectl box parses and prints only: no UI toolkit, no wall clock, no global random.
Files come in through an injected source (``files.py`` is the one module that reads a
directory, for the sandbox) and shipped text through ``assets/``."""

from pathlib import Path

from purity_helpers import imports

KUBECTL = Path(__file__).resolve().parents[2] / "k8sgame" / "kubectl"
FORBIDDEN = {"textual", "rich", "time", "random", "sqlite3", "socket", "subprocess", "os"}
FILE_READERS = {"files.py"}


def test_kubectl_modules_import_no_ui_clock_or_randomness():
    files = sorted(KUBECTL.rglob("*.py"))
    assert len(files) > 20
    problems = []
    for path in files:
        for _, name in imports(path):
            root = name.split(".")[0]
            if root in FORBIDDEN or (root == "pathlib" and path.name not in FILE_READERS):
                problems.append(f"{path.relative_to(KUBECTL)}: imports {name}")
    assert problems == []


def test_no_wall_clock_calls():
    for path in sorted(KUBECTL.rglob("*.py")):
        text = path.read_text(encoding="utf-8")
        assert "datetime.now(" not in text and "time.time(" not in text, path.name
