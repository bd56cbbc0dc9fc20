"""Closures, vacations and schedules."""
