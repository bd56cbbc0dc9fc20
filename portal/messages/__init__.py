"""The messages pages (messages.md): the outbox list, retry and cancel, the templates
editor, and "Tell the customers" from the follow-up list."""
