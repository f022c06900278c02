from django.contrib import admin

from .models import FieldPolicy


@admin.register(FieldPolicy)
class FieldPolicyAdmin(admin.ModelAdmin):
    """The policy table is the one thing of this app administrators edit directly."""

    list_display = ["field_name", "route", "deadline_working_days"]
    list_editable = ["route", "deadline_working_days"]
    list_filter = ["route"]
    search_fields = ["field_name"]
