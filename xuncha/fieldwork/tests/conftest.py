"""Fieldwork tests use the petitions world: an entered assignment, its team and the signing keys."""

from xuncha.petitions.tests.conftest import *  # noqa: F403
from xuncha.planning.tests.conftest import *  # noqa: F403
