"""Running code in a fresh interpreter to see which UI libraries it pulls in."""

import subprocess
import sys

UI_ROOTS = ("textual", "rich")


def ui_modules_loaded_by(code: str) -> list[str]:
    """UI modules imported after running ``code`` in a new Python process."""
    probe = (
        f"{code}\nimport sys\n"
        f"print(','.join(sorted(n for n in sys.modules if n.split('.')[0] in {UI_ROOTS!r})))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, check=True
    )
    return [name for name in result.stdout.strip().split(",") if name]
