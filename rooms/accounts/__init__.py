"""Accounts: profiles, API tokens, sign-in and its throttling (the Django app ``accounts``)."""
