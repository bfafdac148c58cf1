"""The query budgets of the site, in one place (DESIGN.md, "Budgets")."""

# A published page, rendered with nothing cached.
DETAIL = 3
# A listing page (home, audience, topic, feed, search), whatever its length.
LISTING = 4
# Any public page served from the cache.
CACHED = 0
# An admin changelist or search, with tens of thousands of rows.
ADMIN_CHANGELIST = 15
