from django.core.exceptions import ValidationError


class H5PValidationError(ValidationError):
    """An H5P package was refused; nothing was written.

    ``messages`` lists translated sentences for the author, each naming the file and the
    rule; ``codes`` lists the machine-readable rule of each (e.g. ``"zip-slip"``).
    """

    def __init__(self, errors):
        if isinstance(errors, ValidationError):
            errors = [errors]
        super().__init__(list(errors))

    @property
    def codes(self):
        return [error.code for error in self.error_list]

    def __str__(self):
        return " ".join(self.messages)
