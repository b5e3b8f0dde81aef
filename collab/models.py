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
from collab.notifications.models import Notification, NotificationPreference  # noqa: F401
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
