"""Roles and permissions, enforced in the supervisor services (not only hidden in the UI).

Every service method that changes money, tokens or the day's books, and every one that shows
or exports figures (reports, Z reports, a drawer's expected cash, the journal, the
needs-attention queue), takes the acting operator (`Actor`) and calls `require` (or
`ApprovalService.authorise`). The screens use `allowed` only to hide or disable controls.
A cashier who lacks a permission may still do the action when a supervisor approves it with
their PIN (see `approvals.ApprovalService`), and the approval is journaled; `authorise`
combines both checks.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from common.errors import PermissionDenied
from common.i18n import N_, _


class Role(StrEnum):
    """Operator roles as the server sends them (`GET /v1/operators`)."""

    CASHIER = "cashier"
    SUPERVISOR = "supervisor"
    ADMIN = "admin"


class Permission(StrEnum):
    """Things an operator may be allowed to do."""

    SELL = "sell"
    OPEN_SHIFT = "open_shift"
    CASH_DROP = "cash_drop"
    CLOSE_SHIFT = "close_shift"
    X_REPORT = "x_report"
    REPRINT = "reprint"
    REPRINT_BEYOND_POLICY = "reprint_beyond_policy"
    REVERSAL = "reversal"
    ENGINEERING_TOKEN = "engineering_token"  # noqa: S105 - a permission name
    CLOSE_DAY = "close_day"  # issue the Z report
    VIEW_REPORTS = "view_reports"
    EXPORT_REPORTS = "export_reports"
    RESOLVE_ATTENTION = "resolve_attention"
    VIEW_ATTENTION = "view_attention"  # list the sales that need attention
    VIEW_SHIFT_FIGURES = "view_shift_figures"  # a drawer's expected cash before the count
    VIEW_JOURNAL = "view_journal"
    APPROVE = "approve"  # approve another operator's action with one's PIN


_CASHIER = frozenset({
    Permission.SELL, Permission.OPEN_SHIFT, Permission.CASH_DROP, Permission.CLOSE_SHIFT,
    Permission.X_REPORT, Permission.REPRINT,
})
_SUPERVISOR = _CASHIER | {
    Permission.REPRINT_BEYOND_POLICY, Permission.REVERSAL, Permission.ENGINEERING_TOKEN,
    Permission.CLOSE_DAY, Permission.VIEW_REPORTS, Permission.EXPORT_REPORTS,
    Permission.RESOLVE_ATTENTION, Permission.VIEW_ATTENTION, Permission.VIEW_SHIFT_FIGURES,
    Permission.VIEW_JOURNAL, Permission.APPROVE,
}
ROLE_PERMISSIONS: dict[Role, frozenset[Permission]] = {
    Role.CASHIER: _CASHIER,
    Role.SUPERVISOR: frozenset(_SUPERVISOR),
    Role.ADMIN: frozenset(Permission),
}

#: What a cashier can get done with a supervisor's PIN (everything else is refused outright).
APPROVABLE = frozenset({
    Permission.REPRINT_BEYOND_POLICY, Permission.REVERSAL, Permission.ENGINEERING_TOKEN,
    Permission.CLOSE_DAY, Permission.RESOLVE_ATTENTION, Permission.VIEW_ATTENTION,
})

# What each permission lets one do, as the end of "... may not {action}." and "A supervisor
# must approve: {action}." (English; `describe` gives them in the current language).
_DESCRIPTIONS: dict[Permission, str] = {
    Permission.REVERSAL: N_("reverse a sale"),
    Permission.ENGINEERING_TOKEN: N_("issue an engineering token"),
    Permission.CLOSE_DAY: N_("close the day (Z report)"),
    Permission.REPRINT_BEYOND_POLICY: N_("reprint beyond the reprint policy"),
    Permission.RESOLVE_ATTENTION: N_("resolve a sale that needs attention"),
    Permission.VIEW_JOURNAL: N_("view the audit journal"),
    Permission.VIEW_REPORTS: N_("view sales reports"),
    Permission.EXPORT_REPORTS: N_("export sales reports"),
    Permission.VIEW_ATTENTION: N_("see the sales that need attention"),
    Permission.VIEW_SHIFT_FIGURES: N_("see a drawer's expected cash"),
    Permission.X_REPORT: N_("print the X report"),
}

_ROLE_NAMES: dict[Role, str] = {
    Role.CASHIER: N_("cashier"), Role.SUPERVISOR: N_("supervisor"), Role.ADMIN: N_("admin"),
}


def describe(permission: Permission) -> str:
    """A few words for messages, in the current language: 'reverse a sale'."""
    words = _DESCRIPTIONS.get(permission)
    return _(words) if words else permission.value.replace("_", " ")


def role_name(role: Role) -> str:
    """The role as messages name it, in the current language: 'cashier'."""
    return _(_ROLE_NAMES[role])


@dataclass(frozen=True)
class Actor:
    """The signed-in operator on whose behalf a service call runs."""

    id: str
    name: str
    role: Role

    @classmethod
    def of(cls, operator_id: str, name: str, role: str) -> Actor:
        """Build from plain strings; an unknown role is refused (never guessed upward)."""
        try:
            parsed = Role(role)
        except ValueError:
            raise PermissionDenied(_("Operator {operator} has an unknown role.").format(
                operator=operator_id)) from None
        return cls(operator_id, name, parsed)


def allowed(role: Role, permission: Permission) -> bool:
    """True when `role` holds `permission` on its own."""
    return permission in ROLE_PERMISSIONS.get(role, frozenset())


def hint_for(permission: Permission) -> str:
    """What someone refused `permission` can do about it."""
    if permission in APPROVABLE:
        return _("Ask a supervisor to approve it with their PIN.")
    return _("Ask a supervisor to sign in and do it.")


def require(actor: Actor, permission: Permission) -> None:
    """Raise PermissionDenied unless `actor` holds `permission` on its own."""
    if not allowed(actor.role, permission):
        raise PermissionDenied(not_allowed(actor, permission), hint=hint_for(permission))


def not_allowed(actor: Actor, permission: Permission) -> str:
    """'Thandi (cashier) may not reverse a sale.' in the current language."""
    return _("{operator} ({role}) may not {action}.").format(
        operator=actor.name or actor.id, role=role_name(actor.role), action=describe(permission))
