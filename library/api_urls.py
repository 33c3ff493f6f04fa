from django.urls import path

from library import api, downloads, tus

urlpatterns = [
    path("uploads/", tus.UploadCreateApi.as_view(), name="api-uploads"),
    path("uploads/<str:upload_id>/", tus.UploadApi.as_view(), name="api-upload"),
    path("videos/", api.VideoListApi.as_view(), name="api-videos"),
    path("videos/<int:video_id>/", api.VideoDetailApi.as_view(), name="api-video"),
    path("videos/<int:video_id>/download/", downloads.video_download, name="api-video-download"),
    path("videos/<int:video_id>/poster/", downloads.video_poster, name="api-video-poster"),
    path("renditions/<int:rendition_id>/", api.RenditionDetailApi.as_view(), name="api-rendition"),
    path("renditions/<int:rendition_id>/download/", downloads.rendition_download, name="api-rendition-download"),
]
