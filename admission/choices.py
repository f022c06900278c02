from django.db import models
from django.utils.translation import gettext_lazy as _


class ProbationStage(models.TextChoices):
    OPEN = "open", _("Preparing the file")
    # The cell voted to propose the member: the commune-level committee decides.
    CELL_VOTED = "cell_voted", _("Waiting for the committee's decision")
    # Extended once (up to 12 more months): the file and the cell's vote start again for the new date.
    EXTENDED = "extended", _("Probation extended")
    OFFICIAL = "official", _("Made official")
    ENDED = "ended", _("Probation ended, removed from the party")


# A case still waiting for the committee: counted as due, and late once its date has passed.
OPEN_STAGES = (ProbationStage.OPEN, ProbationStage.CELL_VOTED, ProbationStage.EXTENDED)
# Stages in which the secretary records the file and the cell's vote.
FILING_STAGES = (ProbationStage.OPEN, ProbationStage.EXTENDED)


class ProbationOutcome(models.TextChoices):
    OFFICIAL = "official", _("Recognise as an official member")
    EXTEND = "extend", _("Extend the probation")
    END = "end", _("End the probation (remove from the party)")


class CandidateStage(models.TextChoices):
    PROPOSED = "proposed", _("Proposed by the cell")
    TRAINED = "trained", _("Trained (course certificate)")
    VERIFIED = "verified", _("Background verified")
    INTRODUCED = "introduced", _("Introduced by two members")
    CELL_VOTED = "cell_voted", _("Voted by the cell, waiting for the committee")
    ADMITTED = "admitted", _("Admitted")
    DROPPED = "dropped", _("Dropped")


# The steps in order: each is recorded once the one before it is.
CANDIDATE_STEPS = (
    CandidateStage.PROPOSED,
    CandidateStage.TRAINED,
    CandidateStage.VERIFIED,
    CandidateStage.INTRODUCED,
    CandidateStage.CELL_VOTED,
    CandidateStage.ADMITTED,
)
OPEN_CANDIDATE_STAGES = CANDIDATE_STEPS[:-1]
