"""The REST API of rooms, members and invites."""
