from django.urls import path

from library import views

urlpatterns = [
    path("library/", views.library_page, name="library"),
    path("library/<int:video_id>/", views.video_watch, name="video-watch"),
    path("library/<int:video_id>/rename/", views.video_rename, name="video-rename"),
    path("library/<int:video_id>/delete/", views.video_delete, name="video-delete"),
]
