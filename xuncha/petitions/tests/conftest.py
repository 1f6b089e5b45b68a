"""Petitions fixtures: an entered assignment with its announcement and a team with named roles."""

from datetime import date
from typing import Any

import pytest

from xuncha.core import sealing
from xuncha.core.tests.setup import SETUP
from xuncha.ferry.bundles import generate_signing_pair
from xuncha.fieldwork.announcements import announcement_save
from xuncha.planning.choices import AssignmentState
from xuncha.planning.models import Assignment
from xuncha.planning.services.assignments import assignment_authorize, assignment_create, assignment_set_team
from xuncha.planning.services.teams import team_create, team_member_add
from xuncha.planning.tests.conftest import (  # noqa: F401
    city_round,
    link_account,
    make_person,
    pool_add,
    syjt_assignment,
)
from xuncha.planning.tests.factories import assignment_advance

ON_SITE_DAY = "2024-10-15 10:00:00+08:00"


@pytest.fixture
def team_world(personas, committees, orgs, make_person, make_user, city_round, syjt_assignment) -> dict[str, Any]:  # noqa: F811
    """市水业集团 entered, with leader, petition officer and member accounts; another team on 雨花区."""
    city = committees["city"]
    team = team_create(actor=SETUP, round_=city_round)
    other_team = team_create(actor=SETUP, round_=city_round)
    accounts = {}
    for key, role, posts, target in [
        ("leader", "leader", None, team),
        ("petition_officer", "liaison", ["petition", "general"], team),
        ("member", "member", ["talk"], team),
        ("other_team", "leader", None, other_team),
    ]:
        person = make_person(f"{key}姓名", orgs["cs"])
        pool_add(city, person, "leader" if role == "leader" else "talent", ("discipline",))
        user = link_account(personas["city_admin"], person, key)
        team_member_add(actor=SETUP, team=target, person=person, role=role, posts=posts)
        accounts[key] = user
    other = assignment_create(
        actor=SETUP,
        round_=city_round,
        organization=orgs["yh"],
        inspection_type="regular",
        planned_entry=date(2024, 10, 8),
        team=other_team,
    )
    assignment_set_team(actor=SETUP, assignment=syjt_assignment, team=team)
    # 一次一授权 for each team (ADR 0014): without it no one on the roster acts as the team.
    assignment_authorize(actor=SETUP, assignment=syjt_assignment, doc_no="长巡授〔2024〕1号", on=date(2024, 9, 1))
    assignment_authorize(actor=SETUP, assignment=other, doc_no="长巡授〔2024〕2号", on=date(2024, 9, 1))
    syjt_assignment = assignment_advance(syjt_assignment, AssignmentState.ON_SITE, entered_on=date(2024, 10, 8))
    other = assignment_advance(other, AssignmentState.ON_SITE, entered_on=date(2024, 10, 8))
    announcement = announcement_save(
        actor=SETUP,
        assignment=syjt_assignment,
        hotline="0731—82186945",
        po_box="长沙市A271号信箱",
        supervision_phone="0731—88880000",
    )
    other_announcement = announcement_save(
        actor=SETUP, assignment=Assignment.objects.get(pk=other.pk), hotline="0731—1", po_box="长沙市A272号信箱"
    )
    personas.update(accounts)
    return {
        "assignment": syjt_assignment,
        "other": other,
        "announcement": announcement,
        "other_announcement": other_announcement,
        **accounts,
    }


@pytest.fixture
def nodes(settings, tmp_path):
    """Key material of a deployment: the internal private key, the intake node's signing key."""
    private, public = sealing.generate_key_pair()
    signing, verify = generate_signing_pair()
    reply_signing, reply_verify = generate_signing_pair()
    (tmp_path / "internal.key").write_text(private)
    (tmp_path / "signing.key").write_text(signing)
    (tmp_path / "reply-signing.key").write_text(reply_signing)

    def intake():
        settings.NODE, settings.PETITION_PUBLIC_KEY, settings.PETITION_PRIVATE_KEY_FILE = "intake", public, ""
        settings.PETITION_LOCAL_KEYS, settings.VAR_DIR = False, tmp_path / "intake-var"
        settings.KEY_DIR = tmp_path / "intake-keys"
        settings.BUNDLE_SIGNING_KEY_FILE, settings.BUNDLE_VERIFY_KEY = str(tmp_path / "signing.key"), ""
        settings.REPLY_SIGNING_KEY_FILE, settings.REPLY_VERIFY_KEY = "", reply_verify
        sealing.reset_keys()

    def internal():
        settings.NODE, settings.PETITION_PRIVATE_KEY_FILE = "internal", str(tmp_path / "internal.key")
        settings.BUNDLE_SIGNING_KEY_FILE, settings.BUNDLE_VERIFY_KEY = "", verify
        settings.REPLY_SIGNING_KEY_FILE, settings.REPLY_VERIFY_KEY = str(tmp_path / "reply-signing.key"), ""
        sealing.reset_keys()

    yield intake, internal
    sealing.reset_keys()


@pytest.fixture
def ring(settings, tmp_path):
    """Configure the internal side with a key file holding `keys` (current first), optionally a feature
    key file; the file is rewritten on each call, as an office edits it."""
    path = tmp_path / "ring.key"

    def use(*keys: str, feature: str = "") -> None:
        path.write_text("\n".join(keys) + "\n")
        settings.NODE, settings.PETITION_PRIVATE_KEY_FILE = "internal", str(path)
        settings.PETITION_PUBLIC_KEY, settings.PETITION_LOCAL_KEYS = "", False
        settings.PETITION_FEATURE_KEY_FILE = ""
        if feature:
            (tmp_path / "feature.key").write_text(feature + "\n")
            settings.PETITION_FEATURE_KEY_FILE = str(tmp_path / "feature.key")
        sealing.reset_keys()

    yield use
    sealing.reset_keys()
