"""The library API: list/upload videos, video detail (rename, delete), rendition detail."""

import shutil

from django.core.exceptions import ValidationError as DjangoValidationError
from drf_spectacular.utils import extend_schema
from rest_framework import filters, generics, serializers, status
from rest_framework.parsers import MultiPartParser
from rest_framework.response import Response

from library import selectors, services, storage, uploads
from library.serializers import RenditionSerializer, VideoSerializer, VideoUpdateSerializer, VideoUploadSerializer


def _drf_error(exc: DjangoValidationError) -> serializers.ValidationError:
    return serializers.ValidationError(exc.message_dict if hasattr(exc, "error_dict") else exc.messages)


class VideoListApi(generics.ListCreateAPIView):
    """Your videos (paginated; ?search=, ?ordering=). POST multipart `file` (+ title, preset) for
    small scripted uploads; big ones should use the resumable /api/v1/uploads/ (tus)."""

    serializer_class = VideoSerializer
    filter_backends = [filters.SearchFilter, filters.OrderingFilter]
    search_fields = ["title", "original_name"]
    ordering_fields = ["created", "title", "size", "duration"]
    ordering = ["-created"]

    def get_queryset(self):
        return selectors.video_list(owner=self.request.user)

    def get_parsers(self):
        return [MultiPartParser()] if getattr(self, "request", None) is None or self.request.method == "POST" \
            else super().get_parsers()

    @extend_schema(request={"multipart/form-data": VideoUploadSerializer}, responses={201: VideoSerializer})
    def post(self, request):
        declared = request.META.get("CONTENT_LENGTH", "")
        # Refuse a body that cannot fit before parsing it (multipart adds a little framing).
        if declared.isdigit() and int(declared) > selectors.max_upload_bytes() + 64 * 1024:
            uploads.check_room(owner=request.user, length=int(declared) - 64 * 1024)
        data = VideoUploadSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        upload = data.validated_data["file"]
        preset = uploads.check_preset(data.validated_data.get("preset"))
        uploads.check_room(owner=request.user, length=upload.size)
        path = storage.user_dir(request.user.pk, "uploads") / storage.new_name(storage.hint_suffix(upload.name))
        try:
            with open(path, "wb") as out:
                upload.seek(0)
                shutil.copyfileobj(upload, out, 1 << 20)
            video = services.video_create_from_upload(owner=request.user, path=path, filename=upload.name,
                                                      preset_slug=preset or None,
                                                      title=data.validated_data.get("title"))
        finally:
            path.unlink(missing_ok=True)
        return Response(VideoSerializer(video, context={"request": request}).data, status=status.HTTP_201_CREATED)


class VideoDetailApi(generics.RetrieveUpdateDestroyAPIView):
    serializer_class = VideoSerializer
    http_method_names = ["get", "patch", "delete", "head", "options"]

    def get_object(self):
        return selectors.get_video_for_user(self.request.user, self.kwargs["video_id"])

    @extend_schema(request=VideoUpdateSerializer, responses={200: VideoSerializer})
    def patch(self, request, video_id):
        video = self.get_object()
        unknown = set(request.data) - {"title"}
        if unknown:
            raise serializers.ValidationError({name: ["Only the title can be changed."] for name in sorted(unknown)})
        data = VideoUpdateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        try:
            services.video_rename(video=video, title=data.validated_data["title"])
        except DjangoValidationError as exc:
            raise _drf_error(exc) from None
        return Response(VideoSerializer(video, context={"request": request}).data)

    def perform_destroy(self, instance):
        services.video_delete(video=instance)


class RenditionDetailApi(generics.RetrieveDestroyAPIView):
    serializer_class = RenditionSerializer

    def get_object(self):
        return selectors.get_rendition_for_user(self.request.user, self.kwargs["rendition_id"])

    def perform_destroy(self, instance):
        services.rendition_delete(rendition=instance)
