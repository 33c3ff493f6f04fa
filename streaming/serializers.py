from rest_framework import serializers

from streaming.models import Destination, Stream, StreamTarget


class DestinationSerializer(serializers.ModelSerializer):
    # Write-only: no response ever carries the key, only whether one is set.
    stream_key = serializers.CharField(write_only=True, required=False, allow_blank=True, trim_whitespace=False,
                                       style={"input_type": "password"})
    url = serializers.CharField(required=False, allow_blank=True, default="",
                                help_text="Custom servers only: rtmp:// or rtmps://.")
    stream_key_set = serializers.BooleanField(read_only=True)
    ingest_url = serializers.CharField(read_only=True, help_text="The server the stream goes to (without the key).")

    class Meta:
        model = Destination
        fields = ["id", "name", "platform", "url", "secure", "stream_key", "stream_key_set", "ingest_url", "created"]
        read_only_fields = ["id", "created"]
        # Uniqueness is checked (with a clearer message) by the service.
        validators: list = []


class StreamTargetSerializer(serializers.ModelSerializer):
    destination = serializers.IntegerField(source="destination_id", allow_null=True, read_only=True)

    class Meta:
        model = StreamTarget
        fields = ["id", "destination", "name", "state", "error"]


class StreamSerializer(serializers.ModelSerializer):
    destinations = StreamTargetSerializer(source="targets", many=True, read_only=True)

    class Meta:
        model = Stream
        fields = ["id", "video", "rendition", "title", "loop", "state", "error", "mode", "created", "started",
                  "ended", "elapsed", "bitrate_kbps", "fps", "speed", "destinations"]
        read_only_fields = fields


class StreamStartSerializer(serializers.Serializer):
    video = serializers.IntegerField(required=False, help_text="Stream the video's original (or newest rendition).")
    rendition = serializers.IntegerField(required=False, help_text="Stream this rendition instead.")
    destinations = serializers.ListField(child=serializers.IntegerField(), allow_empty=False, max_length=10)
    loop = serializers.BooleanField(default=False, help_text="Repeat the file until stopped.")

    def validate(self, data):
        if "video" not in data and "rendition" not in data:
            raise serializers.ValidationError({"video": ["Give a video or a rendition to stream."]})
        return data
