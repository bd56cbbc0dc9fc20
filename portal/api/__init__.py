"""The public JSON API used by the booking site."""
