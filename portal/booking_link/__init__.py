"""The customer's booking link, `/b/<token>` (messages.md): no account, phone first."""
