from django.urls import path

from xuncha.core import views

app_name = "core"

urlpatterns = [
    path("", views.home, name="home"),
    path("healthz", views.healthz, name="healthz"),
    path("committees/", views.committee_list, name="committee_list"),
    path("settings/calendar/", views.calendar, name="calendar"),
    path("settings/calendar/save/", views.calendar_day_save, name="calendar_day_save"),
    path("settings/calendar/<str:day>/delete/", views.calendar_day_remove, name="calendar_day_remove"),
    path("settings/params/", views.param_list, name="param_list"),
    path("settings/params/<int:committee_id>/<str:key>/", views.param_edit, name="param_edit"),
    path("settings/params/national/<str:key>/", views.param_default_edit, name="param_default_edit"),
    path("settings/codes/", views.code_table_list, name="code_table_list"),
    path("settings/codes/<int:pk>/", views.code_table_detail, name="code_table_detail"),
    path("settings/codes/<slug:key>/new-version/", views.code_table_version, name="code_table_version"),
    path("settings/codes/<slug:key>/local/", views.code_table_local, name="code_table_local"),
    path("settings/codes/<slug:key>/local/save/", views.code_override_save, name="code_override_save"),
    path("security/audit/", views.audit_log, name="audit_log"),
]
