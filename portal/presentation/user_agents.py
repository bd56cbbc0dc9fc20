"""A browser and system in a few words, from a raw User-Agent header ("Chrome on Android").

The audit viewer shows this summary; the raw header stays in the row's details.
Token order matters: Edge and Opera also say "Chrome", Chrome also says "Safari".
"""
from __future__ import annotations

from portal.domain.translatable import N_, Msg

BROWSERS = (
    ("Edg/", "Edge"), ("OPR/", "Opera"), ("SamsungBrowser/", "Samsung Internet"), ("Firefox/", "Firefox"),
    ("FxiOS/", "Firefox"), ("CriOS/", "Chrome"), ("Chrome/", "Chrome"), ("Chromium/", "Chromium"),
    ("Safari/", "Safari"), ("curl/", "curl"), ("python-requests", N_("Python script")), ("Python", N_("Python script")),
)
OTHER_BROWSER = N_("Other browser")
SYSTEMS = (
    ("Android", "Android"), ("iPhone", "iPhone"), ("iPad", "iPad"), ("Windows", "Windows"),
    ("Mac OS X", "Mac"), ("Macintosh", "Mac"), ("CrOS", "ChromeOS"), ("Linux", "Linux"),
)


def browser_summary(user_agent: str | None) -> str:
    """"Chrome on Android": a `Msg` (product names stay as they are; the page translates the rest)."""
    if not user_agent:
        return ""
    browser = Msg(next((name for token, name in BROWSERS if token in user_agent), OTHER_BROWSER))
    system = next((name for token, name in SYSTEMS if token in user_agent), None)
    return Msg("%(browser)s on %(system)s", browser=browser, system=Msg(system)) if system else browser
