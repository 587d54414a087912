"""Single sign-on: which account a provider's claims sign in (verified email only), the name
kept in step, and what ``COLLAB_SSO_ONLY`` refuses. The flow against a real provider is in
``tests/e2e/browser/test_single_sign_on.py``."""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

import pytest
from django.contrib.auth import SESSION_KEY, get_user_model
from django.core.exceptions import ImproperlyConfigured
from django.urls import reverse
from rest_framework.test import APIClient

from rooms.accounts.selectors import live_credentials
from rooms.accounts.services import api_token_create
from rooms.accounts.sso import provider
from rooms.accounts.sso.backends import SsoBackend
from rooms.accounts.sso.claims import display_name, username_base, verified_email
from rooms.accounts.sso.services import sso_user_sign_in
from rooms.accounts.verification import email_verification_start
from rooms.core.errors import Forbidden
from tests.factories import PASSWORD, UserFactory

ADA = {
    "sub": "ada-sub",
    "email": "ada@example.com",
    "email_verified": True,
    "name": "Ada Lovelace",
    "preferred_username": "ada",
}


def refusal_code(claims) -> str:
    with pytest.raises(Forbidden) as refused:
        sso_user_sign_in(claims=claims)
    return refused.value.code


# --- the claims ----------------------------------------------------------------------------


def test_a_verified_email_is_the_address_the_claims_vouch_for():
    assert verified_email(ADA) == "ada@example.com"
    assert verified_email({**ADA, "email_verified": "true"}) == "ada@example.com"


@pytest.mark.parametrize("verified", [False, None, "false", 1, "yes"])
def test_an_email_the_provider_has_not_verified_is_refused(verified):
    claims = {**ADA, "email_verified": verified}
    with pytest.raises(Forbidden) as refused:
        verified_email(claims)
    assert refused.value.code == "email_unverified"
    assert "not verified your email" in refused.value.detail


def test_claims_without_an_email_are_refused():
    with pytest.raises(Forbidden) as refused:
        verified_email({"sub": "x", "email_verified": True})
    assert refused.value.code == "email_missing"


def test_the_display_name_is_the_name_claim_else_given_and_family_names():
    assert display_name(ADA) == "Ada Lovelace"
    assert display_name({"given_name": " Ada ", "family_name": "Byron"}) == "Ada Byron"
    assert display_name({"email": "ada@example.com"}) == ""
    assert len(display_name({"name": "x" * 200})) == 80


def test_a_new_username_is_the_preferred_username_else_the_email_local_part():
    assert username_base(ADA, "ada@example.com") == "ada"
    assert username_base({}, "ada.king@example.com") == "ada.king"
    assert username_base({"preferred_username": "Ada King!"}, "x@example.com") == "AdaKing"


# --- matching and creating accounts ----------------------------------------------------------


def test_a_first_sign_in_creates_an_account_without_a_password(db):
    user = sso_user_sign_in(claims=ADA)

    assert (user.username, user.email, user.profile.display_name) == (
        "ada",
        "ada@example.com",
        "Ada Lovelace",
    )
    assert user.has_usable_password() is False


def test_a_later_sign_in_keeps_the_name_in_step_with_the_provider(db):
    first = sso_user_sign_in(claims=ADA)

    again = sso_user_sign_in(claims={**ADA, "name": "Ada King"})

    assert again.pk == first.pk
    assert get_user_model().objects.count() == 1
    again.profile.refresh_from_db()
    assert again.profile.display_name == "Ada King"


def test_an_existing_account_is_matched_by_its_verified_email_whatever_the_case(db):
    existing = UserFactory(username="lovelace", email="Ada@Example.com")

    user = sso_user_sign_in(claims=ADA)

    assert user.pk == existing.pk
    assert get_user_model().objects.count() == 1
    assert user.check_password(PASSWORD) is True  # the password stays the owner's


def test_an_unverified_email_never_matches_an_existing_account(db):
    existing = UserFactory(username="lovelace", email="ada@example.com")

    assert refusal_code({**ADA, "email_verified": False}) == "email_unverified"

    assert list(get_user_model().objects.values_list("pk", flat=True)) == [existing.pk]
    existing.profile.refresh_from_db()
    assert existing.profile.display_name == ""


def test_two_accounts_sharing_the_email_are_not_guessed_between(db):
    UserFactory(username="one", email="ada@example.com")
    UserFactory(username="two", email="ADA@example.com")

    assert refusal_code(ADA) == "email_ambiguous"


def test_a_deactivated_account_is_not_signed_in_nor_reactivated(db):
    deactivated = UserFactory(username="lovelace", email="ada@example.com", is_active=False)

    assert refusal_code(ADA) == "account_inactive"

    deactivated.refresh_from_db()
    assert deactivated.is_active is False


def test_an_account_waiting_for_its_sign_up_address_is_confirmed_by_the_provider(db):
    waiting = UserFactory(username="lovelace", email="ada@example.com")
    email_verification_start(user=waiting)

    user = sso_user_sign_in(claims=ADA)

    assert user.pk == waiting.pk
    user.refresh_from_db()
    user.profile.refresh_from_db()
    assert user.is_active is True
    assert user.profile.email_verification_pending is False


def test_a_taken_username_gets_a_suffix(db):
    UserFactory(username="ADA", email="someone-else@example.com")

    assert sso_user_sign_in(claims=ADA).username == "ada-2"


def test_a_deactivated_account_session_no_longer_signs_anyone_in(db):
    user = UserFactory(is_active=False)

    assert SsoBackend().get_user(user.pk) is None


# --- the provider's endpoints and the button ------------------------------------------------


def test_without_single_sign_on_there_is_no_button_and_no_start(client, db):
    page = client.get(reverse("login")).content.decode()

    assert "Sign in with" not in page
    assert client.get(reverse("sso-start")).status_code == 404
    assert client.get(reverse("sso-callback")).status_code == 404


def test_endpoints_set_in_the_settings_need_no_discovery(settings):
    settings.COLLAB_SSO_ENABLED = True
    settings.OIDC_OP_ISSUER = ""
    settings.OIDC_OP_AUTHORIZATION_ENDPOINT = "https://id.example/auth"
    settings.OIDC_OP_TOKEN_ENDPOINT = "https://id.example/token"
    settings.OIDC_OP_USER_ENDPOINT = "https://id.example/me"
    settings.OIDC_OP_JWKS_ENDPOINT = "https://id.example/jwks"
    settings.OIDC_OP_LOGOUT_ENDPOINT = ""

    assert provider.endpoints() == provider.Endpoints(
        authorization="https://id.example/auth",
        token="https://id.example/token",
        userinfo="https://id.example/me",
        jwks="https://id.example/jwks",
        end_session="",
    )
    settings.OIDC_OP_JWKS_ENDPOINT = ""
    with pytest.raises(ImproperlyConfigured, match="jwks endpoint is unknown"):
        provider.endpoints()


# --- sign-in only through the provider --------------------------------------------------------


@pytest.fixture
def sso_only(settings):
    settings.COLLAB_SSO_ENABLED = True
    settings.COLLAB_SSO_ONLY = True
    settings.COLLAB_SSO_PROVIDER_NAME = "Acme ID"
    return settings


def test_the_sign_in_page_offers_the_provider(client, settings, db):
    settings.COLLAB_SSO_ENABLED = True
    settings.COLLAB_SSO_PROVIDER_NAME = "Acme ID"

    page = client.get(reverse("login") + "?next=/rooms/").content.decode()

    assert "Sign in with Acme ID" in page
    assert 'href="/accounts/sso/start/?next=%2Frooms%2F"' in page
    assert 'name="password"' in page


def test_sso_only_refuses_the_password_form_with_the_reason(client, sso_only, db):
    user = UserFactory()

    page = client.get(reverse("login")).content.decode()
    response = client.post(reverse("login"), {"username": user.username, "password": PASSWORD})

    assert "Sign in with Acme ID" in page and 'name="password"' not in page
    assert response.status_code == 403
    assert "signs in through Acme ID only" in response.content.decode()
    assert SESSION_KEY not in client.session


def test_sso_only_refuses_a_token_for_a_password_but_api_tokens_still_work(sso_only, db):
    user = UserFactory()
    _, token = api_token_create(user=user, name="script")
    api = APIClient()

    refused = api.post(
        "/api/v1/auth/token", {"username": user.username, "password": PASSWORD}, format="json"
    )
    api.credentials(HTTP_AUTHORIZATION=f"Bearer {token}")

    assert refused.status_code == 403
    assert refused.json()["code"] == "password_sign_in_off"
    assert "signs in through Acme ID only" in refused.json()["detail"]
    assert api.get("/api/v1/users/me").json()["username"] == user.username


def test_sso_only_refuses_sign_up_and_password_resets(client, sso_only, db):
    sign_up = client.get(reverse("signup"))
    reset = client.post(reverse("password_reset"), {"email": "someone@example.com"})

    assert (sign_up.status_code, reset.status_code) == (403, 403)
    assert "signs in through Acme ID only" in sign_up.content.decode()
    assert "signs in through Acme ID only" in reset.content.decode()


def admin_sign_in(client, user) -> bool:
    client.post(reverse("admin:login"), {"username": user.username, "password": PASSWORD})
    return client.session.get(SESSION_KEY) == str(user.pk)


def test_sso_only_leaves_superusers_the_admin_password_sign_in(client, sso_only, db):
    superuser = UserFactory(is_staff=True, is_superuser=True)
    staff = UserFactory(is_staff=True)

    assert admin_sign_in(client, staff) is False
    assert admin_sign_in(client, superuser) is True


def test_sso_only_can_take_the_admin_password_sign_in_from_superusers_too(client, sso_only, db):
    sso_only.COLLAB_SSO_ONLY_ADMIN_PASSWORD = False

    assert admin_sign_in(client, UserFactory(is_staff=True, is_superuser=True)) is False


# --- sign-out and deactivation ----------------------------------------------------------------


def test_sign_out_of_a_provider_session_goes_on_to_the_provider_end_session(client, settings, db):
    settings.COLLAB_SSO_ENABLED = True
    settings.OIDC_RP_CLIENT_ID = "collab"
    settings.OIDC_OP_ISSUER = ""
    for name, url in {
        "AUTHORIZATION": "https://id.example/auth",
        "TOKEN": "https://id.example/token",
        "USER": "https://id.example/me",
        "JWKS": "https://id.example/jwks",
        "LOGOUT": "https://id.example/end",
    }.items():
        setattr(settings, f"OIDC_OP_{name}_ENDPOINT", url)
    client.force_login(UserFactory())
    session = client.session
    session["oidc_id_token"] = "the.id.token"
    session.save()

    response = client.post(reverse("logout"))

    target = urlsplit(response["Location"])
    assert f"{target.scheme}://{target.netloc}{target.path}" == "https://id.example/end"
    assert parse_qs(target.query) == {
        "id_token_hint": ["the.id.token"],
        "post_logout_redirect_uri": ["http://testserver/accounts/login/"],
        "client_id": ["collab"],
    }
    assert SESSION_KEY not in client.session


def test_a_password_session_signs_out_here_only(client, settings, db):
    settings.COLLAB_SSO_ENABLED = True
    client.force_login(UserFactory())

    response = client.post(reverse("logout"))

    assert response["Location"] == reverse("login")


def test_a_deactivated_account_sessions_are_no_longer_live(client, db):
    user = UserFactory()
    client.force_login(user)
    key = client.session.session_key

    assert live_credentials(session_keys={key}, token_digests=set())[0] == {key}
    user.is_active = False
    user.save()
    assert live_credentials(session_keys={key}, token_digests=set())[0] == set()
