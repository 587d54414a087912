"""The web app's server-rendered pages: room list, room, settings, invites, notifications."""
