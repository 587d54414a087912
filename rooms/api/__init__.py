"""The REST API's routes: every concept's endpoints under ``/api/v1/``."""
