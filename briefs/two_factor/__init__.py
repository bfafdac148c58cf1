"""Second factor for staff sign-in: authenticator apps and recovery codes."""
