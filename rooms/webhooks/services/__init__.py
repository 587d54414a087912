"""Writes of webhooks: hooks, their events and deliveries, incoming webhooks."""
