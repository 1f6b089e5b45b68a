from django.urls import path

from xuncha.orgs import views

app_name = "orgs"

urlpatterns = [
    path("", views.organization_list, name="organization_list"),
    path("new/", views.organization_edit, name="organization_create"),
    path("<int:pk>/", views.organization_detail, name="organization_detail"),
    path("<int:pk>/edit/", views.organization_edit, name="organization_edit"),
    path("pick/", views.organization_pick, name="organization_pick"),
    path("people/pick/", views.person_pick, name="person_pick"),
    path("people/", views.person_list, name="person_list"),
    path("people/<int:pk>/", views.person_detail, name="person_detail"),
    path("people/<int:pk>/relations/", views.relationship_create, name="relationship_create"),
    path("import/<slug:kind>/", views.registry_import, name="registry_import"),
    path("import/<slug:kind>/template.xlsx", views.import_template, name="import_template"),
]
