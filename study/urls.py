from django.urls import path

from . import views

app_name = "study"
urlpatterns = [
    path("", views.index, name="index"),
    path("new/", views.new, name="new"),
    path("step/", views.step_done, name="step_done"),
    path("questions/sample.xlsx", views.questions_sample, name="questions_sample"),
    path("<int:pk>/", views.assignment, name="assignment"),
    path("<int:pk>/quiz/", views.quiz, name="quiz"),
    path("<int:pk>/questions/", views.questions, name="questions"),
    path("<int:pk>/questions/import/", views.questions_import, name="questions_import"),
    path("<int:pk>/questions/remove/", views.question_remove, name="question_remove"),
    path("<int:pk>/extend/", views.extend, name="extend"),
    path("<int:pk>/withdraw/", views.withdraw, name="withdraw"),
    path("<int:pk>/figures/", views.figures, name="figures"),
    path("<int:pk>/members/", views.members, name="members"),
    path("<int:pk>/mark/", views.mark, name="mark"),
    path("<int:pk>/export.xlsx", views.export, name="export"),
]
