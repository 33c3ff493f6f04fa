from django.urls import path

from streaming import api

urlpatterns = [
    path("destinations/", api.DestinationListApi.as_view(), name="api-destinations"),
    path("destinations/<int:pk>/", api.DestinationDetailApi.as_view(), name="api-destination"),
    path("streams/", api.StreamListApi.as_view(), name="api-streams"),
    path("streams/<int:pk>/", api.StreamDetailApi.as_view(), name="api-stream"),
    path("streams/<int:pk>/stop/", api.StreamStopApi.as_view(), name="api-stream-stop"),
]
