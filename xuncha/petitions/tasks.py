"""Background work of petitions, run by the task worker (django.tasks)."""

from django.tasks import task

from xuncha.petitions.services import petition_process


@task()
def petition_received(petition_id: int) -> None:
    """Clocks, duplicate index and audit entry of a public submission."""
    petition_process(petition_id)
