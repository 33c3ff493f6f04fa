from django.urls import path

from encoding import views

urlpatterns = [
    path("jobs/", views.jobs_page, name="jobs"),
]
