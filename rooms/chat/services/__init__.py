"""Writes of the chat."""
