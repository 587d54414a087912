"""The REST API of accounts: API tokens, the signed-in profile."""
