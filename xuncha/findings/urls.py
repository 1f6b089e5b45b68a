from django.urls import URLPattern, path

from xuncha.findings.leads import views as leads
from xuncha.findings.leads import views_office as leads_office
from xuncha.findings.problems import urls as problem_urls

app_name = "findings"

urlpatterns: list[URLPattern] = [
    # Problem leads (问题线索)
    path("leads/", leads.lead_list, name="lead_list"),
    path("leads/register/", leads.lead_register_view, name="lead_register"),
    path("leads/decide/", leads_office.lead_decide, name="lead_decide"),
    path("leads/transfer/", leads_office.lead_transfer, name="lead_transfer"),
    path("leads/figures/", leads_office.lead_figures, name="lead_figures"),
    path("leads/inbox/", leads_office.lead_inbox, name="lead_inbox"),
    path("leads/transfers/<int:pk>/sign/", leads_office.transfer_sign, name="transfer_sign"),
    path("leads/transfers/<int:pk>/letter.docx", leads_office.transfer_letter, name="transfer_letter"),
    path("leads/<int:pk>/", leads.lead_detail, name="lead_detail"),
    path("leads/<int:pk>/<slug:action>/", leads.lead_act, name="lead_act"),
    # Problems (问题底稿) and immediate fixes (立行立改)
    *problem_urls.urlpatterns,
]
