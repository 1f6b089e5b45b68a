"""The problem and immediate-fix routes, included in findings' URL map."""

from django.urls import URLPattern, path

from xuncha.findings.problems import views as problems

urlpatterns: list[URLPattern] = [
    path("problems/", problems.problem_list_view, name="problem_list"),
    path("problems/<int:pk>/", problems.problem_detail, name="problem_detail"),
    path("problems/<int:pk>/act/", problems.problem_act, name="problem_act"),
    path("problems/<int:pk>/fix/", problems.fix_issue, name="fix_issue"),
    path("problems/<int:pk>/responsibilities/", problems.responsibility_add_view, name="responsibility_add"),
    path("problems/<int:pk>/roster/", problems.roster_pick, name="roster_pick"),
    path("assignments/<int:assignment_pk>/problems/new/", problems.problem_create_view, name="problem_create"),
    path("fixes/", problems.fix_list, name="fix_list"),
    path("fixes/<int:pk>/act/", problems.fix_act, name="fix_act"),
    path("fixes/<int:pk>/notice.docx", problems.fix_notice, name="fix_notice"),
]
