"""Imports every area's models so that Base.metadata knows every table (Alembic, tests)."""

from collab.accounts.models import PasswordResetToken, User  # noqa: F401

# Two-step sign-in (issue 7)
from collab.accounts.two_step_models import RecoveryCode, TwoStep  # noqa: F401
from collab.agreements.models import (  # noqa: F401
    Agreement,
    AgreementVersion,
    Clause,
    ClauseRevision,
    Proposal,
    ProposalResponse,
    Signature,
    VersionClause,
)
from collab.alliances.models import (  # noqa: F401
    Alliance,
    Invitation,
    Membership,
    Organisation,
    OrganisationCorrection,
    SharedOutcome,
)
from collab.audit import AuditEntry  # noqa: F401
from collab.documents.models import Comment, DiscussionThread  # noqa: F401
from collab.foryou.models import AttentionVisit  # noqa: F401  (issue 9: the For you page)
from collab.notifications.models import (  # noqa: F401
    EmailSetting,
    Notification,
    NotificationDigest,
    NotificationPreference,
    SentReminder,
)
from collab.resources.models import (  # noqa: F401
    AvailabilityException,
    Booking,
    CalendarFeed,
    Need,
    NeedOffer,
    Resource,
    WeeklyOpening,
)
from collab.revisions import AllianceRevision  # noqa: F401
from collab.specs.models import (  # noqa: F401
    CommentSupport,
    Spec,
    SpecClauseLink,
    SpecComment,
    SpecParagraph,
    SpecResponse,
    SpecSection,
    SpecSectionVersion,
    SpecVersion,
)
from collab.value.models import (  # noqa: F401  (Value, not price: issue 13)
    BookLine,
    KeyResultArea,
    KraResult,
    ShareLine,
    TargetCost,
    ValueCommitment,
    ValueMeasure,
    ValueMeasureVersion,
    ValueOutcome,
    ValuePeriod,
    ValueReport,
    ValueTheme,
)

# Co-production workshops (issue 11)
from collab.workshops.models import (  # noqa: F401, E402
    Action,
    AgendaItem,
    Contribution,
    Decision,
    Idea,
    Invitee,
    Theme,
    Vote,
    Workshop,
)
from collab.workshops.models import CalendarFeed as WorkshopCalendarFeed  # noqa: F401, E402
