from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError

from streaming import crypto
from streaming.models import Destination, Stream, StreamTarget
from streaming.validators import validate_ingest_url, validate_stream_key


class DestinationAdminForm(forms.ModelForm):
    # Write-only: the stored key is never put back into the page.
    stream_key = forms.CharField(required=False, widget=forms.PasswordInput(render_value=False),
                                 help_text="Leave empty to keep the current key.")

    class Meta:
        model = Destination
        fields = ["owner", "name", "platform", "url", "secure"]

    def clean(self):
        data = super().clean()
        if data.get("platform") == Destination.Platform.CUSTOM:
            try:
                data["url"] = validate_ingest_url(data.get("url", ""))
            except ValidationError as exc:
                self.add_error("url", exc)
        else:
            data["url"] = ""
        key = data.get("stream_key")
        if key:
            try:
                validate_stream_key(key)
            except ValidationError as exc:
                self.add_error("stream_key", exc)
        elif not (self.instance and self.instance.stream_key_encrypted):
            self.add_error("stream_key", "Set a stream key.")
        return data

    def save(self, commit=True):
        obj = super().save(commit=False)
        if self.cleaned_data.get("stream_key"):
            obj.stream_key_encrypted = crypto.encrypt(self.cleaned_data["stream_key"])
        if commit:
            obj.save()
        return obj


@admin.register(Destination)
class DestinationAdmin(admin.ModelAdmin):
    form = DestinationAdminForm
    list_display = ("name", "owner", "platform", "secure", "key_set", "created")
    list_filter = ("platform",)
    search_fields = ("name", "owner__username")
    raw_id_fields = ("owner",)

    @admin.display(boolean=True, description="stream key set")
    def key_set(self, obj: Destination) -> bool:
        return obj.stream_key_set


class StreamTargetInline(admin.TabularInline):
    model = StreamTarget
    extra = 0
    can_delete = False
    readonly_fields = ("destination", "name", "position", "state", "error")


@admin.register(Stream)
class StreamAdmin(admin.ModelAdmin):
    list_display = ("id", "owner", "title", "state", "loop", "mode", "created", "elapsed")
    list_filter = ("state", "loop", "mode")
    search_fields = ("title", "owner__username")
    raw_id_fields = ("owner", "video", "rendition")
    readonly_fields = ("state", "error", "mode", "started", "ended", "elapsed", "bitrate_kbps", "fps", "speed",
                       "heartbeat", "worker_pid", "stop_requested")
    inlines = [StreamTargetInline]
