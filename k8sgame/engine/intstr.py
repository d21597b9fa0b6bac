"""``IntOrString`` values that may be a count or a percentage (``maxSurge: 25%``), as
``apimachinery/pkg/util/intstr`` and ``pkg/apis/apps/validation`` read and check them."""

from __future__ import annotations

import math
import re
from typing import Any

from k8sgame.engine.api.names import regex_error
from k8sgame.engine.errors import FieldError, invalid

PERCENT_FMT = "[0-9]+%"
PERCENT_MSG = "a valid percent string must be a numeric string followed by an ending '%'"
_PERCENT = re.compile("^" + PERCENT_FMT + "$")


def percent_of(value: Any) -> int | None:
    """The number in a valid percent string ("25%" → 25), else None."""
    if isinstance(value, str) and _PERCENT.match(value):
        return int(value[:-1])
    return None


def scaled_value(value: Any, total: int, round_up: bool) -> int:
    """``GetScaledValueFromIntOrPercent``: an int as it is, a percentage of ``total`` rounded
    up or down, None as 0.

    Raises ValueError for a string that is not a percentage (upstream's
    ``invalid value for IntOrString: invalid type: string is not a percentage``)."""
    if value is None:
        return 0
    if isinstance(value, bool) or not isinstance(value, int | str):
        raise ValueError("invalid value for IntOrString: invalid type: neither int nor percentage")
    if isinstance(value, int):
        return value
    percent = percent_of(value)
    if percent is None:
        raise ValueError("invalid value for IntOrString: invalid type: string is not a percentage")
    exact = percent * total / 100
    return math.ceil(exact) if round_up else math.floor(exact)


def int_or_percent_value(value: Any) -> int:
    """``getIntOrPercentValue``: the number of a percentage or of an int; other strings 0."""
    percent = percent_of(value)
    if percent is not None:
        return percent
    return value if isinstance(value, int) and not isinstance(value, bool) else 0


def validate_int_or_percent(value: Any, path: str) -> list[FieldError]:
    """``ValidatePositiveIntOrPercent``: a percent string or a non-negative int."""
    if isinstance(value, str):
        if percent_of(value) is None:
            return [invalid(path, value, regex_error(PERCENT_MSG, PERCENT_FMT, "1%", "93%"))]
        return []
    if isinstance(value, int) and not isinstance(value, bool):
        if value < 0:
            return [invalid(path, value, "must be greater than or equal to 0")]
        return []
    return [invalid(path, value, "must be an integer or percentage (e.g '5%')")]


def validate_at_most_100_percent(value: Any, path: str) -> list[FieldError]:
    """``IsNotMoreThan100Percent``."""
    percent = percent_of(value)
    if percent is None or percent <= 100:
        return []
    return [invalid(path, value, "must not be greater than 100%")]
