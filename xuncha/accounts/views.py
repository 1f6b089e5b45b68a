"""Sign-in, second factor, own password, and the administrators' user pages."""

import time

import pyotp
import segno
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login, logout, update_session_auth_hash
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from xuncha.accounts import resets, selectors, services
from xuncha.accounts.forms import (
    GrantForm,
    LoginForm,
    OwnPasswordForm,
    PasswordForm,
    ResetRequestForm,
    TotpForm,
    UserCreateForm,
)
from xuncha.accounts.models import ResetStatus, RoleGrant, User
from xuncha.core.access import AppRequest, public, roles_required, signed_in
from xuncha.core.pickers import LIMIT, picker_query, picker_response
from xuncha.core.roles import Role
from xuncha.core.todo import posts_for
from xuncha.core.totp_keys import open_totp_secret, seal_totp_secret
from xuncha.orgs.models import Organization

PENDING_USER = "pending_user_id"
PENDING_AT = "pending_at"
PENDING_NEXT = "pending_next"
ENROL_SECRET = "totp_enrol_secret"
PENDING_SECONDS = 300


def _safe_next(request: AppRequest, target: str | None) -> str:
    if target and url_has_allowed_host_and_scheme(target, {request.get_host()}, require_https=request.is_secure()):
        return target
    return settings.LOGIN_REDIRECT_URL


def _finish_login(request: AppRequest, user: User) -> HttpResponse:
    if user.must_change_password:  # the forced change comes before anything else
        return redirect("accounts:password_renew")
    target = request.session.get(PENDING_NEXT)
    for key in (PENDING_USER, PENDING_AT, PENDING_NEXT, ENROL_SECRET):
        request.session.pop(key, None)
    login(request, user, backend="django.contrib.auth.backends.ModelBackend")
    services.login_succeeded(user=user, request=request)
    return redirect(_safe_next(request, target))


def _pending_user(request: AppRequest) -> User | None:
    pk = request.session.get(PENDING_USER)
    started = request.session.get(PENDING_AT, 0)
    if pk is None or time.time() - started > PENDING_SECONDS:
        return None
    return User.objects.filter(pk=pk, is_active=True).first()


@public
@require_http_methods(["GET", "POST"])
def login_view(request: AppRequest) -> HttpResponse:
    """Step one: username and password."""
    if request.user.is_authenticated:
        return redirect(settings.LOGIN_REDIRECT_URL)
    form = LoginForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            user = services.login_check_password(
                username=form.cleaned_data["username"], password=form.cleaned_data["password"], request=request
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            request.session[PENDING_NEXT] = request.GET.get("next", "")
            if not services.requires_second_factor(user) and not user.must_change_password:
                return _finish_login(request, user)
            request.session.cycle_key()
            request.session.pop(ENROL_SECRET, None)  # an abandoned enrolment belongs to whoever started it
            request.session[PENDING_USER] = user.pk
            request.session[PENDING_AT] = time.time()
            if user.must_change_password:
                return redirect("accounts:password_renew")
            return redirect("accounts:second_factor")
    return render(request, "accounts/login.html", {"form": form})


@public
@require_http_methods(["GET", "POST"])
def second_factor(request: AppRequest) -> HttpResponse:
    """Step two for office roles and the 三员: enrol an authenticator once, then enter its code."""
    user = _pending_user(request)
    if user is None:
        messages.error(request, "登录已超时，请重新输入用户名和密码。")
        return redirect("accounts:login")
    if user.must_change_password:
        return redirect("accounts:password_renew")
    enrolling = not user.totp_confirmed_at
    if enrolling and ENROL_SECRET not in request.session:
        # Sessions live in the database too: the secret waiting for its first code is sealed there as well.
        request.session[ENROL_SECRET] = seal_totp_secret(user.pk, services.totp_new_secret())
    secret = open_totp_secret(user.pk, request.session[ENROL_SECRET]) if enrolling else ""
    form = TotpForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            if enrolling:
                services.totp_enrol(user=user, secret=secret, code=form.cleaned_data["code"], request=request)
            else:
                services.totp_verify(user=user, code=form.cleaned_data["code"], request=request)
        except ValidationError as exc:
            form.add_error("code", exc)
        else:
            return _finish_login(request, user)
    context = {"form": form, "enrolling": enrolling, "pending": user}
    if enrolling:
        uri = services.totp_uri(user, secret)
        context["qr_svg"] = segno.make(uri, error="m").svg_inline(scale=4)
        context["secret"] = secret
    if settings.DEMO:
        context["demo_code"] = pyotp.TOTP(secret).now() if enrolling else services.totp_current_code(user)
    return render(request, "accounts/second_factor.html", context)


@public
@require_http_methods(["GET", "POST"])
def password_renew(request: AppRequest) -> HttpResponse:
    """After a credential reset: the owner chooses a new password before the sign-in goes on (then
    enrols TOTP anew where a second factor is required)."""
    user = _pending_user(request)
    if user is None:
        messages.error(request, "登录已超时，请重新输入用户名和密码。")
        return redirect("accounts:login")
    if not user.must_change_password:
        return redirect("accounts:second_factor")
    form = PasswordForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.user_set_password(actor=user, user=user, password=form.cleaned_data["password"])
        except ValidationError as exc:
            form.add_error("password", exc)
        else:
            request.session[PENDING_AT] = time.time()
            if services.requires_second_factor(user):
                return redirect("accounts:second_factor")
            return _finish_login(request, user)
    return render(request, "accounts/password_renew.html", {"form": form, "pending": user})


@public
@require_POST
def logout_view(request: AppRequest) -> HttpResponse:
    """Sign out and drop the session."""
    logout(request)
    messages.success(request, "您已安全退出。")
    return redirect("accounts:login")


@signed_in
@require_http_methods(["GET", "POST"])
def own_password(request: AppRequest) -> HttpResponse:
    """Change one's own password."""
    form = OwnPasswordForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if not request.user.check_password(form.cleaned_data["current"]):
            form.add_error("current", "当前密码不正确。")
        else:
            try:
                services.user_set_password(
                    actor=request.user, user=request.user, password=form.cleaned_data["password"]
                )
            except ValidationError as exc:
                form.add_error("password", exc)
            else:
                update_session_auth_hash(request, request.user)
                messages.success(request, "密码已修改。")
                return redirect("core:home")
    return render(request, "accounts/own_password.html", {"form": form})


@roles_required(Role.SYS_ADMIN, Role.SEC_ADMIN)
def user_list(request: AppRequest) -> HttpResponse:
    """All accounts with their roles and lock state."""
    users = selectors.user_list(user=request.user, query=request.GET.get("q", "").strip())
    if request.GET.get("locked"):
        users = users.filter(locked_until__gt=timezone.now())
    context = {"users": users, "q": request.GET.get("q", ""), "can_create": request.user.has_any_role({Role.SYS_ADMIN})}
    return render(request, "accounts/user_list.html", context)


@roles_required(Role.SYS_ADMIN)
@require_http_methods(["GET", "POST"])
def user_create(request: AppRequest) -> HttpResponse:
    """Create an account (the security administrator then grants its roles)."""
    form = UserCreateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            user = services.user_create(actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, f"已创建用户 {user.username}。")
            return redirect("accounts:user_detail", pk=user.pk)
    return render(request, "accounts/user_create.html", {"form": form})


def _user_or_404(request: AppRequest, pk: int) -> User:
    try:
        return selectors.user_get(user=request.user, pk=pk)
    except User.DoesNotExist as exc:
        raise Http404 from exc


@roles_required(Role.SYS_ADMIN, Role.SEC_ADMIN)
def user_detail(request: AppRequest, pk: int) -> HttpResponse:
    """One account: state, roles, and the actions of the viewer's own role."""
    subject = _user_or_404(request, pk)
    context = {
        "subject": subject,
        "grants": subject.role_grants.select_related("committee", "organization"),
        "is_sys_admin": request.user.has_any_role({Role.SYS_ADMIN}),
        "is_sec_admin": request.user.has_any_role({Role.SEC_ADMIN}),
        "grant_form": GrantForm(),
        "sensitive": resets.account_is_sensitive(subject),
        "pending_reset": subject.credential_resets.filter(status=ResetStatus.PENDING).first(),
        "posts": posts_for(subject),
    }
    return render(request, "accounts/user_detail.html", context)


@roles_required(Role.SYS_ADMIN)
@require_POST
def user_action(request: AppRequest, pk: int, action: str) -> HttpResponse:
    """The system administrator's account actions: unlock, enable/disable (resets go through a request)."""
    subject = _user_or_404(request, pk)
    if action == "unlock":
        services.user_unlock(actor=request.user, user=subject)
        messages.success(request, "已解除锁定。")
    elif action in {"activate", "deactivate"}:
        services.user_set_active(actor=request.user, user=subject, active=action == "activate")
        messages.success(request, "已更新账号状态。")
    else:
        raise Http404
    return redirect("accounts:user_detail", pk=subject.pk)


@roles_required(Role.SEC_ADMIN)
@require_POST
def grant_add(request: AppRequest, pk: int) -> HttpResponse:
    """The security administrator grants a role."""
    subject = _user_or_404(request, pk)
    form = GrantForm(request.POST)
    if form.is_valid():
        org = None
        code = form.cleaned_data["org_code"].strip()
        if code:
            # The registry sits above accounts in the layer order, so it is looked up by name.
            org = Organization.objects.filter(org_code=code).first()
            if org is None:
                messages.error(request, f"找不到编码为“{code}”的单位。")
                return redirect("accounts:user_detail", pk=subject.pk)
        try:
            services.role_grant_add(
                actor=request.user,
                user=subject,
                role=form.cleaned_data["role"],
                committee=form.cleaned_data["committee"],
                organization=org,
            )
            messages.success(request, "已授权。")
        except ValidationError as exc:
            messages.error(request, "；".join(exc.messages))
    else:
        messages.error(request, "授权信息不完整。")
    return redirect("accounts:user_detail", pk=subject.pk)


@roles_required(Role.SEC_ADMIN)
@require_POST
def grant_revoke(request: AppRequest, pk: int, grant_id: int) -> HttpResponse:
    """The security administrator withdraws a role."""
    subject = _user_or_404(request, pk)
    grant = get_object_or_404(RoleGrant, pk=grant_id, user=subject)
    services.role_grant_revoke(actor=request.user, grant=grant)
    messages.success(request, "已撤销授权。")
    return redirect("accounts:user_detail", pk=subject.pk)


@roles_required(Role.SYS_ADMIN)
@never_cache
@require_http_methods(["GET", "POST"])
def reset_request(request: AppRequest, pk: int) -> HttpResponse:
    """The system administrator files a password or TOTP reset; a sensitive account waits for approval."""
    subject = _user_or_404(request, pk)
    form = ResetRequestForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            reset, temporary = resets.credential_reset_request(
                actor=request.user, user=subject, request=request, **form.cleaned_data
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            if reset.needs_approval:
                messages.success(request, "已提交重置申请，待安全保密管理员审批；批准后由审批人将临时密码交本人。")
                return redirect("accounts:user_detail", pk=subject.pk)
            return render(request, "accounts/reset_done.html", {"reset": reset, "temporary": temporary})
    context = {"subject": subject, "form": form, "sensitive": resets.account_is_sensitive(subject)}
    return render(request, "accounts/reset_request.html", context)


@roles_required(Role.SYS_ADMIN, Role.SEC_ADMIN)
def reset_list(request: AppRequest) -> HttpResponse:
    """Reset requests: pending ones first; the security administrator approves or rejects them."""
    items = selectors.credential_reset_list(user=request.user)
    context = {"items": items, "can_decide": request.user.has_any_role({Role.SEC_ADMIN})}
    return render(request, "accounts/reset_list.html", context)


@roles_required(Role.SEC_ADMIN)
@never_cache
@require_POST
def reset_decide(request: AppRequest, pk: int, decision: str) -> HttpResponse:
    """The security administrator's decision; on approval the temporary password is shown here, once."""
    reset = get_object_or_404(selectors.credential_reset_list(user=request.user), pk=pk)
    if decision not in {"approve", "reject"}:
        raise Http404
    try:
        if decision == "approve":
            temporary = resets.credential_reset_approve(actor=request.user, reset=reset, request=request)
        else:
            resets.credential_reset_reject(actor=request.user, reset=reset, request=request)
    except ValidationError as exc:
        messages.error(request, "；".join(exc.messages))
        return redirect("accounts:reset_list")
    if decision == "reject":
        messages.success(request, "已驳回该重置申请，账号未作改动。")
        return redirect("accounts:reset_list")
    reset.refresh_from_db()
    return render(request, "accounts/reset_done.html", {"reset": reset, "temporary": temporary})


@roles_required(Role.SEC_ADMIN)
def grant_org_pick(request: AppRequest) -> HttpResponse:
    """Units for a unit role grant, by name or code: the security administrator grants, so sees the names."""
    typed = picker_query(request)
    found = Organization.objects.all()
    if typed:
        found = found.filter(Q(name__icontains=typed) | Q(short_name__icontains=typed) | Q(org_code__istartswith=typed))
    return picker_response((o.org_code, o.name) for o in found.order_by("name")[:LIMIT])
