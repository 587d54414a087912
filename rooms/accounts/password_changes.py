"""What follows a new password: the account's API tokens stop working.

Django tells every entry of ``AUTH_PASSWORD_VALIDATORS`` when a user's password has been
changed (``password_validation.password_changed``, run by the user's save after
``set_password``), whatever changed it: the change and reset pages, the admin,
``manage.py changepassword``. Hooking there covers them all; a hash upgrade at sign-in is not
a change and does not call it. Other sessions end by Django's own session hash.
"""

from __future__ import annotations

from typing import Any

from rooms.accounts.services import api_tokens_revoke_all


class RevokeApiTokensOnPasswordChange:
    """Not a rule on passwords: the validator slot is where Django announces a change."""

    def validate(self, password: str, user: Any = None) -> None:
        return None

    def password_changed(self, password: str, user: Any = None) -> None:
        if user is not None and user.pk is not None:
            api_tokens_revoke_all(user=user)

    def get_help_text(self) -> str:
        return "A new password signs out your other sessions and revokes your API tokens."
