"""Writes of notifications: what triggers one, reading them, emailing them."""
