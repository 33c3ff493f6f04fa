from django.urls import reverse
from rest_framework import serializers

from library import selectors
from library.models import Rendition, Video

MEDIA_FIELDS = ("container", "duration", "width", "height", "fps", "video_codec", "audio_codec", "bit_rate", "size")


def _url(context, name: str, pk: int) -> str:
    path = reverse(name, args=[pk])
    request = context.get("request")
    return request.build_absolute_uri(path) if request else path


class RenditionSerializer(serializers.ModelSerializer):
    preset = serializers.CharField(source="preset_slug", read_only=True)
    video = serializers.IntegerField(source="video_id", read_only=True)
    download_url = serializers.SerializerMethodField()

    class Meta:
        model = Rendition
        fields = ("id", "video", "preset", *MEDIA_FIELDS, "created", "download_url")
        read_only_fields = fields

    def get_download_url(self, obj) -> str:
        return _url(self.context, "api-rendition-download", obj.pk)


class VideoSerializer(serializers.ModelSerializer):
    renditions = RenditionSerializer(many=True, read_only=True)
    download_url = serializers.SerializerMethodField()
    poster_url = serializers.SerializerMethodField()
    original_available = serializers.SerializerMethodField()
    space_saved = serializers.SerializerMethodField()

    class Meta:
        model = Video
        fields = ("id", "title", "original_name", *MEDIA_FIELDS, "created", "original_available", "space_saved",
                  "download_url", "poster_url", "renditions")
        read_only_fields = tuple(f for f in fields if f != "title")

    def get_download_url(self, obj) -> str:
        return _url(self.context, "api-video-download", obj.pk)

    def get_poster_url(self, obj) -> str | None:
        return _url(self.context, "api-video-poster", obj.pk) if obj.poster else None

    def get_original_available(self, obj) -> bool:
        return bool(obj.original)

    def get_space_saved(self, obj) -> int:
        return selectors.space_saved(obj)


class VideoUpdateSerializer(serializers.Serializer):
    title = serializers.CharField(max_length=255, error_messages={"blank": "The title cannot be empty."})


class VideoUploadSerializer(serializers.Serializer):
    file = serializers.FileField(allow_empty_file=True)
    title = serializers.CharField(max_length=255, required=False, allow_blank=True)
    preset = serializers.SlugField(required=False, allow_blank=True)
