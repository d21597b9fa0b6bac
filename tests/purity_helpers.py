"""What a box imports: the modules a fresh interpreter has loaded after running some code, and
the modules each source file names in its import statements."""

import ast
import subprocess
import sys
from pathlib import Path

UI_ROOTS = ("textual", "rich")


def modules_loaded_by(code: str, prefixes: tuple[str, ...]) -> list[str]:
    """Modules whose dotted name is one of ``prefixes`` or lies below one, imported after
    running ``code`` in a new Python process."""
    probe = (
        f"{code}\nimport sys\n"
        f"print(','.join(sorted(n for n in sys.modules if n in {prefixes!r} "
        f"or n.startswith(tuple(p + '.' for p in {prefixes!r})))))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, check=True
    )
    return [name for name in result.stdout.strip().split(",") if name]


def ui_modules_loaded_by(code: str) -> list[str]:
    """UI modules imported after running ``code`` in a new Python process."""
    return modules_loaded_by(code, UI_ROOTS)


def imports(path: Path) -> list[tuple[ast.stmt, str]]:
    """Each import statement of a source file with every module name it brings in."""
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found.extend((node, alias.name) for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            found.append((node, node.module or ""))
    return found
