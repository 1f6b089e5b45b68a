"""Every route as every persona (after manage.get.gov's test_url_auth): each URL pattern is requested by
anonymous and by each demo persona; the outcome must follow the route's declared access rule, and no
route answers with a server error or escapes the table."""

import html
import re

import pytest
import time_machine
from django.urls import get_resolver

from xuncha.core.access import rule_of
from xuncha.core.tests.test_url_access import _patterns
from xuncha.findings.tests.leads_world import lead_chain
from xuncha.petitions.intake.services import petition_register
from xuncha.petitions.tests.conftest import ON_SITE_DAY

ALLOWED_THROUGH = {200, 302, 400, 403, 404, 405}

# Latin words a Chinese official page may carry: file formats, units, standards and protocol names.
ALLOWED_WORDS = {
    "PDF", "Word", "Excel", "PNG", "JPEG", "JPG", "MP4", "MOV", "HEIC", "QR", "TOTP", "MB", "KB", "GB", "IP",
    "URL", "HTTP", "HTTPS", "ID", "docx", "xlsx", "xls", "csv", "CSV", "pdf", "png", "zip", "xcb", "HH", "MM",
    "Authenticator", "Google", "Microsoft", "FreeOTP", "App", "APP", "PM", "AM",
}  # fmt: skip
WORD = re.compile(r"[A-Za-z][A-Za-z_]{1,}")


def english_words(page: str) -> set[str]:
    """Latin words in what a user reads: the text between tags and the labels of buttons and options,
    not scripts, styles, attribute values or the contents of <code> (identifiers shown as such)."""
    text = re.sub(r"(?is)<(script|style|code|textarea)\b.*?</\1>", " ", page)
    text = re.sub(r"(?s)<!--.*?-->", " ", text)
    text = re.sub(r"(?s)<[^>]*>", " ", text)
    text = html.unescape(text)
    text = re.sub(r"https?://\S+|[\w.+-]+@[\w.-]+|\b\d+[A-Za-z]+\b", " ", text)
    return {w for w in WORD.findall(text) if w not in ALLOWED_WORDS}


def _fill(route: str, ids: dict[str, int]) -> str:
    """A concrete path: each parameter takes the id of a real object where one fits the route."""
    prefix = next((p for p in ids if route.startswith(p)), "")

    def value(match: re.Match[str]) -> str:
        converter, name = match.group(1) or "str", match.group(2)
        if name == "pk":
            return str(ids.get(prefix, 1))
        if name in ids:
            return str(ids[name])
        if converter == "int":
            return "1"
        if converter == "slug":
            return "six_disciplines" if name == "key" else "x"
        return {"kind": "qr.png", "day": "2024-10-01"}.get(name, "x")

    return "/" + re.sub(r"<(?:(\w+):)?(\w+)>", value, route)


@time_machine.travel(ON_SITE_DAY, tick=False)
def test_every_route_answers_every_persona_as_its_rule_says(team_world, personas, login):
    petition = petition_register(
        actor=team_world["leader"],
        assignment=team_world["assignment"],
        channel="letter",
        content={"what": "反映某科长违规报销。"},
    )
    assignment = team_world["assignment"]
    leads = lead_chain(assignment)
    ids = {
        "findings/leads/transfers/": leads["lead_transfer"].pk,
        "findings/leads/": leads["lead_in_handling"].pk,
        "petitions/": petition.pk,
        "planning/rounds/": assignment.round_id,
        "planning/assignments/": assignment.pk,
        "planning/teams/": assignment.team_id,
        "orgs/people/": team_world["leader"].pk,
        "orgs/": assignment.organization_id,
        "accounts/users/": team_world["leader"].pk,
        "assignment_pk": assignment.pk,
        "committee_id": assignment.round.committee_id,
    }
    patterns = [(route, p) for route, p in _patterns(get_resolver("config.urls"))]
    assert len(patterns) > 80
    clients = {"anonymous": login(None)}
    problems: list[str] = []
    english: dict[str, str] = {}
    exercised = set()
    for name in sorted(personas):
        user = personas[name]
        client = login(user)
        for route, pattern in patterns:
            rule = rule_of(pattern.callback)
            assert rule is not None, route
            path = _fill(route, ids)
            response = client.get(path)
            status = response.status_code
            exercised.add(route)
            if status == 200 and response.get("Content-Type", "").startswith("text/html"):
                for word in english_words(response.content.decode()):
                    english.setdefault(word, f"{name} GET {path}")
            if status >= 500:
                problems.append(f"{name} GET {path}: {status}")
            elif not rule.allows(user) and status != 403:
                problems.append(f"{name} GET {path}: {status}, the rule refuses this persona")
            elif status not in ALLOWED_THROUGH:
                problems.append(f"{name} GET {path}: unexpected {status}")
    anonymous = clients["anonymous"]
    anonymous.logout()
    for route, pattern in patterns:
        path = _fill(route, ids)
        status = anonymous.get(path).status_code
        rule = rule_of(pattern.callback)
        assert rule is not None
        if rule.kind != "public" and status != 302:
            problems.append(f"anonymous GET {path}: {status}, not sent to sign in")
        if status >= 500:
            problems.append(f"anonymous GET {path}: {status}")
    assert problems == []
    # User names are identifiers an administrator chose (often Latin): not wording.
    english = {w: where for w, where in english.items() if w not in {u.username for u in personas.values()}}
    assert english == {}, "English on the pages (the UI is Chinese in official usage): " + repr(sorted(english.items()))
    assert exercised == {route for route, _ in patterns}
    assert len(personas) >= 20


@pytest.mark.parametrize("route", ["petitions/<int:pk>/", "planning/rounds/<int:pk>/"])
def test_the_filler_uses_the_object_of_the_route(route):
    assert _fill(route, {"petitions/": 7, "planning/rounds/": 3}) in {"/petitions/7/", "/planning/rounds/3/"}
