"""Reading form errors out of a rendered page: the message next to its field."""
from __future__ import annotations

import html as html_lib
import re

FEEDBACK = re.compile(r'<div class="invalid-feedback">(.*?)</div>', re.S)


def field_errors(page: str, name: str) -> list[str]:
    """Messages rendered right after the control named `name` (before the next field),
    and only if the control itself is marked invalid."""
    match = re.search(rf'<(input|select|textarea)[^>]*name="{re.escape(name)}"[^>]*>', page)
    assert match, f"no control named {name}"
    if "is-invalid" not in match.group(0):
        return []
    rest = page[match.end():]
    stop = min([i for i in (rest.find('<div class="mb-3">'), rest.find("</form>"), rest.find('<div class="form-check'))
                if i >= 0] or [len(rest)])
    return [html_lib.unescape(m.strip()) for m in FEEDBACK.findall(rest[:stop])]


def sign_in(auth, email: str):
    """Sign in through the login form (kept as the schedule tests' one entry point)."""
    return auth.login(email)
