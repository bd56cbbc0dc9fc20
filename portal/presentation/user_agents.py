"""A browser and system in a few words, from a raw User-Agent header ("Chrome on Android").

The audit viewer shows this summary; the raw header stays in the row's details.
Token order matters: Edge and Opera also say "Chrome", Chrome also says "Safari".
"""
from __future__ import annotations

BROWSERS = (
    ("Edg/", "Edge"), ("OPR/", "Opera"), ("SamsungBrowser/", "Samsung Internet"), ("Firefox/", "Firefox"),
    ("FxiOS/", "Firefox"), ("CriOS/", "Chrome"), ("Chrome/", "Chrome"), ("Chromium/", "Chromium"),
    ("Safari/", "Safari"), ("curl/", "curl"), ("python-requests", "Python script"), ("Python", "Python script"),
)
SYSTEMS = (
    ("Android", "Android"), ("iPhone", "iPhone"), ("iPad", "iPad"), ("Windows", "Windows"),
    ("Mac OS X", "Mac"), ("Macintosh", "Mac"), ("CrOS", "ChromeOS"), ("Linux", "Linux"),
)


def browser_summary(user_agent: str | None) -> str:
    if not user_agent:
        return ""
    browser = next((name for token, name in BROWSERS if token in user_agent), "Other browser")
    system = next((name for token, name in SYSTEMS if token in user_agent), None)
    return f"{browser} on {system}" if system else browser
