from django.urls import path

from xuncha.fieldwork.views import onsite, staff

app_name = "fieldwork"

urlpatterns = [
    path("announcements/<int:assignment_pk>/", staff.announcement_edit, name="announcement_edit"),
    path("announcements/<int:assignment_pk>/survey/", staff.survey_results, name="survey_results"),
    path("announcements/<int:assignment_pk>/<str:kind>", staff.announcement_file, name="announcement_file"),
    path("onsite/", onsite.workspace_list, name="workspace_list"),
    path("onsite/<int:assignment_pk>/", onsite.workspace_page, name="workspace_page"),
    path("onsite/<int:assignment_pk>/do/<str:action>/", onsite.workspace_action, name="workspace_action"),
    path("onsite/interviews/<int:pk>/", onsite.interview_read, name="interview_read"),
    path("onsite/documents/<int:pk>/list.docx", onsite.document_list_file, name="document_list_file"),
    path("onsite/urgent/<int:pk>/", onsite.urgent_read, name="urgent_read"),
]
