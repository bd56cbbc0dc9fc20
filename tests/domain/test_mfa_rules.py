"""TOTP rules (pure): the window is exactly one step either side; replays are seen."""
from __future__ import annotations

from datetime import datetime, timedelta, timezone

from hypothesis import given
from hypothesis import strategies as st

from portal.domain import mfa as rules

MOMENTS = st.datetimes(min_value=datetime(2020, 1, 1), max_value=datetime(2040, 1, 1),
                       timezones=st.just(timezone.utc))
SECRETS = st.builds(rules.new_secret)


@given(SECRETS, MOMENTS, st.integers(-3, 3))
def test_one_step_either_side_is_the_whole_window(secret, moment, offset):
    code = rules.code_at_step(secret, rules.step_at(moment) + offset)
    step, replayed = rules.matching_step(secret, code, moment, None)
    if abs(offset) <= 1:
        assert step is not None and not replayed
    elif step is not None:  # another step of the window happens to share the 6 digits
        assert abs(step - rules.step_at(moment)) <= 1 and rules.code_at_step(secret, step) == code


@given(SECRETS, MOMENTS, st.integers(-1, 1), st.integers(-2, 2))
def test_a_step_not_after_the_last_used_one_is_a_replay(secret, moment, offset, last_offset):
    now = rules.step_at(moment)
    code = rules.code_at_step(secret, now + offset)
    step, replayed = rules.matching_step(secret, code, moment, now + last_offset)
    assert step is not None
    assert replayed == (step <= now + last_offset)


def test_recovery_codes_are_ten_distinct_and_normalised():
    codes = rules.new_recovery_codes()
    assert len(set(codes)) == rules.RECOVERY_CODE_COUNT
    assert all(rules.looks_like_recovery(c) for c in codes)
    assert rules.recovery_hash(codes[0].lower().replace("-", " ")) == rules.recovery_hash(codes[0])


def test_codes_other_than_six_digits_are_not_totp():
    moment = datetime(2026, 1, 1, tzinfo=timezone.utc)
    for code in ("", "12345", "1234567", "12a456", None):
        assert rules.matching_step(rules.new_secret(), code, moment, None) == (None, False)
    assert rules.normalise_totp(" 123 456 ") == "123456"
    assert rules.step_at(moment + timedelta(seconds=29)) == rules.step_at(moment)
