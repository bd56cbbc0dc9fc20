"""A person's own account: two-step sign-in (TOTP), their password, password links."""
