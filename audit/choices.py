from django.db import models
from django.utils.translation import gettext_lazy as _


class ChangeSource(models.TextChoices):
    WEB = "web", _("Web")
    API = "api", _("API")
    IMPORT = "import", _("Import")
    ADMIN = "admin", _("Administration")
    COMMAND = "command", _("Command")
    SYSTEM = "system", _("System")


class ChangeAction(models.TextChoices):
    CREATE = "create", _("Created")
    UPDATE = "update", _("Updated")
    MOVE = "move", _("Moved")
    MERGE = "merge", _("Merged")
    CLOSE = "close", _("Closed")
    STATUS = "status", _("Status changed")
    ACTIVATE = "activate", _("Account activated")
    ROLE_GRANT = "role_grant", _("Role granted")
    ROLE_REVOKE = "role_revoke", _("Role revoked")
    EXPORT = "export", _("Exported")
