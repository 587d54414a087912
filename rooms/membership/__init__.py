"""Rooms and who belongs to them: rooms, memberships and roles, invites, access rules and the
access epoch."""
