"""Background work of core, run by the task worker (django.tasks)."""

from django.tasks import task

from xuncha.core.anchor import checkpoint_write
from xuncha.core.worker import retrying


@task()
@retrying
def audit_checkpoint() -> int:
    """Sign the audit chain's head into the anchor store (docs/adr/0013); the sequence number signed, or 0."""
    checkpoint = checkpoint_write()
    return checkpoint.seq if checkpoint is not None else 0
