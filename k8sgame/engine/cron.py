"""Cron schedules as the CronJob controller reads them (``robfig/cron/v3`` ``ParseStandard``,
K8S-FACTS §8.3): five fields (minute, hour, day of month, month, day of week) with ``*``/``?``,
lists, ranges, steps and month and day names, or a descriptor (``@hourly``, ``@daily`` …,
``@every 90s``). When both day fields are restricted a day matches either of them, as in
Vixie cron. Errors are robfig's words; times are simulated seconds in UTC.
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import datetime, timedelta

from k8sgame.engine.timefmt import EPOCH, parse_go_duration

_BOUNDS = ((0, 59), (0, 23), (1, 31), (1, 12), (0, 6))
_MONTHS = {
    name: i + 1
    for i, name in enumerate(
        ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")
    )
}
_DAYS = {name: i for i, name in enumerate(("sun", "mon", "tue", "wed", "thu", "fri", "sat"))}
_NAMES = (None, None, None, _MONTHS, _DAYS)
_DESCRIPTORS = {
    "@yearly": "0 0 1 1 *",
    "@annually": "0 0 1 1 *",
    "@monthly": "0 0 1 * *",
    "@weekly": "0 0 * * 0",
    "@daily": "0 0 * * *",
    "@midnight": "0 0 * * *",
    "@hourly": "0 * * * *",
}
# How far ahead a schedule is searched for its next time (robfig gives up after five years).
SEARCH_YEARS = 5


class CronError(ValueError):
    """A schedule robfig/cron cannot parse; the message is its own."""


@dataclass(frozen=True)
class Schedule:
    """A parsed schedule: the allowed values of each field, or a fixed interval."""

    fields: tuple[frozenset[int], ...] = ()
    starred: tuple[bool, ...] = ()  # whether the day-of-month / day-of-week field was * or ?
    every: float | None = None
    offset: int = 0  # seconds the zone the fields are read in is ahead of UTC

    def next_after(self, seconds: float) -> float | None:
        """The first scheduled time strictly after ``seconds`` (None: never, within five
        years), the fields read in the schedule's zone; ``@every`` counts from ``seconds``
        itself."""
        if self.every is not None:
            # ConstantDelaySchedule: the delay after the time given, to the second.
            return float(int(seconds) + int(self.every))
        local = self._next_local(int(seconds) + self.offset)
        return None if local is None else local - self.offset

    def _next_local(self, seconds: int) -> float | None:
        start = EPOCH + timedelta(seconds=seconds + 1)
        moment = start.replace(second=0)
        if moment < start:
            moment += timedelta(minutes=1)
        minutes, hours, _, months, _ = self.fields
        for year in range(moment.year, moment.year + SEARCH_YEARS + 1):
            for month in sorted(months):
                if (year, month) < (moment.year, moment.month):
                    continue
                days = calendar.monthrange(year, month)[1]
                for day in range(1, days + 1):
                    if (year, month, day) < (moment.year, moment.month, moment.day):
                        continue
                    if not self._day_matches(datetime(year, month, day, tzinfo=moment.tzinfo)):
                        continue
                    for hour in sorted(hours):
                        for minute in sorted(minutes):
                            candidate = datetime(
                                year, month, day, hour, minute, tzinfo=moment.tzinfo
                            )
                            if candidate >= moment:
                                return (candidate - EPOCH).total_seconds()
        return None

    def _day_matches(self, day: datetime) -> bool:
        dom = day.day in self.fields[2]
        dow = (day.isoweekday() % 7) in self.fields[4]
        if self.starred[0] or self.starred[1]:
            return dom and dow
        return dom or dow


def _go_quote(text: str) -> str:
    """Go's ``%q`` for the printable text a schedule holds."""
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _number(text: str, spec: str) -> int:
    try:
        value = int(text, 10)
    except ValueError:
        raise CronError(
            f"failed to parse int from {text}: strconv.Atoi: parsing {_go_quote(text)}: invalid syntax"
        ) from None
    if value < 0:
        raise CronError(f"negative number ({value}) not allowed: {spec}")
    return value


def _value(text: str, names: dict[str, int] | None, spec: str) -> int:
    if names is not None and text.lower() in names:
        return names[text.lower()]
    return _number(text, spec)


def _range(expr: str, index: int) -> tuple[frozenset[int], bool]:
    low_bound, high_bound = _BOUNDS[index]
    names = _NAMES[index]
    range_and_step = expr.split("/")
    if len(range_and_step) > 2:
        raise CronError(f"too many slashes: {expr}")
    low_and_high = range_and_step[0].split("-")
    if len(low_and_high) > 2:
        raise CronError(f"too many hyphens: {expr}")
    star = low_and_high[0] in ("*", "?")
    if star:
        start, end = low_bound, high_bound
    else:
        start = _value(low_and_high[0], names, expr)
        end = _value(low_and_high[1], names, expr) if len(low_and_high) == 2 else start
    step = 1
    if len(range_and_step) == 2:
        step = _number(range_and_step[1], expr)
        if not star and len(low_and_high) == 1:
            end = high_bound  # "N/step" means N through the maximum
        if step <= 0:
            raise CronError(f"step of range should be a positive number: {expr}")
    if start < low_bound:
        raise CronError(f"beginning of range ({start}) below minimum ({low_bound}): {expr}")
    if end > high_bound:
        raise CronError(f"end of range ({end}) above maximum ({high_bound}): {expr}")
    if start > end:
        raise CronError(f"beginning of range ({start}) beyond end of range ({end}): {expr}")
    return frozenset(range(start, end + 1, step)), star and step == 1


def parse_schedule(spec: str) -> Schedule:
    """``cron.ParseStandard``; raises CronError with robfig's message."""
    text = spec.strip()
    if not text:
        raise CronError("empty spec string")
    if text.startswith("@"):
        if text.startswith("@every "):
            try:
                interval = parse_go_duration(text[len("@every ") :].strip())
            except ValueError as error:
                raise CronError(f"failed to parse duration {text}: {error}") from None
            return Schedule(every=max(float(int(interval)), 1.0))
        if text not in _DESCRIPTORS:
            raise CronError(f"unrecognized descriptor: {text}")
        text = _DESCRIPTORS[text]
    parts = text.split()
    if len(parts) != 5:
        raise CronError(f"expected exactly 5 fields, found {len(parts)}: [{' '.join(parts)}]")
    fields = []
    starred = []
    for index, part in enumerate(parts):
        values: set[int] = set()
        star = False
        for expr in part.split(","):
            found, is_star = _range(expr, index)
            values |= found
            star = star or is_star
        fields.append(frozenset(values))
        if index in (2, 4):
            starred.append(star)
    return Schedule(tuple(fields), tuple(starred))
