"""Load the petitions demo on top of `load_demo_planning`: seed 004's announcement and an open channel.

* 省委第六巡视组 巡视雨花区: the announcement of SEED-004 (0731—82186945, 长沙市A271号信箱,
  working days 9:00—12:00 and 13:30—17:30, 2023-09-07 to 2023-11-07); its intake is long closed.
* 长沙市委2026年第三轮巡察 on 市交通运输局, on site now, so the public page accepts reports, with
  demo petitions in the team's queue: an anonymous report with a reply, a named letter, a referral
  from the provincial office awaiting its report back, and an out-of-scope letter referred out (转办).

Idempotent.
"""

from datetime import timedelta
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone

from xuncha.accounts.models import User
from xuncha.core.actors import DEMO
from xuncha.core.models import Committee
from xuncha.demo.planning.rounds import advance, link_demo_account
from xuncha.demo.planning.rounds import approve_scheme as approve
from xuncha.demo.registry_demo import DEMO_PASSWORD, demo_user
from xuncha.fieldwork.announcements import announcement_save
from xuncha.fieldwork.models import Announcement
from xuncha.orgs.models import Organization
from xuncha.petitions.decisions.services import petition_dispose
from xuncha.petitions.intake.services import petition_register, petition_submit, team_reply
from xuncha.planning.choices import AssignmentState, PoolKind, TeamRole
from xuncha.planning.models import Assignment, PoolMember
from xuncha.planning.services.assignments import assignment_authorize, assignment_create
from xuncha.planning.services.plans import round_create
from xuncha.planning.services.teams import team_create, team_member_add


class PetitionsDemo(BaseCommand):
    help = "加载进驻与信访的演示数据（可重复执行）"

    def handle(self, *args: Any, **options: Any) -> None:
        provincial = Assignment.objects.filter(
            round__committee__name="中共湖南省委", organization__org_code="YH"
        ).first()
        if provincial is None:
            raise CommandError("请先执行 load_demo 和 load_demo_planning。")
        if Announcement.objects.filter(assignment=provincial).exists():
            self.stdout.write("信访演示数据已存在，未重复加载。")
            return
        with transaction.atomic():
            announcement_save(
                actor=DEMO,
                assignment=provincial,
                issuer="省委第六巡视组",
                hotline="0731—82186945",
                po_box="长沙市A271号信箱",
            )
            current = self._current_assignment()
            announcement = announcement_save(
                actor=DEMO,
                assignment=current,
                hotline="0731—88661234",
                po_box="长沙市A301号信箱",
                email="xcz3@example.gov.cn",
                supervision_phone="0731—88669999",
            )
            self._petitions(current, announcement)
        self.stdout.write(
            self.style.SUCCESS("信访演示数据就绪：省委第六巡视组公告（2023 年）；市交通运输局巡察正在受理信访。")
        )
        self.stdout.write(f"  公开举报页面：/p/{announcement.token}/")
        self.stdout.write(f"  cs_petition     市委巡察组信访专员（密码 {DEMO_PASSWORD}）")

    def _current_assignment(self) -> Assignment:
        city = Committee.objects.get(name="中共长沙市委")
        today = timezone.localdate()
        round_ = round_create(
            actor=DEMO,
            committee=city,
            year=today.year,
            seq_no=3,
            start_date=today - timedelta(days=20),
            end_date=today + timedelta(days=60),
        )
        team = team_create(actor=DEMO, round_=round_)
        leader_user = User.objects.get(username="cs_team_leader")
        leader = PoolMember.objects.get(user=leader_user).person
        team_member_add(actor=DEMO, team=team, person=leader, role=TeamRole.LEADER)
        busy = {leader.pk}
        free = PoolMember.objects.filter(committee=city, kind=PoolKind.TALENT, available=True).exclude(
            person_id__in=busy
        )
        officer_user = demo_user("cs_petition", "市委巡察组信访专员")
        for n, member in enumerate(free.order_by("-person__person_code")[:5]):
            role = [TeamRole.DEPUTY, TeamRole.LIAISON, TeamRole.MEMBER, TeamRole.MEMBER, TeamRole.MEMBER][n]
            posts = ["petition", "general"] if role == TeamRole.LIAISON else None
            team_member_add(actor=DEMO, team=team, person=member.person, role=role, posts=posts)
            if role == TeamRole.LIAISON:
                link_demo_account(actor=User.objects.get(username="cs_office"), person=member.person, user=officer_user)
        assignment = assignment_create(
            actor=DEMO,
            round_=round_,
            organization=Organization.objects.get(org_code="CS-JTJ"),
            inspection_type="special",
            planned_entry=today - timedelta(days=14),
            planned_end=today + timedelta(days=30),
            team=team,
        )
        assignment_authorize(actor=DEMO, assignment=assignment, doc_no="长巡授〔演示〕1号", on=round_.start_date)
        users = {key: User.objects.get(username=f"cs_{key}") for key in ("office", "leading", "committee")}
        approve(round_, users)  # the scheme is approved before its notice goes out
        advance(assignment, AssignmentState.ON_SITE, {})  # each step on the date its calendar puts it
        assignment.refresh_from_db()
        return assignment

    def _petitions(self, assignment: Assignment, announcement: Announcement) -> None:
        petition, _ = petition_submit(
            announcement=announcement,
            content={
                "subject_name": "（被反映人）",
                "subject_unit": "市交通运输局",
                "subject_position": "某处处长",
                "what": "反映某处长在公路养护项目验收中降低标准，与施工单位负责人往来密切。",
                "when": "2026年上半年",
            },
        )
        leader = User.objects.get(username="cs_team_leader")
        team_reply(actor=leader, petition=petition, text="您反映的情况已收悉，巡察组将按规定研究处理。")
        petition_register(
            actor=leader,
            assignment=assignment,
            channel="letter",
            content={"subject_unit": "市交通运输局", "what": "来信反映执法大队个别人员吃拿卡要。", "when": "2026年9月"},
            identity={"name": "（演示实名反映人）", "phone": "13800000000", "unit": "", "address": ""},
            received_at=timezone.now() - timedelta(days=2),
        )
        today = timezone.localdate()
        petition_register(
            actor=leader,
            assignment=assignment,
            channel="referral_in",
            content={
                "subject_unit": "市交通运输局",
                "subject_position": "某科科长",
                "what": "省委巡视办转来：反映某科长在车辆检测站审批中收受好处费。",
            },
            received_at=timezone.now() - timedelta(days=5),
            incoming={
                "source_office": "省委巡视办",
                "letter_no": "湘巡转〔2026〕8号",
                "requirement": "result",
                "due_on": today + timedelta(days=20),
            },
        )
        out_of_scope = petition_register(
            actor=leader,
            assignment=assignment,
            channel="letter",
            content={"what": "来信反映所住小区物业公司乱收停车费，要求退费。"},
            received_at=timezone.now() - timedelta(days=3),
        )
        petition_dispose(
            actor=leader, petition=out_of_scope, disposition="refer_out", petition_class="out_of_scope",
            receiver="市住房和城乡建设局", letter_no="长巡转〔2026〕1号", sent_on=today - timedelta(days=1),
        )  # fmt: skip
