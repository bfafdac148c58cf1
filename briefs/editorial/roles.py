"""Names of the editorial roles (groups created by migration 0002)."""

EDITORS_GROUP = "Rédacteurs"
REVIEWERS_GROUP = "Relecteurs"
CHIEF_EDITORS_GROUP = "Rédacteurs en chef"
