"""`/metrics` series of the messages (messages.md): messages by kind and outcome, the
queue's depth, the age of the oldest waiting message, and paused channels."""
from __future__ import annotations

from prometheus_client.core import GaugeMetricFamily

from portal.domain.messages import CHANNELS
from portal.services.messaging.message_figures import series


class MessagesCollector:
    def __init__(self, engine):
        self.engine = engine

    def collect(self):
        with self.engine.connect() as conn:
            rows, depth, age, paused = series(conn)
        by_kind = GaugeMetricFamily("customer_messages", "Messages to customers by kind and state.",
                                    labels=["kind", "state"])
        for kind, state, count in rows:
            by_kind.add_metric([kind, state], count)
        yield by_kind
        yield GaugeMetricFamily("customer_messages_waiting", "Messages queued or being sent.", value=depth)
        yield GaugeMetricFamily("customer_messages_oldest_waiting_seconds",
                                "Age of the oldest waiting message (0: none).", value=age)
        channel = GaugeMetricFamily("customer_messages_channel_paused",
                                    "1 while a channel is paused by an account problem.", labels=["channel"])
        for name in CHANNELS:
            channel.add_metric([name], 1 if name in paused else 0)
        yield channel
