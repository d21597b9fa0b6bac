"""Resource quantities as kubectl prints them, and the pod request/limit sums of
``kubectl describe node``.

``Quantity.String()`` (apimachinery ``resource/quantity.go``, ``CanonicalizeBytes``) prints
the canonical form in the quantity's format: DecimalSI (``500m``, ``1200M``), BinarySI
(``64Mi``; a value that is not a whole number of bytes, or lies strictly between -1024 and
1024, falls back to DecimalSI) or DecimalExponent (``1e3``). ``Quantity.Add`` keeps the
receiver's format unless the receiver is zero, so a sum takes the format of its first
non-zero term (``128Mi + 100M`` prints ``234217728``). Sums follow
``component-helpers/resource/helpers.go`` (``PodRequests``/``PodLimits``): containers
added in order, init containers taken as a maximum, sidecars (``restartPolicy: Always``
init containers) added, pod overhead added.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from fractions import Fraction
from typing import Any

from k8sgame.engine.kinds.pod.resources import pod_resources
from k8sgame.engine.quantity import QuantityError, parse_quantity

DECIMAL_SI, BINARY_SI, DECIMAL_EXPONENT = "DecimalSI", "BinarySI", "DecimalExponent"
_DECIMAL_SUFFIXES = {
    -9: "n",
    -6: "u",
    -3: "m",
    0: "",
    3: "k",
    6: "M",
    9: "G",
    12: "T",
    15: "P",
    18: "E",
}
_BINARY_SUFFIXES = ("", "Ki", "Mi", "Gi", "Ti", "Pi", "Ei")
# quantity.go: a suffix of "e"/"E" followed by digits is a decimal exponent ("1E" is exa).
_EXPONENT = re.compile(r"[eE][-+]?[0-9]+$")


@dataclass(frozen=True)
class Quantity:
    """An exact amount and the format ``ParseQuantity`` gave it."""

    value: Fraction = Fraction(0)
    format: str = DECIMAL_SI

    def add(self, other: Quantity) -> Quantity:
        """``Quantity.Add``: the receiver's format, or the addend's when the receiver is 0."""
        fmt = other.format if self.value == 0 else self.format
        return Quantity(self.value + other.value, fmt)

    def milli_value(self) -> int:
        """``MilliValue``: ceil(value * 1000)."""
        return _ceil(self.value * 1000)

    def int_value(self) -> int:
        """``Value``: ceil(value)."""
        return _ceil(self.value)

    def __str__(self) -> str:
        return canonical(self.value, self.format)


def _ceil(value: Fraction) -> int:
    return -((-value.numerator) // value.denominator)


def quantity(raw: object) -> Quantity:
    """``ParseQuantity``: the format comes from the suffix; values finer than 1n round up."""
    if isinstance(raw, Quantity):
        return raw
    try:
        value = parse_quantity(raw)
    except QuantityError:
        return Quantity()
    text = str(raw).strip()
    if text.endswith(_BINARY_SUFFIXES[1:]):
        fmt = BINARY_SI
    elif _EXPONENT.search(text):
        fmt = DECIMAL_EXPONENT
    else:
        fmt = DECIMAL_SI
    nanos = value * 10**9
    if nanos.denominator != 1:
        value = Fraction(_ceil(nanos), 10**9)
    return Quantity(value, fmt)


def canonical(value: Fraction, fmt: str = DECIMAL_SI) -> str:
    """``CanonicalizeBytes`` for an amount in a format."""
    if value == 0:
        return "0"
    if fmt == BINARY_SI and (-1024 < value < 1024 or value.denominator != 1):
        fmt = DECIMAL_SI
    if fmt == BINARY_SI:
        amount, power = int(value), 0
        while amount % 1024 == 0 and power < len(_BINARY_SUFFIXES) - 1:
            amount //= 1024
            power += 1
        return f"{amount}{_BINARY_SUFFIXES[power]}"
    # AsCanonicalBytes: mantissa without trailing zeros, exponent floored to a multiple of 3.
    exponent = 0
    mantissa = value
    while mantissa.denominator != 1:
        mantissa *= 10
        exponent -= 1
    number = int(mantissa)
    while number % 10 == 0:
        number //= 10
        exponent += 1
    shift = exponent % 3
    number *= 10**shift
    exponent -= shift
    if fmt == DECIMAL_EXPONENT:
        return f"{number}e{exponent}" if exponent else str(number)
    if exponent in _DECIMAL_SUFFIXES:
        return f"{number}{_DECIMAL_SUFFIXES[exponent]}"
    return f"{number}e{exponent}"


def format_quantity(raw: object) -> str:
    """A stored quantity as ``Quantity.String()`` prints it."""
    return str(quantity(raw))


ResourceList = dict[str, Quantity]


def _parse(name: str, raw: Any) -> Quantity:
    return quantity(raw)


def _add(a: Quantity, b: Quantity) -> Quantity:
    return a.add(b)


def _larger(a: Quantity, b: Quantity) -> bool:
    return a.value > b.value


def pod_requests(pod: Mapping[str, Any]) -> ResourceList:
    """``resourcehelper.PodRequests``: containers, pod-level requests, overhead."""
    return pod_resources(pod.get("spec") or {}, "requests", _parse, _add, _larger)


def pod_limits(pod: Mapping[str, Any]) -> ResourceList:
    """``resourcehelper.PodLimits``: containers, pod-level limits, overhead for set limits."""
    return pod_resources(pod.get("spec") or {}, "limits", _parse, _add, _larger)
