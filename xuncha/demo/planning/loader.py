"""Load the planning demo on top of `load_demo`: pools, the seed rounds and an upcoming round.

Idempotent: when the seed round is already there, nothing is loaded again.
"""

from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from faker import Faker

from xuncha.accounts.models import User
from xuncha.core.models import Committee
from xuncha.demo.planning import registry, rounds
from xuncha.demo.registry_demo import DEMO_PASSWORD, demo_user
from xuncha.planning.models import Round
from xuncha.planning.selectors import round_mix

TEAM_USERS = [
    ("cs_team_leader", "市委巡察组组长（市水业集团）", "team_leader"),
    ("hn_team_leader", "省委第六巡视组组长", "hn_team_leader"),
]


class PlanningDemo(BaseCommand):
    help = "加载巡察计划与组建的演示数据（可重复执行）"

    def handle(self, *args: Any, **options: Any) -> None:
        committees = {c.name: c for c in Committee.objects.all()}
        if "中共长沙市委" not in committees:
            raise CommandError("请先执行 load_demo。")
        if Round.objects.filter(committee=committees["中共长沙市委"], year=2022, seq_no=2).exists():
            self.stdout.write("巡察计划演示数据已存在，未重复加载。")
            return
        fake = Faker("zh_CN")
        Faker.seed(20221128)
        users = {
            "office": User.objects.get(username="cs_office"),
            "leading": User.objects.get(username="cs_leading"),
            "committee": User.objects.get(username="cs_committee"),
        }
        with transaction.atomic():
            for username, full_name, key in TEAM_USERS:
                # Team leaders may reveal reporters, so they sign in with TOTP (the demo binds it).
                users[key] = demo_user(username, full_name)
            units = registry.extra_units(committees)
            registry.rosters(units, fake)
            pool = registry.city_pool(committees["中共长沙市委"], fake)
            registry.recusal_cases(pool)
            rounds.coverage(committees, users)
            rounds.earlier_round(committees, pool, users)
            seed = rounds.seed_round(committees, users)
            provincial = rounds.provincial_round(committees, users, fake)
            rounds.linked_city_round(committees, users, provincial)
            rounds.upcoming_round(committees, users)
            rounds.team_accounts(seed, users)
        mix = "、".join(f"{label} {count} 个" for label, count in round_mix(seed))
        self.stdout.write(self.style.SUCCESS(f"巡察计划演示数据就绪：{seed.name}（{mix}）；省委第六巡视组巡视雨花区。"))
        for username, full_name, _ in TEAM_USERS:
            self.stdout.write(f"  {username:<16} {full_name}（密码 {DEMO_PASSWORD}）")
