"""How log rows read on the page (the template escapes; this only shapes the text)."""
from __future__ import annotations

import json

SEVERITY_STYLES = {"info": "secondary", "warning": "warning", "critical": "danger"}
CATEGORY_STYLES = {"governance": "primary", "configuration": "info", "security": "danger", "data_access": "dark"}


def pretty_details(details) -> str:
    """The details JSON indented and sorted; non-ASCII kept readable."""
    if not details:
        return ""
    return json.dumps(details, indent=2, ensure_ascii=False, sort_keys=True, default=str)
