from django.contrib import admin

from common.admin import ReadOnlyAdmin

from .models import ChangeLog


@admin.register(ChangeLog)
class ChangeLogAdmin(ReadOnlyAdmin):
    list_display = ["time", "actor_name", "source", "action", "object_repr", "reason"]
    list_filter = ["source", "action"]
    search_fields = ["object_repr", "actor_name", "reason"]
