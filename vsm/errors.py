"""Errors a person can act on."""


class VsmError(ValueError):
    """Something a person typed or asked for cannot be done; the message says why.

    Args:
        message: one or two short sentences for the person, already in their words.
        usage: the right form to show beside the message, if there is one.
    """

    def __init__(self, message: str, usage: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.usage = usage
