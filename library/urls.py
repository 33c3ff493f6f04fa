from django.urls import path

from library import views

urlpatterns = [
    path("library/", views.library_page, name="library"),
]
