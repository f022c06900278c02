from django.contrib import admin

from common.admin import ReadOnlyAdmin

from .models import AdminArea, Organisation, Unit


@admin.register(Unit)
class UnitAdmin(ReadOnlyAdmin):
    list_display = ["code", "name", "kind", "depth", "opened_on", "closed_on"]
    list_filter = ["kind"]
    search_fields = ["code", "name"]
    ordering = ["path"]


@admin.register(AdminArea)
class AdminAreaAdmin(ReadOnlyAdmin):
    list_display = ["code", "name", "kind", "depth"]
    list_filter = ["kind"]
    search_fields = ["code", "name"]
    ordering = ["path"]


@admin.register(Organisation)
class OrganisationAdmin(ReadOnlyAdmin):
    list_display = ["code", "name", "kind", "area", "closed_on"]
    list_filter = ["kind"]
    search_fields = ["code", "name"]
    list_select_related = ["area"]
