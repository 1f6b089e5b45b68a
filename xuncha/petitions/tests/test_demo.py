"""The petitions demo: seed 004's announcement and an inspection whose public channel is open now."""

from datetime import date

from django.core.management import call_command

from xuncha.petitions.announcements import intake_state
from xuncha.petitions.models import Announcement, Petition


def test_the_demo_carries_seed_004s_notice_and_an_open_channel(db, capsys):
    call_command("load_demo")
    call_command("load_demo_planning")
    call_command("load_demo_petitions")
    notice = Announcement.objects.get(
        assignment__organization__org_code="YH", assignment__round__committee__name="中共湖南省委"
    )
    assert (notice.hotline, notice.po_box, notice.issuer) == ("0731—82186945", "长沙市A271号信箱", "省委第六巡视组")
    assert (notice.period_start, notice.period_end) == (date(2023, 9, 7), date(2023, 11, 7))
    assert notice.reception_hours["ranges"] == [["09:00", "12:00"], ["13:30", "17:30"]]
    assert intake_state(notice)[0] is False
    current = Announcement.objects.get(assignment__organization__org_code="CS-JTJ")
    assert intake_state(current)[0] is True
    queue = Petition.objects.filter(assignment=current.assignment)
    assert queue.count() == 4
    assert queue.get(channel="referral_in").incoming.source_office == "省委巡视办"
    assert queue.get(status="referred").referral.receiver == "市住房和城乡建设局"
    out = capsys.readouterr().out
    assert f"/p/{current.token}/" in out
    call_command("load_demo_petitions")
    assert "未重复加载" in capsys.readouterr().out
