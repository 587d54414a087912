"""Webhooks: outgoing events signed and delivered with retries, and incoming webhooks that post to
the chat."""
