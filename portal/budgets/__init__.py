"""Override budgets."""
