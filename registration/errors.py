"""The base of the registration services' coded errors: a rule said no, `code` says which, `message` says it."""


class CodedError(Exception):
    """Subclasses list their codes and the translated message for each in MESSAGES."""

    MESSAGES = {}

    def __init__(self, code):
        self.code = code
        super().__init__(str(self.MESSAGES[code]))

    @property
    def message(self):
        return self.MESSAGES[self.code]
