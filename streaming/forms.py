from django import forms

from streaming.models import Destination


class DestinationForm(forms.Form):
    name = forms.CharField(max_length=80)
    platform = forms.ChoiceField(choices=Destination.Platform.choices)
    url = forms.CharField(label="Server URL", required=False, max_length=500,
                          help_text="Custom servers only, e.g. rtmp://live.example.org/app. "
                                    "YouTube and Twitch use their documented ingest servers.")
    secure = forms.BooleanField(label="Use RTMPS (encrypted) for YouTube and Twitch", required=False, initial=True)
    # Never rendered back into the page: the input stays empty, "set" or "not set" is shown instead.
    stream_key = forms.CharField(required=False, max_length=256, strip=False,
                                 widget=forms.PasswordInput(render_value=False, attrs={"autocomplete": "off"}))

    def __init__(self, *args, editing: Destination | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        if editing is not None:
            self.fields["stream_key"].help_text = (
                "A key is set; leave empty to keep it." if editing.stream_key_set else "No key set yet.")
        else:
            self.fields["stream_key"].required = True


class StreamStartForm(forms.Form):
    source = forms.ChoiceField(label="File")
    destinations = forms.MultipleChoiceField(widget=forms.CheckboxSelectMultiple)
    loop = forms.BooleanField(label="Loop: repeat the file until I stop it", required=False)

    def __init__(self, *args, videos, destinations, **kwargs):
        super().__init__(*args, **kwargs)
        choices = []
        for video in videos:
            if video.original:
                choices.append((f"v{video.pk}", f"{video.title} (original)"))
            for rendition in video.renditions.all():
                choices.append((f"r{rendition.pk}", f"{video.title} [{rendition.preset_slug}]"))
        self.fields["source"].choices = choices
        self.fields["destinations"].choices = [(str(d.pk), d.name) for d in destinations]
