from django.urls import path

from xuncha.accounts import views

app_name = "accounts"

urlpatterns = [
    path("login/", views.login_view, name="login"),
    path("login/verify/", views.second_factor, name="second_factor"),
    path("login/renew/", views.password_renew, name="password_renew"),
    path("logout/", views.logout_view, name="logout"),
    path("password/", views.own_password, name="own_password"),
    path("users/", views.user_list, name="user_list"),
    path("users/new/", views.user_create, name="user_create"),
    path("users/<int:pk>/", views.user_detail, name="user_detail"),
    path("users/<int:pk>/reset/", views.reset_request, name="reset_request"),
    path("resets/", views.reset_list, name="reset_list"),
    path("resets/<int:pk>/<slug:decision>/", views.reset_decide, name="reset_decide"),
    path("users/<int:pk>/grants/", views.grant_add, name="grant_add"),
    path("grants/units/", views.grant_org_pick, name="grant_org_pick"),
    path("users/<int:pk>/grants/<int:grant_id>/revoke/", views.grant_revoke, name="grant_revoke"),
    path("users/<int:pk>/<slug:action>/", views.user_action, name="user_action"),
]
