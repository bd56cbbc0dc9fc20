"""Time zones: the pinned `tzdata` package is the one IANA database the portal uses.

`use_pinned_tzdata()` (called by the factory) makes `zoneinfo` read the `tzdata`
package instead of the host's zoneinfo directory, so DST rules and the accepted names
are the same on every machine and change only when requirements.txt does.
"""
from __future__ import annotations

import zoneinfo
from functools import lru_cache
from importlib import resources


def use_pinned_tzdata() -> None:
    if zoneinfo.TZPATH:
        zoneinfo.reset_tzpath(to=())
        zoneinfo.ZoneInfo.clear_cache()


@lru_cache(maxsize=1)
def known_zones() -> frozenset[str]:
    """The IANA zone names of the pinned `tzdata` (never a file such as `localtime`)."""
    return frozenset(resources.files("tzdata").joinpath("zones").read_text().split())


def is_time_zone(name: object) -> bool:
    return isinstance(name, str) and name in known_zones()
