"""The time zones a CronJob's ``timeZone`` may name in the simulator: IANA zones whose UTC
offset has no daylight-saving change in the simulated years (tzdata 2025), with that offset
in seconds. A real API server accepts every IANA zone; one with daylight saving time changes
offset twice a year, which the simulator does not model, so it refuses those zones and says so.
"""

from __future__ import annotations

HOUR = 3600

_FIXED = {
    "UTC": 0,
    "Etc/UTC": 0,
    "Etc/GMT": 0,
    "GMT": 0,
    "Etc/Universal": 0,
    "Etc/Zulu": 0,
    "Asia/Seoul": 9 * HOUR,
    "Asia/Tokyo": 9 * HOUR,
    "Asia/Pyongyang": 9 * HOUR,
    "Asia/Shanghai": 8 * HOUR,
    "Asia/Hong_Kong": 8 * HOUR,
    "Asia/Taipei": 8 * HOUR,
    "Asia/Singapore": 8 * HOUR,
    "Asia/Manila": 8 * HOUR,
    "Australia/Perth": 8 * HOUR,
    "Asia/Bangkok": 7 * HOUR,
    "Asia/Ho_Chi_Minh": 7 * HOUR,
    "Asia/Jakarta": 7 * HOUR,
    "Asia/Kolkata": 5 * HOUR + 30 * 60,
    "Asia/Calcutta": 5 * HOUR + 30 * 60,
    "Asia/Dubai": 4 * HOUR,
    "Europe/Moscow": 3 * HOUR,
    "Europe/Istanbul": 3 * HOUR,
    "Africa/Nairobi": 3 * HOUR,
    "Africa/Johannesburg": 2 * HOUR,
    "Africa/Lagos": 1 * HOUR,
    "Australia/Brisbane": 10 * HOUR,
    "America/Sao_Paulo": -3 * HOUR,
    "America/Argentina/Buenos_Aires": -3 * HOUR,
    "America/Bogota": -5 * HOUR,
    "America/Lima": -5 * HOUR,
    "America/Mexico_City": -6 * HOUR,
    "America/Phoenix": -7 * HOUR,
    "Pacific/Honolulu": -10 * HOUR,
}
# "Etc/GMT+5" is five hours behind UTC: the POSIX sign is the other way round.
_FIXED.update({f"Etc/GMT+{n}": -n * HOUR for n in range(1, 13)})
_FIXED.update({f"Etc/GMT-{n}": n * HOUR for n in range(1, 15)})
FIXED_OFFSET_ZONES = dict(sorted(_FIXED.items()))


def utc_offset(zone: str | None) -> int | None:
    """The zone's offset from UTC in seconds (0 for no zone), or None if not modelled."""
    if zone is None or zone == "":
        return 0
    return FIXED_OFFSET_ZONES.get(zone)
