"""The newsroom's models, one module per concern, re-exported here."""

from .audience import Audience, Topic
from .comments import ReviewComment, TextPart
from .content import Brief, State, Variant
from .feedback import FeedbackKind, ReaderFeedback
from .glossary import GlossaryTerm
from .outbox import MailKind, MailStatus, OutboxMail
from .profile import Profile
from .redirects import SlugRedirect
from .review import EventAction, ReviewEvent
from .revision import ChangeKind, Revision
from .sources import Citation, Source, SourceKind

__all__ = [
    "Audience",
    "Brief",
    "ChangeKind",
    "Citation",
    "EventAction",
    "FeedbackKind",
    "GlossaryTerm",
    "MailKind",
    "MailStatus",
    "OutboxMail",
    "Profile",
    "ReaderFeedback",
    "ReviewComment",
    "ReviewEvent",
    "Revision",
    "SlugRedirect",
    "Source",
    "SourceKind",
    "State",
    "TextPart",
    "Topic",
    "Variant",
]
