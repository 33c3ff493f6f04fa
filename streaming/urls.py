from django.urls import path

from streaming import views

urlpatterns = [
    path("streams/", views.streams_page, name="streams"),
]
