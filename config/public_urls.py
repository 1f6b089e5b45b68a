"""The public channel, mounted at /p/: no log-in. Reports and their status are petitions'; the survey is fieldwork's."""

from django.urls import path

from xuncha.fieldwork.views import public as fieldwork_public
from xuncha.petitions.views import public

app_name = "public"

urlpatterns = [
    path("status/", public.status, name="status"),
    path("<str:token>/", public.report, name="report"),
    path("<str:token>/survey/", fieldwork_public.survey, name="survey"),
]
