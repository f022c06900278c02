from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MembersConfig(AppConfig):
    name = "members"
    verbose_name = _("Members")

    def ready(self) -> None:
        # Members live in cells: closing and merging units (orgunits) reach them through this registration.
        from orgunits import contents

        from .selectors import active_members_in_subtree, current_member_counts
        from .services import members_move_to_cell

        contents.register(
            contents.UnitContents(
                name="members",
                present_in_subtree=lambda unit: active_members_in_subtree(unit).exists(),
                present_message=_("Members still belong to this unit: move them or merge the unit first."),
                move_to_cell=members_move_to_cell,
            )
        )
        contents.register_headcount(current_member_counts)
