"""People and how they sign in: accounts, passwords, two-step factors, four-eyes proposals and
credential resets, preferences."""
