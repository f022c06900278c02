"""Model fields shared by the apps."""

from django.core.validators import MaxLengthValidator
from django.db import models

# Long free text a user writes (a notice, minutes, a reason): about four typed pages.
LONG_TEXT_MAX_LENGTH = 10_000


class BoundedTextField(models.TextField):
    """A TextField whose max_length is a rule, not only a hint to the form's widget.

    Django's own TextField passes max_length to its form field but full_clean() does not check it, so a
    service or an API request could store any length. Here full_clean() refuses a longer text, and the form
    field (a textarea with maxlength) says so before it is sent.
    """

    def __init__(self, *args, max_length: int = LONG_TEXT_MAX_LENGTH, **kwargs):
        super().__init__(*args, max_length=max_length, **kwargs)
        self.validators.append(MaxLengthValidator(self.max_length))
