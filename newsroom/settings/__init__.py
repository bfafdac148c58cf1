"""Settings as a base plus one overlay per environment (dev, test, prod)."""
