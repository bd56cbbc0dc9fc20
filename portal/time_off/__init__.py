"""Time-off requests: the stylist asks, an admin decides (time-off-and-reports.md)."""
