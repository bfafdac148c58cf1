"""The public site: pages, feeds, sitemaps, search, and keeping them fresh."""
