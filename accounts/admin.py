from django.contrib import admin
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import UserAdmin

from accounts.models import UserSettings

User = get_user_model()


class UserSettingsInline(admin.StackedInline):
    model = UserSettings
    can_delete = False
    extra = 0


admin.site.unregister(User)


@admin.register(User)
class MediaportalUserAdmin(UserAdmin):
    inlines = [UserSettingsInline]


@admin.register(UserSettings)
class UserSettingsAdmin(admin.ModelAdmin):
    list_display = ("user", "default_preset", "auto_encode", "keep_original")
    list_filter = ("auto_encode", "keep_original", "default_preset")
    search_fields = ("user__username", "user__email")
    raw_id_fields = ("user",)
