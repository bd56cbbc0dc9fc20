"""The landing page after sign-in, per role."""
