from django.urls import path

from streaming import views

urlpatterns = [
    path("streams/", views.streams_page, name="streams"),
    path("streams/start/", views.stream_start_view, name="stream-start"),
    path("streams/<int:pk>/stop/", views.stream_stop_view, name="stream-stop"),
    path("streams/destinations/", views.destinations_page, name="destinations"),
    path("streams/destinations/<int:pk>/", views.destination_edit, name="destination-edit"),
    path("streams/destinations/<int:pk>/delete/", views.destination_delete, name="destination-delete"),
]
