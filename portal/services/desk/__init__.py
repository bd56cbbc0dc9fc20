"""The front desk: taking and moving bookings, a booking's steps through the day, customers,
the day board and its free times."""
