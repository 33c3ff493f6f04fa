from django.contrib import admin, messages

from encoding import services
from encoding.models import Job, Preset


@admin.register(Preset)
class PresetAdmin(admin.ModelAdmin):
    list_display = ("name", "slug", "container", "video_codec", "audio_codec", "is_active", "sort_order")
    list_filter = ("is_active", "container", "video_codec")
    prepopulated_fields = {"slug": ("name",)}


@admin.register(Job)
class JobAdmin(admin.ModelAdmin):
    list_display = ("id", "owner", "video", "preset_slug", "state", "progress", "attempts", "created", "finished",
                    "error")
    list_filter = ("state", "owner", "preset_slug")
    list_select_related = ("owner", "video")
    search_fields = ("video__title", "owner__username", "error")
    actions = ["cancel_jobs"]
    # State changes go through the services (cancel action); the row itself is read-only here.
    readonly_fields = [f.name for f in Job._meta.fields]

    def has_add_permission(self, request) -> bool:
        return False

    @admin.action(description="Cancel selected jobs")
    def cancel_jobs(self, request, queryset) -> None:
        done = skipped = 0
        for job in queryset:
            try:
                services.job_cancel(job=job)
                done += 1
            except services.JobError:
                skipped += 1
        self.message_user(request, f"Cancelled {done} job(s); {skipped} had already finished.", messages.SUCCESS)
