"""Collab's domain: one package per concept (see docs/architecture.md), registered with Django as
the app ``rooms`` by the modules at this level (models, admin, tasks, urls, routing)."""
