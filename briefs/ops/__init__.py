"""Running the site: backups, demo content, security logging."""
