"""Case reviews: serious incidents, rapid reviews, local child safeguarding practice reviews
(LCSPRs), publication, recommendations and their action plans, and learning themes.

One `Review` is the case file a serious incident opens; everything else hangs off it, so that
one scope (`Review.objects.visible_to(user)`) decides who may see any part of it.

Every statutory due date is stored, computed by `services` from the event that starts it and
the `ReviewRules` row, never typed in by a user. When the rules change, the dates of open
items are computed again; completed items keep the dates they were held to.

One module per section: common, config, review, incidents, rapid, participation, local,
documents, publication, recommendations, deadlines. Every model is imported here, so Django finds them
(app label `reviews`), and every name is re-exported, so `from .models import ...` and the
migrations' `partnership.reviews.models.today` keep working.
"""

from .common import today as today
from .config import AbuseType as AbuseType
from .config import ControlledTerm as ControlledTerm
from .config import IncidentOutcome as IncidentOutcome
from .config import LearningTheme as LearningTheme
from .config import Recipient as Recipient
from .config import ReviewRules as ReviewRules
from .config import StartingEvent as StartingEvent
from .config import parse_offsets as parse_offsets
from .deadlines import STATUTORY_KINDS as STATUTORY_KINDS
from .deadlines import Deadline as Deadline
from .deadlines import DeadlineKind as DeadlineKind
from .deadlines import DeadlineQuerySet as DeadlineQuerySet
from .deadlines import ReminderSent as ReminderSent
from .documents import DocumentKind as DocumentKind
from .documents import ReviewDocument as ReviewDocument
from .documents import StoredFile as StoredFile
from .documents import document_path as document_path
from .documents import evidence_path as evidence_path
from .incidents import Incident as Incident
from .incidents import Notification as Notification
from .local import AgencyRequest as AgencyRequest
from .local import AppealOutcome as AppealOutcome
from .local import Commission as Commission
from .local import ConflictRecommendation as ConflictRecommendation
from .local import Declaration as Declaration
from .local import LocalReview as LocalReview
from .local import LocalReviewKind as LocalReviewKind
from .local import MonitoringEntry as MonitoringEntry
from .local import PanelMember as PanelMember
from .local import PractitionerEvent as PractitionerEvent
from .local import Quality as Quality
from .local import RequestKind as RequestKind
from .local import Timeliness as Timeliness
from .participation import REPORT_SECTIONS as REPORT_SECTIONS
from .participation import DelegatedPartner as DelegatedPartner
from .participation import RapidReviewReport as RapidReviewReport
from .publication import Publication as Publication
from .publication import PublicationQuerySet as PublicationQuerySet
from .publication import PublicationStatus as PublicationStatus
from .publication import public_content as public_content
from .rapid import CRITERIA_SECTIONS as CRITERIA_SECTIONS
from .rapid import AgencyContribution as AgencyContribution
from .rapid import AgencySummary as AgencySummary
from .rapid import Criterion as Criterion
from .rapid import CriterionAssessment as CriterionAssessment
from .rapid import Decision as Decision
from .rapid import RapidReview as RapidReview
from .rapid import RapidReviewStatus as RapidReviewStatus
from .rapid import SignOff as SignOff
from .rapid import SubmissionStatus as SubmissionStatus
from .rapid import contact_organisation_q as contact_organisation_q
from .recommendations import ActionItem as ActionItem
from .recommendations import ActionStatus as ActionStatus
from .recommendations import EvidenceFile as EvidenceFile
from .recommendations import LearningProduct as LearningProduct
from .recommendations import ProductKind as ProductKind
from .recommendations import Recommendation as Recommendation
from .recommendations import RecommendationStatus as RecommendationStatus
from .review import REVIEW_AND_LEARNING_GROUP as REVIEW_AND_LEARNING_GROUP
from .review import REVIEW_STATUS_COLOURS as REVIEW_STATUS_COLOURS
from .review import ROLES_SEEING_EVERY_REVIEW as ROLES_SEEING_EVERY_REVIEW
from .review import AccessReason as AccessReason
from .review import Review as Review
from .review import ReviewAccess as ReviewAccess
from .review import ReviewQuerySet as ReviewQuerySet
from .review import ReviewStatus as ReviewStatus
