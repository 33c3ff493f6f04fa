from rest_framework import serializers

from encoding.models import Job, Preset
from encoding.selectors import job_event_data


class PresetSerializer(serializers.ModelSerializer):
    codecs = serializers.SerializerMethodField()

    class Meta:
        model = Preset
        fields = ["id", "slug", "name", "description", "container", "codecs", "max_height"]

    def get_codecs(self, preset: Preset) -> dict:
        return {"video": preset.video_codec or None, "audio": preset.audio_codec or None}


class JobSerializer(serializers.Serializer):
    """Same fields as the `job` status event, plus times and the video title."""

    id = serializers.IntegerField()
    video = serializers.IntegerField()
    video_title = serializers.CharField()
    preset = serializers.CharField()
    state = serializers.ChoiceField(choices=Job.State.choices)
    progress = serializers.FloatField()
    fps = serializers.FloatField(allow_null=True)
    speed = serializers.FloatField(allow_null=True)
    eta = serializers.FloatField(allow_null=True, help_text="seconds")
    error = serializers.CharField()
    rendition = serializers.IntegerField(allow_null=True)
    queue_position = serializers.IntegerField(allow_null=True, help_text="1 starts next; 0 is starting now")
    cancel_requested = serializers.BooleanField()
    attempts = serializers.IntegerField()
    created = serializers.DateTimeField()
    started = serializers.DateTimeField(allow_null=True)
    finished = serializers.DateTimeField(allow_null=True)

    def to_representation(self, job: Job) -> dict:
        data = job_event_data(job)
        data.update(video_title=job.video.title, cancel_requested=job.cancel_requested, attempts=job.attempts,
                    created=job.created, started=job.started, finished=job.finished)
        return super().to_representation(data)


class JobCreateSerializer(serializers.Serializer):
    video = serializers.IntegerField(min_value=1, max_value=2**63 - 1)
    preset = serializers.SlugField()
