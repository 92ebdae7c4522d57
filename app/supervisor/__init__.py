"""Supervisor features (Qt-free): roles and approvals, shifts, X/Z reports, reversals,
engineering tokens, the needs-attention queue, audit and exports. See docs/supervisor.md.
"""

from app.supervisor.approvals import Approval, ApprovalService, CallableVerifier, ScryptVerifier
from app.supervisor.context import TerminalContext
from app.supervisor.permissions import Actor, Permission, Role, require
from app.supervisor.services import SupervisorServices

__all__ = [
    "Actor",
    "Approval",
    "ApprovalService",
    "CallableVerifier",
    "Permission",
    "Role",
    "ScryptVerifier",
    "SupervisorServices",
    "TerminalContext",
    "require",
]
