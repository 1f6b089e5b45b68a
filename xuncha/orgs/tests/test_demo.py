"""The demo command loads the Changsha setting and is idempotent."""

from io import StringIO

from django.core.management import call_command

from xuncha.accounts.models import RoleGrant, User
from xuncha.core.models import AuditEvent, Committee
from xuncha.core.roles import Role
from xuncha.orgs.models import Organization, Position


def test_the_demo_loads_once_and_a_second_run_changes_nothing(db: object) -> None:
    out = StringIO()
    call_command("load_demo", stdout=out)
    assert "cs_office" in out.getvalue()
    counts = (Organization.objects.count(), Position.objects.count(), User.objects.count(), RoleGrant.objects.count())
    events = AuditEvent.objects.count()
    call_command("load_demo", stdout=StringIO())
    assert counts == (
        Organization.objects.count(),
        Position.objects.count(),
        User.objects.count(),
        RoleGrant.objects.count(),
    )
    assert AuditEvent.objects.count() == events
    assert Organization.objects.filter(name="长沙市水业集团有限公司").exists()
    tiaoma = Organization.objects.get(name="雨花区跳马镇")
    assert tiaoma.managed_by.name == "中共雨花区委"
    assert Organization.objects.filter(parent=tiaoma, level="village").count() >= 5
    assert Committee.objects.get(name="中共雨花区委").parent.name == "中共长沙市委"
    assert Committee.objects.get(name="中共长沙市委").parent.name == "中共湖南省委"
    assert set(RoleGrant.objects.values_list("role", flat=True)) == set(Role.values)
    assert Position.objects.filter(organization__name="长沙市水业集团有限公司", post_kind="top_leader").count() == 1
