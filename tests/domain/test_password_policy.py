"""The password policy: length and the shipped list of common passwords (pure)."""
import pytest

from portal.domain.password_policy import MIN_LENGTH, common_passwords, password_problem


@pytest.mark.parametrize("password", ["", "short", "elevenchars", "a" * 11])
def test_short_passwords_are_refused(password):
    assert str(MIN_LENGTH) in password_problem(password)


@pytest.mark.parametrize("password", ["password1234", "PASSWORD1234", "qwertyuiopasdfghjkl", "123456789012",
                                      "kathmandu123", "aaaaaaaaaaaaaaa"])
def test_common_or_trivial_passwords_are_refused(password):
    assert password_problem(password) is not None


@pytest.mark.parametrize("password", ["namaste-kb-2026", "correct horse battery", "Tea at 4 in Patan!"])
def test_good_passwords_pass(password):
    assert password_problem(password) is None


def test_the_list_ships_with_the_project_and_is_not_empty():
    words = common_passwords()
    assert len(words) > 500 and all(len(w) >= MIN_LENGTH for w in words)
