"""The findings models, one module per kind of record."""

from xuncha.findings.models.leads import *  # noqa: F403
from xuncha.findings.models.problems import *  # noqa: F403
