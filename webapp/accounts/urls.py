from django.urls import path

from webapp.accounts import views_auth, views_teams, views_tokens

auth_urls = [
    path("csrf/", views_auth.CsrfApi.as_view(), name="auth-csrf"),
    path("signup/", views_auth.SignupApi.as_view(), name="auth-signup"),
    path("login/", views_auth.LoginApi.as_view(), name="auth-login"),
    path("logout/", views_auth.LogoutApi.as_view(), name="auth-logout"),
    path("token/", views_auth.TokenApi.as_view(), name="auth-token"),
    path("tokens/", views_tokens.ApiTokenListApi.as_view(), name="auth-tokens"),
    path(
        "tokens/<int:token_id>/", views_tokens.ApiTokenDetailApi.as_view(), name="auth-token-detail"
    ),
    path("me/", views_auth.MeApi.as_view(), name="auth-me"),
]

team_urls = [
    path("", views_teams.TeamListApi.as_view(), name="teams"),
    path("<int:team_id>/", views_teams.TeamDetailApi.as_view(), name="team"),
    path("<int:team_id>/members/", views_teams.MemberListApi.as_view(), name="team-members"),
    path(
        "<int:team_id>/members/<int:user_id>/",
        views_teams.MemberDetailApi.as_view(),
        name="team-member",
    ),
]
