from django.contrib import admin

from library.models import Rendition, Upload, Video


class RenditionInline(admin.TabularInline):
    model = Rendition
    extra = 0
    fields = ("preset_slug", "size", "width", "height", "video_codec", "audio_codec", "file", "created")
    readonly_fields = fields
    can_delete = False


@admin.register(Video)
class VideoAdmin(admin.ModelAdmin):
    """Read-mostly: files are removed only through the library's delete (page or API)."""

    list_display = ("title", "owner", "duration", "width", "height", "video_codec", "size", "created")
    list_filter = ("video_codec", "audio_codec", "container")
    search_fields = ("title", "original_name", "owner__username")
    readonly_fields = ("owner", "original", "poster", "original_name", "container", "duration", "width", "height",
                       "fps", "video_codec", "audio_codec", "bit_rate", "size", "probe", "created", "updated")
    inlines = [RenditionInline]

    def has_delete_permission(self, request, obj=None):
        return False  # the admin's delete would leave the files on disk


@admin.register(Upload)
class UploadAdmin(admin.ModelAdmin):
    list_display = ("filename", "owner", "offset", "length", "completed", "created", "expires")
    list_filter = ("completed",)
    search_fields = ("filename", "owner__username")
    readonly_fields = [f.name for f in Upload._meta.fields]

    def has_add_permission(self, request):
        return False
