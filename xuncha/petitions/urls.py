from django.urls import path

from xuncha.petitions.views import decide, letters, staff

app_name = "petitions"

urlpatterns = [
    path("", staff.petition_list, name="petition_list"),
    path("register/", staff.petition_register_view, name="petition_register"),
    path("export.xlsx", staff.petition_export, name="petition_export"),
    path("<int:pk>/", staff.petition_detail, name="petition_detail"),
    path("<int:pk>/sign/", decide.sign, name="petition_sign"),
    path("<int:pk>/attachments/<int:attachment_pk>/", staff.attachment_download, name="attachment_download"),
    path("<int:pk>/dispose/", decide.dispose, name="petition_dispose"),
    path("<int:pk>/referral/", decide.referral, name="petition_referral"),
    path("<int:pk>/referral/letter.docx", letters.referral_letter, name="referral_letter"),
    path("<int:pk>/incoming/", decide.incoming, name="petition_incoming"),
    path("<int:pk>/contact/<slug:kind>/", decide.contact, name="petition_contact"),
    path("<int:pk>/<slug:action>/", decide.petition_act, name="petition_act"),
]
