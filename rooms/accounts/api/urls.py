from __future__ import annotations

from rooms.accounts.api import views as api
from rooms.core.api_paths import api_path

urlpatterns = [
    *api_path("auth/token", api.AuthTokenView, "auth-token"),
    *api_path("users/me", api.MeView, "me"),
    *api_path("tokens", api.TokenListView, "token-list"),
    *api_path("tokens/<int:token_id>", api.TokenDetailView, "token-detail"),
]
