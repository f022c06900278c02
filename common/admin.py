from django.contrib import admin

from .models import PublicHoliday


class ReadOnlyAdmin(admin.ModelAdmin):
    """Django's admin for looking only: every write goes through the services, which keep the change log."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(PublicHoliday)
class PublicHolidayAdmin(admin.ModelAdmin):
    """Configuration, like the correction policy table: administrators keep the calendar of days off."""

    list_display = ["day", "name"]
    date_hierarchy = "day"
