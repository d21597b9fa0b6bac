"""Resource quantities (``500m``, ``1.5``, ``128Mi``, ``1e3``) as exact numbers.

Follows ``apimachinery/pkg/api/resource/quantity.go``: binary suffixes Ki..Ei, decimal
suffixes n u m "" k M G T P E, and decimal exponents. Values are kept as ``Fraction`` so
``0.1`` cpu is exactly 100 millicores.
"""

from __future__ import annotations

import math
import re
from fractions import Fraction
from functools import lru_cache

# The pattern the API server quotes when a quantity does not parse (quantity.go).
QUANTITY_PATTERN = r"^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$"
QUANTITY_ERROR = f"quantities must match the regular expression '{QUANTITY_PATTERN}'"

_SUFFIXES: dict[str, Fraction] = {
    "": Fraction(1),
    "n": Fraction(1, 10**9),
    "u": Fraction(1, 10**6),
    "m": Fraction(1, 1000),
    "k": Fraction(10**3),
    "M": Fraction(10**6),
    "G": Fraction(10**9),
    "T": Fraction(10**12),
    "P": Fraction(10**15),
    "E": Fraction(10**18),
    "Ki": Fraction(2**10),
    "Mi": Fraction(2**20),
    "Gi": Fraction(2**30),
    "Ti": Fraction(2**40),
    "Pi": Fraction(2**50),
    "Ei": Fraction(2**60),
}
_FULL = re.compile(
    r"^([+-]?)([0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:([eE][+-]?[0-9]+)|(Ki|Mi|Gi|Ti|Pi|Ei|[numkMGTPE])?)$"
)


class QuantityError(ValueError):
    """A string that is not a Kubernetes quantity."""


def parse_quantity(value: object) -> Fraction:
    """Parse a quantity given as a string or number; raises QuantityError."""
    if isinstance(value, str):
        return _parse_text(value)
    if isinstance(value, bool):
        raise QuantityError(QUANTITY_ERROR)
    if isinstance(value, int):
        return Fraction(value)
    if isinstance(value, float):
        if not math.isfinite(value):
            raise QuantityError(QUANTITY_ERROR)
        return Fraction(str(value))
    raise QuantityError(QUANTITY_ERROR)


@lru_cache(maxsize=4096)
def _parse_text(value: str) -> Fraction:
    # Manifests repeat the same few quantities ("100m", "128Mi") many times over.
    match = _FULL.match(value.strip())
    if not match:
        raise QuantityError(QUANTITY_ERROR)
    sign, number, exponent, suffix = match.groups()
    amount = Fraction(number)
    if exponent:
        amount *= Fraction(10) ** int(exponent[1:])
    elif suffix:
        amount *= _SUFFIXES[suffix]
    return -amount if sign == "-" else amount


def is_quantity(value: object) -> bool:
    try:
        parse_quantity(value)
    except QuantityError:
        return False
    return True


def cpu_millis(value: object) -> int:
    """CPU in millicores, rounded up as ``Quantity.MilliValue`` does."""
    return math.ceil(parse_quantity(value) * 1000)


def memory_bytes(value: object) -> int:
    """Memory (or any integer resource) in bytes, rounded up as ``Quantity.Value`` does."""
    return math.ceil(parse_quantity(value))


def resource_amount(resource: str, value: object) -> int:
    """Integer amount in the unit the scheduler compares: millicores for cpu, else units."""
    return cpu_millis(value) if resource == "cpu" else memory_bytes(value)
