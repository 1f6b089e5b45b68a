"""Deny by default: every view declares who may reach it, or nobody can.

A view carries an `AccessRule` set by one of the decorators below. The middleware refuses
any resolved view without one (403) and applies the rule before the view runs. The URL map
test (xuncha/core/tests/test_url_access.py) fails when a pattern has no rule.

A refusal has one shape everywhere: a service, a selector or a view raises `PermissionDenied` with
a Chinese message, and the middleware turns it into the 403 page carrying that message. No view
renders the forbidden page itself or catches a refusal to re-word it.
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import render

from xuncha.core.roles import Role

ACCESS_ATTR = "access_rule"


class AppRequest(HttpRequest):
    """A request as views see it: the middleware has applied the view's rule (so `user` is signed
    in unless the view is public), and django-htmx has set `htmx`."""

    user: Any
    htmx: Any


@dataclass(frozen=True)
class AccessRule:
    """Who may reach a view: everyone, any signed-in user, or holders of named roles."""

    kind: str  # "public" | "authenticated" | "roles"
    roles: frozenset[str] = field(default_factory=frozenset)
    # A capacity that is not a role grant (e.g. serving on an inspection team), checked by its app.
    also: Callable[[Any], bool] | None = None

    def allows(self, user: Any) -> bool:
        if self.kind == "public":
            return True
        if not user.is_authenticated:
            return False
        if self.kind == "authenticated":
            return True
        return bool(user.has_any_role(self.roles)) or bool(self.also and self.also(user))


def _mark(rule: AccessRule) -> Callable[[Callable[..., HttpResponseBase]], Callable[..., HttpResponseBase]]:
    def decorate(view: Callable[..., HttpResponseBase]) -> Callable[..., HttpResponseBase]:
        setattr(view, ACCESS_ATTR, rule)
        return view

    return decorate


def public(view: Callable[..., HttpResponseBase]) -> Callable[..., HttpResponseBase]:
    """Reachable without signing in (log-in page, later the public intake)."""
    return _mark(AccessRule("public"))(view)


def signed_in(view: Callable[..., HttpResponseBase]) -> Callable[..., HttpResponseBase]:
    """Reachable by any signed-in user; the view must still scope what it shows."""
    return _mark(AccessRule("authenticated"))(view)


def roles_required(
    *roles: Role | str, also: Callable[[Any], bool] | None = None
) -> Callable[[Callable[..., HttpResponseBase]], Callable[..., HttpResponseBase]]:
    """Reachable by holders of any of the named roles (or, with `also`, by users it admits)."""
    unknown = set(roles) - set(Role.values)
    if unknown:
        raise ValueError(f"unknown roles: {sorted(unknown)}")
    return _mark(AccessRule("roles", frozenset(str(r) for r in roles), also))


def rule_of(view: Any) -> AccessRule | None:
    """The access rule of a resolved view function or class-based view."""
    rule = getattr(view, ACCESS_ATTR, None)
    if rule is None and hasattr(view, "view_class"):
        rule = getattr(view.view_class, ACCESS_ATTR, None)
    return rule


def forbidden(request: HttpRequest, message: str = "您没有访问此页面的权限。") -> HttpResponse:
    """The Chinese 403 page."""
    return render(request, "core/forbidden.html", {"message": message}, status=403)


class AccessMiddleware:
    """Applies each view's access rule; a view without a rule is refused."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_view(
        self,
        request: HttpRequest,
        view_func: Callable[..., HttpResponseBase],
        view_args: Iterable[Any],
        view_kwargs: dict[str, Any],
    ) -> HttpResponse | None:
        rule = rule_of(view_func)
        if rule is None:
            return forbidden(request, "此页面尚未配置访问规则，已按默认拒绝。")
        if rule.kind == "public":
            return None
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path(), settings.LOGIN_URL)
        if not rule.allows(request.user):
            return forbidden(request)
        return None

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        """A refusal raised under a view becomes the 403 page with its message (the one place)."""
        if isinstance(exception, PermissionDenied):
            return forbidden(request, str(exception) or "您没有访问此页面的权限。")
        return None
