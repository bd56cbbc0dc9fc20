"""One IANA database everywhere: the pinned tzdata package, not the host's files."""
import zoneinfo
from datetime import datetime

from portal.zones import is_time_zone, known_zones


def test_the_app_reads_zones_from_the_pinned_tzdata(app):
    assert zoneinfo.TZPATH == ()
    kathmandu = zoneinfo.ZoneInfo("Asia/Kathmandu")
    assert datetime(2030, 1, 7, 9, tzinfo=kathmandu).isoformat() == "2030-01-07T09:00:00+05:45"


def test_zone_names_are_the_iana_names_only():
    assert {"Asia/Kathmandu", "America/New_York", "UTC"} <= known_zones()
    assert is_time_zone("Asia/Kathmandu")
    for bad in ("localtime", "posixrules", "Mars/Olympus", "../etc/passwd", "", None, 42):
        assert not is_time_zone(bad)
