"""Writes of rooms, members, invites and the access epoch."""
