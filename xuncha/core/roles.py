"""The role vocabulary of domain.md §6.1 (team roles arrive with teams).

Grants of these roles are stored by the accounts app; this module only names them, so
that every app can write its access rules without importing a higher layer.
"""

from django.db import models


class Role(models.TextChoices):
    OFFICE_DIRECTOR = "office_director", "巡察办主任"
    OFFICE_ADMIN = "office_admin", "巡察办管理员"
    OFFICE_STAFF = "office_staff", "巡察办工作人员"
    LEADING_GROUP = "leading_group", "巡察工作领导小组成员"
    COMMITTEE_MEMBER = "committee_member", "派出党委领导"
    SUPERVISING_LEADER = "supervising_leader", "分管领导"
    DISCIPLINE_ORG = "discipline_org", "纪委监委"
    ORG_DEPT = "org_dept", "组织部"
    FUNCTIONAL_DEPT = "functional_dept", "职能部门"
    UNIT_LEADER = "unit_leader", "被巡察党组织主要负责人"
    UNIT_LIAISON = "unit_liaison", "被巡察单位联络员"
    SYS_ADMIN = "sys_admin", "系统管理员"
    SEC_ADMIN = "sec_admin", "安全保密管理员"
    SEC_AUDITOR = "sec_auditor", "安全审计员"


OFFICE_ROLES = frozenset({Role.OFFICE_DIRECTOR, Role.OFFICE_ADMIN, Role.OFFICE_STAFF})

# Roles that act for a whole committee (and, downward, the committees below it).
COMMITTEE_ROLES = frozenset(
    {
        Role.OFFICE_DIRECTOR,
        Role.OFFICE_ADMIN,
        Role.OFFICE_STAFF,
        Role.LEADING_GROUP,
        Role.COMMITTEE_MEMBER,
        Role.SUPERVISING_LEADER,
        Role.DISCIPLINE_ORG,
        Role.ORG_DEPT,
    }
)

# Roles that act for one organisation.
ORGANIZATION_ROLES = frozenset({Role.UNIT_LEADER, Role.UNIT_LIAISON, Role.FUNCTIONAL_DEPT})

# 三员: separation of duties in a classified system; they hold no business role and see
# no business data.
THREE_ADMIN_ROLES = frozenset({Role.SYS_ADMIN, Role.SEC_ADMIN, Role.SEC_AUDITOR})

# Roles that must pass a TOTP second factor at every log-in.
# The office director reads problem leads; the discipline commission and the organisation department read the
# leads transferred to them: all of them are targets, so all of them pass a second factor.
SECOND_FACTOR_ROLES = frozenset(
    {Role.OFFICE_DIRECTOR, Role.OFFICE_ADMIN, Role.OFFICE_STAFF, Role.LEADING_GROUP, Role.DISCIPLINE_ORG,
     Role.ORG_DEPT, *THREE_ADMIN_ROLES}
)  # fmt: skip

# Committee roles whose holders may read the organisation registry of their scope.
REGISTRY_READERS = COMMITTEE_ROLES
