from django.contrib import admin

from common.admin import ReadOnlyAdmin

from .models import CivicRole, RoleAssignment, User


@admin.register(User)
class UserAdmin(ReadOnlyAdmin):
    list_display = ["username", "first_name", "last_name", "phone", "is_active", "activated_at"]
    search_fields = ["username", "first_name", "last_name", "phone"]
    exclude = ["password"]


@admin.register(RoleAssignment)
class RoleAssignmentAdmin(ReadOnlyAdmin):
    list_display = ["user", "role", "unit", "starts_on", "ends_on"]
    list_filter = ["role"]
    list_select_related = ["user", "unit"]


@admin.register(CivicRole)
class CivicRoleAdmin(ReadOnlyAdmin):
    list_display = ["user", "kind", "organisation", "area", "starts_on", "ends_on"]
    list_filter = ["kind"]
    list_select_related = ["user", "organisation", "area"]
