from django import forms
from django.contrib.auth.forms import UserCreationForm

from accounts.models import UserSettings
from encoding.models import Preset


class RegisterForm(UserCreationForm):
    email = forms.EmailField(required=True)

    class Meta(UserCreationForm.Meta):
        fields = ("username", "email")


class SettingsForm(forms.ModelForm):
    default_preset = forms.ModelChoiceField(
        queryset=Preset.objects.filter(is_active=True), required=False, to_field_name="slug",
        empty_label="(none: keep the original only)",
    )

    class Meta:
        model = UserSettings
        fields = ("default_preset", "auto_encode", "keep_original")
        labels = {"keep_original": "Keep original after compression"}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # model_to_dict gives the preset's pk, but the choices are keyed by slug: pass the object.
        if self.instance.pk and self.instance.default_preset_id:
            self.initial["default_preset"] = self.instance.default_preset
