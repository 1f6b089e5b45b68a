from django.urls import path

from xuncha.planning.views import assignments, plans, pools, rounds, teams

app_name = "planning"

urlpatterns = [
    path("coverage/", plans.coverage_list, name="coverage_list"),
    path("coverage/new/", plans.coverage_create, name="coverage_create"),
    path("coverage/<int:pk>/", plans.coverage_detail, name="coverage_detail"),
    path("annual/", plans.annual_list, name="annual_list"),
    path("annual/new/", plans.annual_create, name="annual_create"),
    path("annual/<int:pk>/", plans.annual_detail, name="annual_detail"),
    path("annual/<int:pk>/approve/", plans.annual_approve, name="annual_approve"),
    path("annual/<int:pk>/candidates/<int:candidate_pk>/remove/", plans.candidate_remove, name="candidate_remove"),
    path("rounds/", rounds.round_list, name="round_list"),
    path("rounds/new/", rounds.round_create_view, name="round_create"),
    path("rounds/<int:pk>/", rounds.round_detail, name="round_detail"),
    path("rounds/<int:pk>/approve/", rounds.round_approve, name="round_approve"),
    path("rounds/<int:pk>/file/", rounds.round_file_view, name="round_file"),
    path("rounds/<int:pk>/assignments/new/", rounds.assignment_create_view, name="assignment_create"),
    path("rounds/<int:pk>/teams/new/", teams.team_create_view, name="team_create"),
    path("rounds/<int:pk>/formation/", teams.formation, name="formation"),
    path("rounds/<int:pk>/formation/<int:run_pk>/", teams.formation_run_view, name="formation_run"),
    path("rounds/<int:pk>/formation/<int:run_pk>/apply/", teams.formation_apply_view, name="formation_apply"),
    path("rounds/<int:pk>/work-plan.docx", rounds.work_plan_download, name="work_plan"),
    path("rounds/<int:pk>/team-notice.docx", rounds.team_notice_download, name="team_notice"),
    path("teams/<int:pk>/", teams.team_detail, name="team_detail"),
    path("teams/<int:pk>/members/<int:member_pk>/remove/", teams.team_member_remove_view, name="team_member_remove"),
    path("assignments/", assignments.assignment_list, name="assignment_list"),
    path("assignments/<int:pk>/", assignments.assignment_detail, name="assignment_detail"),
    path("assignments/<int:pk>/transition/", assignments.assignment_transition_view, name="assignment_transition"),
    path("assignments/<int:pk>/authorize/", assignments.assignment_authorize_view, name="assignment_authorize"),
    path("assignments/<int:pk>/declarations/", assignments.declaration_create_view, name="declaration_create"),
    path(
        "assignments/<int:pk>/declarations/<int:declaration_pk>/decide/",
        assignments.declaration_decide_view,
        name="declaration_decide",
    ),
    path("pools/", pools.pool_list, name="pool_list"),
    path("pools/new/", pools.pool_edit, name="pool_create"),
    path("pools/<int:pk>/", pools.pool_detail, name="pool_detail"),
    path("pools/<int:pk>/edit/", pools.pool_edit, name="pool_edit"),
    path("pools/<int:pk>/account/", pools.pool_account, name="pool_account"),
]
