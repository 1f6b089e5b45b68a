from django.urls import path

from xuncha.ferry import views

app_name = "ferry"

urlpatterns = [
    path("transfer/", views.transfer, name="transfer"),
]
