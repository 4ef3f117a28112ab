from django.urls import path

from . import two_factor_views, views

app_name = "accounts"

urlpatterns = [
    path("login/", views.login_view, name="login"),
    path("login/code/", two_factor_views.login_code_view, name="login_code"),
    path("logout/", views.logout_view, name="logout"),
    path("me/two-factor/", two_factor_views.two_factor_view, name="two_factor"),
    path("me/", views.me_view, name="me"),
    path("me/confirm/", views.reauthenticate_view, name="reauthenticate"),
    path("me/password/", views.password_change_view, name="password_change"),
    path("me/tokens/", views.token_create_view, name="token_create"),
    path("tokens/<int:pk>/revoke/", views.token_revoke_view, name="token_revoke"),
    path("users/", views.user_list_view, name="user_list"),
    path("users/new/", views.user_create_view, name="user_create"),
    path("users/<int:pk>/", views.user_edit_view, name="user_edit"),
    path(
        "users/<int:pk>/two-factor/reset/",
        two_factor_views.two_factor_reset_view,
        name="two_factor_reset",
    ),
]
