"""Findings tests use the petitions world: an on-site assignment, its team, the personas and the keys."""

from xuncha.findings.tests.leads_world import lead_world  # noqa: F401 - the problem-lead tests' world
from xuncha.petitions.tests.conftest import *  # noqa: F403
from xuncha.planning.tests.conftest import *  # noqa: F403
