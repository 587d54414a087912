"""The REST API of webhooks."""
