from django.urls import path

from . import views

app_name = "admission"
urlpatterns = [
    path("", views.index, name="index"),
    path("late/", views.late, name="late"),
    path("probation/<int:pk>/", views.case, name="case"),
    path("probation/<int:pk>/file/", views.file, name="file"),
    path("probation/<int:pk>/vote/", views.vote, name="vote"),
    path("probation/<int:pk>/decide/", views.decide, name="decide"),
    *[
        path(
            f"probation/<int:pk>/{form}.docx",
            views.case_form_docx,
            {"form": form},
            name=f"case_{form.replace('-', '_')}",
        )
        for form in views.CASE_FORMS
    ],
    *[
        path(
            f"candidates/<int:pk>/{form}.docx",
            views.candidate_form_docx,
            {"form": form},
            name=f"candidate_{form.replace('-', '_')}",
        )
        for form in views.CANDIDATE_FORMS
    ],
    path("candidates/", views.candidates, name="candidates"),
    path("candidates/new/", views.candidate_new, name="candidate_new"),
    path("candidates/<int:pk>/", views.candidate, name="candidate"),
    path("candidates/<int:pk>/decision.docx", views.candidate_decision_docx, name="candidate_docx"),
    *[
        path(f"candidates/<int:pk>/{step}/", views.candidate_step, {"step": step}, name=f"candidate_{step}")
        for step in views.CANDIDATE_STEP_SERVICES
    ],
]
