"""Stylist promotions."""
