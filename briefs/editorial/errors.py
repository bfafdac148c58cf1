"""Why the workflow refused something, in words for a person."""

from __future__ import annotations


class WorkflowError(Exception):
    """A workflow action was refused; ``message`` says why, for a person."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


class EditConflict(WorkflowError):
    """Someone else saved the variant since the editor loaded it."""


class ConfirmationNeeded(WorkflowError):
    """The action has consequences the person must confirm; ``message`` says which."""


class ContentRefused(WorkflowError):
    """The text breaks a limit every door enforces; ``problems`` maps field to why."""

    def __init__(self, problems: dict[str, str]):
        super().__init__(" ".join(problems.values()))
        self.problems = problems
