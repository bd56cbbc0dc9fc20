"""QR codes drawn locally as inline SVG (segno): no image service, no script."""
from __future__ import annotations

import segno
from markupsafe import Markup


def qr_svg(text: str, title: str) -> Markup:
    """An <svg> element (no style attributes, so a strict CSP allows it)."""
    return Markup(segno.make(text, error="m").svg_inline(scale=4, title=title, svgclass="qr-code", omitsize=True))
