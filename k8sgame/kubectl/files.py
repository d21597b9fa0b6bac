"""Where ``-f`` reads manifests from: injected by the caller (the sandbox reads files next to
its script; the game reads its own), so the kubectl box itself touches no disk."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from k8sgame.kubectl.errors import KubectlError

FileSource = Callable[[str], list[tuple[str, str]]]


def directory_source(base: Path) -> FileSource:
    """``-f PATH`` relative to ``base``: a file, or every .yaml/.yml/.json file of a directory."""

    def read(path: str) -> list[tuple[str, str]]:
        target = (base / path).resolve()
        if target.is_dir():
            files = sorted(p for p in target.iterdir() if p.suffix in (".yaml", ".yml", ".json"))
        elif target.is_file():
            files = [target]
        else:
            raise KubectlError(f'the path "{path}" does not exist')
        found = []
        for file in files:
            try:
                found.append(
                    (
                        path if file == target else f"{path.rstrip('/')}/{file.name}",
                        file.read_text(encoding="utf-8"),
                    )
                )
            except (OSError, UnicodeDecodeError) as exc:
                raise KubectlError(f'error reading "{path}": {exc}') from None
        return found

    return read


def no_files(path: str) -> list[tuple[str, str]]:
    raise KubectlError(f'the path "{path}" does not exist')
