"""All models, imported here so that Base.metadata knows every table."""
from ..domain.questions import TYPE_LABELS
from .audit import AuditEvent
from .bank import QUESTION_TYPES, Question, QuestionReport, QuestionVersion, Topic
from .exams import (
    EXAM_KINDS,
    MULTIPLE_SCORING,
    REVIEW_POLICIES,
    Answer,
    Attempt,
    AttemptItem,
    Exam,
    ExamExaminee,
    ExamFixedQuestion,
    ExamRule,
    ExamUnit,
    Exemption,
)
from .files import StashedFile
from .org import ROLE_LABELS, ROLES, OrgUnit, User
from .practice import PracticeAnswer, WrongBookEntry

__all__ = [
    "AuditEvent", "QUESTION_TYPES", "TYPE_LABELS", "Question", "QuestionReport", "QuestionVersion", "Topic",
    "EXAM_KINDS", "MULTIPLE_SCORING", "REVIEW_POLICIES", "Answer", "Attempt", "AttemptItem",
    "Exam", "ExamExaminee", "ExamFixedQuestion", "ExamRule", "ExamUnit", "Exemption", "ROLE_LABELS", "ROLES",
    "OrgUnit", "User", "StashedFile", "PracticeAnswer", "WrongBookEntry",
]
