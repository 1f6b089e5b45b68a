from xuncha.planning.models.assignments import Assignment, AssignmentEvent
from xuncha.planning.models.plans import AnnualPlan, ApprovalStep, CoveragePlan, PlanCandidate, Round
from xuncha.planning.models.teams import (
    Authorization,
    ConflictDeclaration,
    FormationRun,
    PoolMember,
    Team,
    TeamMember,
)

__all__ = [
    "AnnualPlan",
    "ApprovalStep",
    "Assignment",
    "AssignmentEvent",
    "Authorization",
    "ConflictDeclaration",
    "CoveragePlan",
    "FormationRun",
    "PlanCandidate",
    "PoolMember",
    "Round",
    "Team",
    "TeamMember",
]
