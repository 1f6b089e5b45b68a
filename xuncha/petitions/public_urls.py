"""The public channel, mounted at /p/: no log-in."""

from django.urls import path

from xuncha.petitions.views import public

app_name = "public"

urlpatterns = [
    path("status/", public.status, name="status"),
    path("<str:token>/", public.report, name="report"),
    path("<str:token>/survey/", public.survey, name="survey"),
]
