"""The second QR: an anonymous 民主测评, shown only in aggregate and only from five sheets on."""

import io

import time_machine
import zxingcpp
from django.core.cache import cache
from django.test import Client
from PIL import Image

from xuncha.fieldwork.models import SurveyResponse
from xuncha.fieldwork.survey import QUESTIONS
from xuncha.petitions.tests.conftest import ON_SITE_DAY

SHEET = {code: "较好" for code, _ in QUESTIONS}


@time_machine.travel(ON_SITE_DAY, tick=False)
def test_anonymous_sheets_are_counted_and_shown_only_in_aggregate(team_world, client, login):
    cache.clear()
    token = team_world["announcement"].token
    assert "匿名方式" in client.get(f"/p/{token}/survey/").content.decode()
    incomplete = client.post(f"/p/{token}/survey/", {"leadership": "好"}, REMOTE_ADDR="10.1.0.1").content.decode()
    assert "请对“对领导班子执行民主集中制情况的评价”作出选择" in incomplete
    for i in range(4):  # four devices
        assert "感谢参与" in Client().post(f"/p/{token}/survey/", SHEET, REMOTE_ADDR=f"10.1.0.{i + 2}").content.decode()
    url = f"/fieldwork/announcements/{team_world['assignment'].pk}/survey/"
    page = login(team_world["leader"]).get(url).content.decode()
    assert "收到测评表 4 份" in page and "不显示分项结果" in page
    Client().post(f"/p/{token}/survey/", {**SHEET, "top_leader": "差"}, REMOTE_ADDR="10.1.0.9")
    page = login(team_world["leader"]).get(url).content.decode()
    assert "收到测评表 5 份" in page and "80.0%" in page
    assert set(SurveyResponse.objects.values_list("answers", flat=True)[0]) == {c for c, _ in QUESTIONS}
    assert login(team_world["other_team"]).get(url).status_code == 404


def test_the_survey_qr_points_at_the_survey(team_world, login, settings):
    settings.PUBLIC_BASE_URL = "https://xc.example.cn"
    png = (
        login(team_world["leader"]).get(f"/fieldwork/announcements/{team_world['assignment'].pk}/survey-qr.png").content
    )
    [result] = zxingcpp.read_barcodes(Image.open(io.BytesIO(png)))
    assert result.text == f"https://xc.example.cn/p/{team_world['announcement'].token}/survey/"


@time_machine.travel(ON_SITE_DAY, tick=False)
def test_a_hall_on_one_wifi_fills_in_the_survey_and_each_device_once(team_world):
    """The mobilisation meeting: 120 cadres behind the venue's one address, each on their own phone."""
    cache.clear()
    url = f"/p/{team_world['announcement'].token}/survey/"
    phones = [Client() for _ in range(120)]
    for phone in phones:
        phone.get(url, REMOTE_ADDR="10.9.9.9")  # scanning the code opens the page
        assert "感谢参与" in phone.post(url, SHEET, REMOTE_ADDR="10.9.9.9").content.decode()
    assert SurveyResponse.objects.count() == 120
    again = phones[0].post(url, SHEET, REMOTE_ADDR="10.9.9.9").content.decode()
    assert "本设备已提交过本次测评" in again and SurveyResponse.objects.count() == 120
    assert "本设备已提交过本次测评" in phones[0].get(url, REMOTE_ADDR="10.9.9.9").content.decode()
