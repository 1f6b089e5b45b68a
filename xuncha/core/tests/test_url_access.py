"""Deny by default: every URL pattern carries an access rule, and a view without one is refused."""

import pytest
from django.http import HttpResponse
from django.test import RequestFactory
from django.urls import URLPattern, URLResolver, get_resolver, resolve

from xuncha.core.access import AccessMiddleware, rule_of


def _patterns(resolver: URLResolver, prefix: str = "") -> list[tuple[str, URLPattern]]:
    found: list[tuple[str, URLPattern]] = []
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            found += _patterns(entry, prefix + str(entry.pattern))
        else:
            found.append((prefix + str(entry.pattern), entry))
    return found


@pytest.mark.parametrize(("urlconf", "at_least"), [("config.urls", 20), ("config.intake_urls", 8)])
def test_every_url_pattern_has_an_access_rule(urlconf: str, at_least: int) -> None:
    patterns = _patterns(get_resolver(urlconf))
    assert len(patterns) > at_least
    missing = [route for route, p in patterns if rule_of(p.callback) is None]
    assert missing == []


def test_a_view_without_a_rule_is_refused_in_chinese(db: object) -> None:
    def unguarded(request: object) -> HttpResponse:
        return HttpResponse("secret")

    request = RequestFactory().get("/x")
    response = AccessMiddleware(lambda r: HttpResponse()).process_view(request, unguarded, (), {})
    assert response is not None
    assert response.status_code == 403
    assert "默认拒绝" in response.content.decode()


# Configuration writes (ADR 0016): the URL rule admits office administrators only; the services then
# decide which committee's configuration (own and below; national only from the top) they may set.
CONFIG_WRITES = [
    "core:calendar_day_save",
    "core:calendar_day_remove",
    "core:param_edit",
    "core:param_default_edit",
    "core:code_table_version",
    "core:code_override_save",
]
CONFIG_READS = [
    "core:calendar",
    "core:param_list",
    "core:code_table_list",
    "core:code_table_detail",
    "core:code_table_local",
]


@pytest.mark.parametrize("name", CONFIG_WRITES + CONFIG_READS)
def test_configuration_routes_carry_their_rules(name: str) -> None:
    from xuncha.core.roles import OFFICE_ROLES, Role

    url_name = name.split(":")[1]
    pattern = next(p for _, p in _patterns(get_resolver("config.urls")) if p.name == url_name)
    rule = rule_of(pattern.callback)
    assert rule is not None and rule.kind == "roles"
    if name in CONFIG_WRITES:
        assert rule.roles == {Role.OFFICE_ADMIN}
    else:
        assert rule.roles == OFFICE_ROLES | {Role.LEADING_GROUP}


@pytest.mark.parametrize(
    ("url", "kind", "roles"),
    [
        ("/accounts/users/1/reset/", "roles", {"sys_admin"}),
        ("/accounts/resets/", "roles", {"sys_admin", "sec_admin"}),
        ("/accounts/resets/1/approve/", "roles", {"sec_admin"}),
        ("/accounts/login/renew/", "public", set()),
    ],
)
def test_credential_reset_routes_carry_their_rules(url: str, kind: str, roles: set[str]) -> None:
    """Filing a reset is the system administrator's, deciding it the security administrator's; the forced
    password change is reached before sign-in completes (it checks the pending sign-in itself)."""
    rule = rule_of(resolve(url).func)
    assert rule is not None
    assert (rule.kind, set(rule.roles), rule.also) == (kind, roles, None)
