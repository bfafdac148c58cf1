"""Signals: cache invalidation only (publishing and mail never happen here)."""
