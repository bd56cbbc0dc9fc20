"""The people pages: accounts, deactivation, password links, four-eyes admin changes."""
