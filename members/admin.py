from django.contrib import admin

from common.admin import ReadOnlyAdmin

from .models import Member


@admin.register(Member)
class MemberAdmin(ReadOnlyAdmin):
    list_display = ["full_name", "date_of_birth", "unit", "status", "card_number"]
    list_filter = ["status", "standing", "is_eligible"]
    list_select_related = ["unit"]
    search_fields = ["search_name", "card_number", "citizen_id"]
