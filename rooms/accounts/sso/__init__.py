"""Single sign-on with OpenID Connect, on mozilla-django-oidc: the provider's endpoints, the
claims a sign-in is matched by, the authentication backends and the sign-in and sign-out
pages (docs/accounts.md, "Single sign-on")."""
