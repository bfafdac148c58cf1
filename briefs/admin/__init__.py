"""The editorial back office, one module per admin; importing it registers them.

Admin classes are declarative and call the services (briefs.editorial,
briefs.sources); none of them holds a business rule.
"""

from ..two_factor import admin as two_factor_admin  # noqa: F401
from . import (  # noqa: F401 (each module registers its admins)
    axes,
    briefs,
    events,
    feedback,
    outbox,
    reference,
    sources,
    variants,
)
