"""Background work of petitions, run by the task worker (django.tasks)."""

from typing import Any

from django.tasks import task

from xuncha.core.actors import TASK_QUEUE
from xuncha.core.worker import retrying
from xuncha.petitions.intake.services import sweep
from xuncha.petitions.rotation import BATCH_SIZE, rewrap


@task()
@retrying
def petition_sweep() -> int:
    """Clocks, duplicate index and audit entry of new public submissions."""
    return sweep()


@task()
@retrying
def petition_rewrap(batch_size: int = BATCH_SIZE) -> dict[str, Any]:
    """Re-seal every value sealed to a retired key to the current one (docs/adr/0009), batch by batch;
    the result holds counts only."""
    return rewrap(batch_size=batch_size, actor=TASK_QUEUE).as_counts()
