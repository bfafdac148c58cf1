"""The editorial capability: workflow actions, revisions, review, mail, roles."""
