import pytest

NO_LIMIT = {"SLOTS_RATE_LIMIT": "100000 per second"}


@pytest.fixture
def app_config(database_url):
    return dict(NO_LIMIT)
