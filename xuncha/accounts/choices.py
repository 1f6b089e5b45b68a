"""Vocabularies of the accounts app."""

# The audit log's names for what this app records (xuncha.core.audit_labels).
AUDIT_ACTIONS = {
    "accounts.reset_request": "申请重置账号凭据",
    "accounts.reset_apply": "重置账号凭据",
    "accounts.reset_approve": "批准重置账号凭据",
    "accounts.reset_reject": "驳回重置账号凭据申请",
    "accounts.reset_expire": "重置申请过期失效",
    "accounts.user_create": "创建用户",
    "accounts.password_set": "重设密码",
    "accounts.unlock": "解除账号锁定",
    "accounts.activate": "启用账号",
    "accounts.deactivate": "停用账号",
    "accounts.grant_add": "授予角色",
    "accounts.grant_revoke": "撤销角色",
    "accounts.login": "登录",
    "accounts.login_failed": "登录失败",
    "accounts.login_locked": "锁定期内尝试登录",
    "accounts.lockout": "多次验证失败，账号被锁定",
    "accounts.totp_enrol": "绑定动态口令",
    "accounts.totp_failed": "动态口令验证失败",
    "accounts.totp_reset": "重置动态口令",
}
