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


class Computations:
    """Plans computed by misses (`count`); `after()`, when set, runs after a miss has read
    its data and before it stores the entry."""

    def __init__(self):
        self.count = 0
        self.after = None


@pytest.fixture
def computations(monkeypatch):
    """Wraps the loader the miss path calls (`portal.slots.miss.load_day`)."""
    from portal.slots import miss

    seen = Computations()
    load_day = miss.load_day

    def counted(*args, **kwargs):
        loaded = load_day(*args, **kwargs)
        if loaded.bookable:  # a date outside the bookable range is not planned
            seen.count += 1
            if seen.after is not None:
                seen.after()
        return loaded

    monkeypatch.setattr(miss, "load_day", counted)
    return seen
