"""Every string a person reads is translatable, and Nepali has all of them.

- `pybabel extract` (babel.cfg) over portal/ and templates/ finds every translatable
  string; the Nepali catalogue must hold each, translated (not empty, not fuzzy), with
  the same %(placeholders)s;
- the committed `.mo` is the compiled `.po` (a clean clone needs no build step);
- a template scan fails on user-visible text outside a translation call: text between
  tags and the attributes people read (title, placeholder, aria-label, alt).
"""
from __future__ import annotations

import re
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path

import pytest
from babel.messages.mofile import read_mo
from babel.messages.pofile import read_po
from jinja2 import Environment
from jinja2.ext import i18n

ROOT = Path(__file__).resolve().parents[2]
PO = ROOT / "translations" / "ne" / "LC_MESSAGES" / "messages.po"
MO = PO.with_suffix(".mo")
PLACEHOLDER = re.compile(r"%\((\w+)\)[sd]")
# Text that is the same in every language: the brand, the language names, punctuation.
NOT_WORDS = {"KB Stylish", "English", "नेपाली"}
READ_ATTRIBUTES = ("title", "placeholder", "aria-label", "alt")


@pytest.fixture(scope="module")
def extracted(tmp_path_factory):
    pot = tmp_path_factory.mktemp("pot") / "messages.pot"
    subprocess.run(
        [sys.executable, "-m", "babel.messages.frontend", "extract", "-F", "babel.cfg", "-k", "_l",
         "-k", "lazy_gettext", "-k", "N_", "-k", "Np_:1,2", "-k", "Msg", "--no-location", "-o", str(pot), "."],
        cwd=ROOT, check=True, capture_output=True,
    )
    with pot.open("rb") as f:
        return read_po(f)


def _nepali():
    with PO.open("rb") as f:
        return read_po(f, locale="ne")


def test_extraction_finds_the_portals_strings(extracted):
    ids = {m.id if isinstance(m.id, str) else m.id[0] for m in extracted if m.id}
    assert len(ids) > 50
    assert "Check bookings" in ids and "Public holidays %(year)s" in ids


def test_the_nepali_catalogue_translates_every_string(extracted):
    nepali = _nepali()
    missing, empty, fuzzy, wrong_placeholders = [], [], [], []
    for message in extracted:
        if not message.id:
            continue
        found = nepali.get(message.id, message.context)
        key = message.id if isinstance(message.id, str) else message.id[0]
        if found is None:
            missing.append(key)
            continue
        strings = found.string if isinstance(found.string, (list, tuple)) else (found.string,)
        if not all(s and s.strip() for s in strings):
            empty.append(key)
        if found.fuzzy:
            fuzzy.append(key)
        ids = message.id if isinstance(message.id, (list, tuple)) else (message.id,)
        wanted = set(PLACEHOLDER.findall(" ".join(ids)))
        if any(set(PLACEHOLDER.findall(s or "")) != wanted for s in strings):
            wrong_placeholders.append(key)
    assert missing == [], "not in translations/ne (run `make translations`, then translate)"
    assert empty == [], "left empty in translations/ne"
    assert fuzzy == [], "marked fuzzy (not reviewed) in translations/ne"
    assert wrong_placeholders == [], "placeholders differ from the English"


def test_the_committed_mo_is_the_compiled_po():
    with MO.open("rb") as f:
        compiled = read_mo(f)
    def key(value):
        return tuple(value) if isinstance(value, (list, tuple)) else value

    source = {key(m.id): key(m.string) for m in _nepali() if m.id and not m.fuzzy}
    committed = {key(m.id): key(m.string) for m in compiled if m.id}
    assert committed == source, "run `make translations` and commit translations/ne/LC_MESSAGES/messages.mo"


class _VisibleText(HTMLParser):
    """Collects text a person reads from template source whose Jinja parts were blanked."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.found: list[str] = []
        self._skip = 0

    def handle_starttag(self, tag, attrs):
        if tag in ("script", "style"):
            self._skip += 1
        for name, value in attrs:
            if name in READ_ATTRIBUTES and value:
                self._check(value)

    def handle_endtag(self, tag):
        if tag in ("script", "style") and self._skip:
            self._skip -= 1

    def handle_data(self, data):
        if not self._skip:
            self._check(data)

    def _check(self, text: str):
        text = " ".join(text.replace("\0", " ").split())
        for allowed in NOT_WORDS:
            text = text.replace(allowed, "")
        if re.search(r"[A-Za-z]{2,}", text):
            self.found.append(text)


TRANSLATING = {"_", "gettext", "ngettext", "pgettext", "npgettext"}


def _is_phrase(literal: str) -> bool:
    """A string literal in an expression that reads as words ('New override', 'Menu'), not a
    key, a CSS class or a format ('btn btn-sm', 'business_closure', '%H:%M', 'HiddenField')."""
    text = literal[1:-1]
    return bool(re.match(r"[A-Z][a-z]", text)) and (" " in text.strip() or bool(re.fullmatch(r"[A-Z][a-z]+", text)))


def visible_untranslated(source: str) -> list[str]:
    """Template text outside `{{ … }}`, `{% … %}` and `{# … #}` that has words in it, and
    phrases written as string literals in expressions outside a translation call."""
    env = Environment(extensions=[i18n])
    blanked, in_trans, loose = [], False, []
    depth, translating_from, previous = 0, [], None
    for _, kind, value in env.lex(source):
        if kind == "data":
            blanked.append("\0" if in_trans else value)
            continue
        blanked.append("\0")
        if kind == "name" and value in ("trans", "pluralize"):
            in_trans = True
        elif kind == "name" and value == "endtrans":
            in_trans = False
        elif kind == "operator" and value == "(":
            depth += 1
            if previous in TRANSLATING:
                translating_from.append(depth)
        elif kind == "operator" and value == ")":
            if translating_from and translating_from[-1] == depth:
                translating_from.pop()
            depth -= 1
        elif kind == "string" and not translating_from and _is_phrase(value):
            loose.append(value[1:-1])
        previous = value if kind == "name" else None
    parser = _VisibleText()
    parser.feed("".join(blanked))
    parser.close()
    return parser.found + loose


def test_the_scan_catches_plain_text():
    assert visible_untranslated("<p>Hello {{ name }}</p>") == ["Hello"]
    assert visible_untranslated('<button aria-label="Close">{{ _("Close") }}</button>') == ["Close"]
    assert visible_untranslated("<p>{{ _('Hello') }} · {{ name }}</p>") == []
    assert visible_untranslated("{% trans %}Hello{% endtrans %}") == []
    assert visible_untranslated("{{ 'Edit it' if row else _('New one') }}") == ["Edit it"]
    assert visible_untranslated("{{ f(class_='btn btn-sm', kind='business_closure') }}") == []
    assert visible_untranslated("{{ _('%(a)s', a=_('Some thing')) }}{{ x|default('None') }}") == ["None"]


@pytest.mark.parametrize("template", sorted(p.relative_to(ROOT).as_posix()
                                            for p in (ROOT / "templates").rglob("*.html")))
def test_templates_show_no_text_outside_a_translation_call(template):
    assert visible_untranslated((ROOT / template).read_text()) == []
