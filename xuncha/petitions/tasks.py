"""Background work of petitions, run by the task worker (django.tasks)."""

from django.tasks import task

from xuncha.petitions.services import sweep


@task()
def petition_sweep() -> int:
    """Clocks, duplicate index and audit entry of new public submissions."""
    return sweep()
