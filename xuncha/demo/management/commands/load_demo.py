"""Load the whole demo: the registry, the planning demo and the petitions demo, in that order.

Idempotent: each loader sees what is already there and loads nothing twice.
"""

from typing import Any

from django.core.management import call_command
from django.core.management.base import BaseCommand

from xuncha.demo.petitions import PetitionsDemo
from xuncha.demo.planning.loader import PlanningDemo
from xuncha.demo.registry_demo import RegistryDemo


class Command(BaseCommand):
    help = "加载全部演示数据（可重复执行）"

    def handle(self, *args: Any, **options: Any) -> None:
        for loader in (RegistryDemo, PlanningDemo, PetitionsDemo):
            call_command(loader(), stdout=self.stdout._out, stderr=self.stderr._out)
