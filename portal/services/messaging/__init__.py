"""Messages to customers: the outbox, delivery and providers, paused channels, reminders,
templates and figures, the customer's link."""
