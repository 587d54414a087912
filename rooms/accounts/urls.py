from __future__ import annotations

from django.contrib.auth import views as auth_views
from django.urls import path

from rooms.accounts import views
from rooms.accounts.sso import views as sso_views

urlpatterns = [
    path("login/", sso_views.SignInView.as_view(), name="login"),
    path("logout/", sso_views.SignOutView.as_view(), name="logout"),
    path("sso/start/", sso_views.SsoStartView.as_view(), name="sso-start"),
    path("sso/callback/", sso_views.SsoCallbackView.as_view(), name="sso-callback"),
    path("signup/", views.sign_up, name="signup"),
    path("verify-email/sent/", views.email_verification_sent, name="verify-email-sent"),
    path("verify-email/resend/", views.email_verification_resend_page, name="verify-email-resend"),
    path("verify-email/<str:token>/", views.email_verify_page, name="verify-email"),
    path("profile/", views.profile, name="profile"),
    path("profile/tokens/", views.token_create, name="token-create"),
    path("profile/tokens/<int:token_id>/revoke/", views.token_revoke, name="token-revoke"),
    path(
        "password/change/",
        auth_views.PasswordChangeView.as_view(),
        name="password_change",
    ),
    path(
        "password/change/done/",
        auth_views.PasswordChangeDoneView.as_view(),
        name="password_change_done",
    ),
    path("password/reset/", views.PasswordResetView.as_view(), name="password_reset"),
    path(
        "password/reset/sent/",
        auth_views.PasswordResetDoneView.as_view(),
        name="password_reset_done",
    ),
    path(
        "password/reset/<uidb64>/<token>/",
        auth_views.PasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    path(
        "password/reset/complete/",
        auth_views.PasswordResetCompleteView.as_view(),
        name="password_reset_complete",
    ),
]
