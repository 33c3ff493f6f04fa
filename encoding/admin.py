from django.contrib import admin

from encoding.models import Preset


@admin.register(Preset)
class PresetAdmin(admin.ModelAdmin):
    list_display = ("name", "slug", "container", "video_codec", "audio_codec", "is_active", "sort_order")
    list_filter = ("is_active", "container", "video_codec")
    prepopulated_fields = {"slug": ("name",)}
