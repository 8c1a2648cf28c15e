"""Typed SQLAlchemy 2.0 models, one module per domain."""

from lawlearn.models.accounts import LoginSession, User, leader_units
from lawlearn.models.activities import (
    ActivityStop,
    ActivityVisitingUnit,
    CohortMember,
    CountyActivity,
    Lecturer,
)
from lawlearn.models.areas import Area
from lawlearn.models.assessment import (
    AssessmentEntry,
    AssessmentEvidence,
    AssessmentPublication,
    AssessmentRectification,
    AssessmentScheme,
    AssessmentSessionLink,
)
from lawlearn.models.audit import AuditEvent
from lawlearn.models.base import Base
from lawlearn.models.binders import BinderJob
from lawlearn.models.budgets import BudgetAllocation, BudgetDisbursement, BudgetStandard
from lawlearn.models.exams import Exam, ExamCandidate, ExamSitting
from lawlearn.models.people import Person
from lawlearn.models.period_locks import PeriodLock
from lawlearn.models.plans import (
    Checkoff,
    Milestone,
    MilestoneFormat,
    MilestoneTopic,
    Plan,
    PlanStage,
)
from lawlearn.models.quizzes import Attempt, AttemptItem, Question, Quiz, QuizPart, QuizSheet
from lawlearn.models.recognition import Recognition
from lawlearn.models.reports import (
    AreaMonthStats,
    AreaTopicMonthStats,
    LedgerMask,
    LedgerRange,
    Target,
)
from lawlearn.models.returns import MonthlyReturn
from lawlearn.models.sessions import ATTENDED, Attendance, SessionPhoto, SessionTopic, StudySession
from lawlearn.models.units import RosterMember, StudyUnit

__all__ = [
    "ATTENDED", "ActivityStop", "ActivityVisitingUnit", "Area", "AreaMonthStats",
    "AreaTopicMonthStats", "AssessmentEntry", "AssessmentEvidence", "AssessmentPublication",
    "AssessmentRectification", "AssessmentScheme", "AssessmentSessionLink", "Attempt",
    "AttemptItem", "Attendance", "AuditEvent", "Base", "BinderJob", "BudgetAllocation",
    "BudgetDisbursement", "BudgetStandard", "Checkoff", "CohortMember", "CountyActivity",
    "Exam", "ExamCandidate", "ExamSitting", "Lecturer", "LedgerMask", "LedgerRange",
    "LoginSession", "Milestone", "MilestoneFormat", "MilestoneTopic", "MonthlyReturn",
    "PeriodLock", "Person", "Plan", "PlanStage", "Question", "Quiz", "QuizPart", "QuizSheet",
    "Recognition", "RosterMember", "SessionPhoto", "SessionTopic", "StudySession", "StudyUnit",
    "Target", "User", "leader_units",
]
