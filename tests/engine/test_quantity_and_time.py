"""Quantities, Go durations and RFC 3339 timestamps (K8S-FACTS §1.3, §12)."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from k8sgame.engine.quantity import (
    QUANTITY_ERROR,
    QuantityError,
    cpu_millis,
    memory_bytes,
    parse_quantity,
)
from k8sgame.engine.timefmt import go_duration, parse_rfc3339, rfc3339


@pytest.mark.parametrize(
    ("text", "millis"),
    [
        ("500m", 500),
        ("1", 1000),
        ("0.1", 100),
        ("2.5", 2500),
        (1, 1000),
        ("1e3", 1_000_000),
        ("1u", 1),
    ],
)
def test_cpu_millicores(text, millis):
    assert cpu_millis(text) == millis


@pytest.mark.parametrize(
    ("text", "amount"),
    [("128Mi", 128 * 2**20), ("1Gi", 2**30), ("1G", 10**9), ("100", 100), ("1.5Ki", 1536)],
)
def test_memory_bytes(text, amount):
    assert memory_bytes(text) == amount


@pytest.mark.parametrize("bad", ["abc", "1Mb", "", "--1", "1 Gi", True, None])
def test_bad_quantities_raise_with_the_api_servers_text(bad):
    with pytest.raises(QuantityError) as info:
        parse_quantity(bad)
    assert str(info.value) == QUANTITY_ERROR
    assert QUANTITY_ERROR.startswith(
        "quantities must match the regular expression '^([+-]?[0-9.]+)"
    )


@pytest.mark.parametrize(
    ("seconds", "text"),
    [
        (10, "10s"),
        (20, "20s"),
        (40, "40s"),
        (80, "1m20s"),
        (160, "2m40s"),
        (300, "5m0s"),
        (3600, "1h0m0s"),
        (0.862, "862ms"),
        (2.5, "2.5s"),
        (0, "0s"),
    ],
)
def test_go_duration_strings_match_back_off_messages(seconds, text):
    assert go_duration(seconds) == text


@given(st.integers(min_value=0, max_value=10**8))
def test_rfc3339_round_trips_whole_seconds(seconds):
    assert parse_rfc3339(rfc3339(seconds)) == seconds
