"""Sign-in, sign-out and role checks."""
