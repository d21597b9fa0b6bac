"""Cron schedules as robfig/cron v3 ``ParseStandard`` reads them: fields, names, steps,
descriptors, the day-of-month/day-of-week OR rule, and robfig's error words."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from k8sgame.engine.cron import CronError, parse_schedule
from k8sgame.engine.timefmt import parse_rfc3339, rfc3339


def upcoming(spec: str, after: str, count: int = 3) -> list[str]:
    schedule = parse_schedule(spec)
    moment = parse_rfc3339(after)
    times = []
    for _ in range(count):
        found = schedule.next_after(moment)
        assert found is not None
        times.append(rfc3339(found))
        moment = found
    return times


def test_five_fields_with_steps_lists_and_ranges():
    assert upcoming("*/15 * * * *", "2026-01-05T09:00:00Z") == [
        "2026-01-05T09:15:00Z",
        "2026-01-05T09:30:00Z",
        "2026-01-05T09:45:00Z",
    ]
    assert upcoming("0 9-10 * * *", "2026-01-05T09:00:00Z") == [
        "2026-01-05T10:00:00Z",
        "2026-01-06T09:00:00Z",
        "2026-01-06T10:00:00Z",
    ]
    # "5/20": from 5 through the field's maximum, every 20.
    assert upcoming("5/20 8 * * *", "2026-01-05T08:10:00Z") == [
        "2026-01-05T08:25:00Z",
        "2026-01-05T08:45:00Z",
        "2026-01-06T08:05:00Z",
    ]


def test_names_and_the_day_rule():
    # 2026-01-05 is a Monday. Both day fields restricted: either may match (Vixie cron).
    assert upcoming("0 0 1 * fri", "2026-01-05T00:00:00Z") == [
        "2026-01-09T00:00:00Z",
        "2026-01-16T00:00:00Z",
        "2026-01-23T00:00:00Z",
    ]
    assert upcoming("0 12 * JAN,feb MON", "2026-01-20T00:00:00Z", 2) == [
        "2026-01-26T12:00:00Z",
        "2026-02-02T12:00:00Z",
    ]


def test_descriptors():
    assert upcoming("@hourly", "2026-01-05T09:00:00Z", 1) == ["2026-01-05T10:00:00Z"]
    assert upcoming("@daily", "2026-01-05T09:00:00Z", 1) == ["2026-01-06T00:00:00Z"]
    assert upcoming("@weekly", "2026-01-05T09:00:00Z", 1) == ["2026-01-11T00:00:00Z"]
    assert upcoming("@monthly", "2026-01-05T09:00:00Z", 1) == ["2026-02-01T00:00:00Z"]
    assert upcoming("@yearly", "2026-01-05T09:00:00Z", 1) == ["2027-01-01T00:00:00Z"]
    assert upcoming("@every 90s", "2026-01-05T09:00:00Z", 2) == [
        "2026-01-05T09:01:30Z",
        "2026-01-05T09:03:00Z",
    ]


def test_a_date_that_never_comes_has_no_next_time():
    assert parse_schedule("0 0 30 2 *").next_after(0) is None


@pytest.mark.parametrize(
    ("spec", "message"),
    [
        ("", "empty spec string"),
        ("* * * *", "expected exactly 5 fields, found 4: [* * * *]"),
        ("60 * * * *", "end of range (60) above maximum (59): 60"),
        ("* * * * 7", "end of range (7) above maximum (6): 7"),
        ("5-1 * * * *", "beginning of range (5) beyond end of range (1): 5-1"),
        ("*/0 * * * *", "step of range should be a positive number: */0"),
        ("x * * * *", 'failed to parse int from x: strconv.Atoi: parsing "x": invalid syntax'),
        ("@fortnightly", "unrecognized descriptor: @fortnightly"),
    ],
)
def test_robfig_errors(spec, message):
    with pytest.raises(CronError) as caught:
        parse_schedule(spec)
    assert str(caught.value) == message


@given(
    minute=st.integers(0, 59),
    hour=st.integers(0, 23),
    start=st.integers(0, 400 * 86400),
)
def test_the_next_time_matches_and_nothing_between_does(minute, hour, start):
    schedule = parse_schedule(f"{minute} {hour} * * *")
    found = schedule.next_after(start)
    assert found is not None and found > start
    assert found - start <= 86400
    stamp = rfc3339(found)
    assert stamp[11:16] == f"{hour:02d}:{minute:02d}" and stamp.endswith(":00Z")
