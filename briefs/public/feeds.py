"""RSS 2.0 and Atom feeds of one audience's published briefs."""

from __future__ import annotations

from django.contrib.syndication.views import Feed
from django.urls import reverse
from django.utils.decorators import method_decorator
from django.utils.feedgenerator import Atom1Feed, Rss201rev2Feed
from django.utils.text import Truncator
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from ..models import Audience
from ..text.plain import plain_text
from . import selectors, seo

FEED_LENGTH = 30


class AudienceFeed(Feed):
    """The latest briefs of one audience, in the language of the URL (RSS 2.0)."""

    feed_type = Rss201rev2Feed

    @property
    def lang(self) -> str:
        # Read per call: one Feed instance serves every request and thread.
        return selectors.site_language(get_language())

    def get_object(self, request, audience: str) -> Audience:
        return selectors.audience_or_404(audience)

    def title(self, audience: Audience) -> str:
        return _("%(site)s · %(audience)s") % {
            "site": seo.site_name(),
            "audience": audience.name,
        }

    def link(self, audience: Audience) -> str:
        return audience.get_absolute_url()

    def description(self, audience: Audience) -> str:
        return str(audience.description)

    def feed_url(self, audience: Audience) -> str:
        name = "briefs:atom" if self.feed_type is Atom1Feed else "briefs:feed"
        return reverse(name, kwargs={"audience": audience.code})

    def items(self, audience: Audience) -> list[selectors.FeedItem]:
        return selectors.feed_items(
            audience=audience, lang=self.lang, limit=FEED_LENGTH
        )

    def item_title(self, item: selectors.FeedItem) -> str:
        return item.title

    def item_description(self, item: selectors.FeedItem) -> str:
        if item.standfirst:
            return item.standfirst
        return Truncator(plain_text(item.body_html)).words(60)

    def item_link(self, item: selectors.FeedItem) -> str:
        return item.url

    def item_guid(self, item: selectors.FeedItem) -> str:
        return f"tag:briefs,{item.slug}:{item.audience_code}:{self.lang}"

    item_guid_is_permalink = False

    def item_pubdate(self, item: selectors.FeedItem):
        return item.first_published_at

    def item_updateddate(self, item: selectors.FeedItem):
        return item.last_published_at or item.first_published_at

    def item_author_name(self, item: selectors.FeedItem) -> str | None:
        return item.author_name

    def item_categories(self, item: selectors.FeedItem) -> list[str]:
        return item.categories

    @method_decorator(require_safe)
    def __call__(self, request, *args, **kwargs):
        response = super().__call__(request, *args, **kwargs)
        response.headers["Content-Language"] = self.lang
        return response


class AudienceAtomFeed(AudienceFeed):
    """The same feed as Atom 1.0."""

    feed_type = Atom1Feed
    subtitle = AudienceFeed.description
