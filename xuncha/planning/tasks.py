"""Background work of planning, run by the task worker (django.tasks)."""

from django.tasks import task

from xuncha.core.worker import retrying
from xuncha.planning.services.formation import formation_execute


@task()
@retrying
def formation_run(run_id: int) -> str:
    """Solve one formation request."""
    return formation_execute(run_id).status
