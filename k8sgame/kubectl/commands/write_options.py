"""Flags that every writing verb shares, as ``pkg/cmd/util/helpers.go`` reads them:
``--dry-run`` (AddDryRunFlag, GetDryRunStrategy) and ``--validate`` (AddValidateFlags,
GetValidationDirective), and the words a dry run adds to what a verb prints."""

from __future__ import annotations

from k8sgame.kubectl.errors import KubectlError
from k8sgame.kubectl.parser import FALSE_WORDS, TRUE_WORDS, Flag, Invocation

# A bare --dry-run is "unchanged" (the deprecated client mode); a bare --validate is strict.
DRY_RUN_FLAG = Flag("dry-run", default="none", optional_value="unchanged")
VALIDATE_FLAG = Flag("validate", default="strict", optional_value="strict")
FIELD_VALIDATION = {"strict": "Strict", "warn": "Warn", "ignore": "Ignore"}


def dry_run_mode(inv: Invocation) -> str:
    """``none``, ``client`` or ``server``: a bare ``--dry-run`` and the boolean words are the
    deprecated forms of ``client`` and ``none``."""
    value = inv.flag("dry-run") or "none"
    if value in ("unchanged", *TRUE_WORDS):
        return "client"
    if value in FALSE_WORDS:
        return "none"
    if value not in ("none", "client", "server"):
        raise KubectlError(
            f'Invalid dry-run value ({value}). Must be "none", "server", or "client".'
        )
    return value


def dry_run_suffix(mode: str) -> str:
    """What PrintFlagsWithDryRunStrategy adds to an operation word: `` (dry run)`` or
    `` (server dry run)``."""
    return {"client": " (dry run)", "server": " (server dry run)"}.get(mode, "")


def field_validation(inv: Invocation) -> str:
    """The API server's ``fieldValidation`` for ``--validate``: true is Strict, false Ignore."""
    value = inv.flag("validate") or "strict"
    if value in TRUE_WORDS:
        return "Strict"
    if value in FALSE_WORDS:
        return "Ignore"
    if value not in FIELD_VALIDATION:
        raise KubectlError(
            f'invalid - validate option "{value}"; must be one of: strict (or true), warn, '
            "ignore (or false)"
        )
    return FIELD_VALIDATION[value]
