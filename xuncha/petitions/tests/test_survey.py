"""The second QR: an anonymous 民主测评, shown only in aggregate and only from five sheets on."""

import io

import time_machine
import zxingcpp
from django.core.cache import cache
from PIL import Image

from xuncha.petitions.models import SurveyResponse
from xuncha.petitions.survey import QUESTIONS
from xuncha.petitions.tests.conftest import ON_SITE_DAY

SHEET = {code: "较好" for code, _ in QUESTIONS}


@time_machine.travel(ON_SITE_DAY, tick=False)
def test_anonymous_sheets_are_counted_and_shown_only_in_aggregate(team_world, client, login):
    cache.clear()
    token = team_world["announcement"].token
    assert "匿名方式" in client.get(f"/p/{token}/survey/").content.decode()
    incomplete = client.post(f"/p/{token}/survey/", {"leadership": "好"}, REMOTE_ADDR="10.1.0.1").content.decode()
    assert "请对“对领导班子执行民主集中制情况的评价”作出选择" in incomplete
    for i in range(4):
        assert "感谢参与" in client.post(f"/p/{token}/survey/", SHEET, REMOTE_ADDR=f"10.1.0.{i + 2}").content.decode()
    url = f"/petitions/announcements/{team_world['assignment'].pk}/survey/"
    page = login(team_world["leader"]).get(url).content.decode()
    assert "收到测评表 4 份" in page and "不显示分项结果" in page
    client.post(f"/p/{token}/survey/", {**SHEET, "top_leader": "差"}, REMOTE_ADDR="10.1.0.9")
    page = login(team_world["leader"]).get(url).content.decode()
    assert "收到测评表 5 份" in page and "80.0%" in page
    assert set(SurveyResponse.objects.values_list("answers", flat=True)[0]) == {c for c, _ in QUESTIONS}
    assert login(team_world["other_team"]).get(url).status_code == 404


def test_the_survey_qr_points_at_the_survey(team_world, login, settings):
    settings.PUBLIC_BASE_URL = "https://xc.example.cn"
    png = (
        login(team_world["leader"]).get(f"/petitions/announcements/{team_world['assignment'].pk}/survey-qr.png").content
    )
    [result] = zxingcpp.read_barcodes(Image.open(io.BytesIO(png)))
    assert result.text == f"https://xc.example.cn/p/{team_world['announcement'].token}/survey/"
