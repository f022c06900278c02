"""Django's password validators with our own wording, translated in our catalogue.

Django's Vietnamese catalogue says "bạn" and "Nó phải chứa…"; the site addresses members as "đồng chí"
(README, "Vietnamese terms"). The checks are Django's; only the messages change.
"""

from django.contrib.auth import password_validation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext


class MinimumLengthValidator(password_validation.MinimumLengthValidator):
    def get_error_message(self):
        return ngettext(
            "The password is too short: use at least %(min_length)d character.",
            "The password is too short: use at least %(min_length)d characters.",
            self.min_length,
        )

    def get_help_text(self):
        return ngettext(
            "At least %(min_length)d character.", "At least %(min_length)d characters.", self.min_length
        ) % {"min_length": self.min_length}


class UserAttributeSimilarityValidator(password_validation.UserAttributeSimilarityValidator):
    def get_error_message(self):
        return _("The password is too like the account's %(verbose_name)s.")

    def get_help_text(self):
        return _("Not like the name or username.")


class CommonPasswordValidator(password_validation.CommonPasswordValidator):
    def get_error_message(self):
        return _("This password is one of the most common ones and easy to guess.")

    def get_help_text(self):
        return _("Not a common password such as 12345678 or matkhau1.")


class NumericPasswordValidator(password_validation.NumericPasswordValidator):
    def get_error_message(self):
        return _("The password must not be digits only.")

    def get_help_text(self):
        return _("Not digits only.")
