from django.urls import path

from xuncha.fieldwork.views import staff

app_name = "fieldwork"

urlpatterns = [
    path("announcements/<int:assignment_pk>/", staff.announcement_edit, name="announcement_edit"),
    path("announcements/<int:assignment_pk>/survey/", staff.survey_results, name="survey_results"),
    path("announcements/<int:assignment_pk>/<str:kind>", staff.announcement_file, name="announcement_file"),
]
