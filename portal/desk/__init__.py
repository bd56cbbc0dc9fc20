"""The front desk (front-desk.md): customers, bookings taken and moved by staff, arrivals."""
