from django.urls import path

from xuncha.accounts import views

app_name = "accounts"

urlpatterns = [
    path("login/", views.login_view, name="login"),
    path("login/verify/", views.second_factor, name="second_factor"),
    path("logout/", views.logout_view, name="logout"),
    path("password/", views.own_password, name="own_password"),
    path("users/", views.user_list, name="user_list"),
    path("users/new/", views.user_create, name="user_create"),
    path("users/<int:pk>/", views.user_detail, name="user_detail"),
    path("users/<int:pk>/grants/", views.grant_add, name="grant_add"),
    path("users/<int:pk>/grants/<int:grant_id>/revoke/", views.grant_revoke, name="grant_revoke"),
    path("users/<int:pk>/<slug:action>/", views.user_action, name="user_action"),
]
