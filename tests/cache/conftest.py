import pytest

NO_LIMIT = {"SLOTS_RATE_LIMIT": "100000 per second"}


@pytest.fixture(autouse=True)
def fresh_request_history():
    """Counts other tests left unflushed must not land in this test's database."""
    from portal.metrics import history

    with history.lock:
        history.pending.clear()


@pytest.fixture
def app_config(database_url):
    return dict(NO_LIMIT)
