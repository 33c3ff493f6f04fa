from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from encoding.selectors import preset_list
from library.selectors import video_list


@login_required
def jobs_page(request):
    """The page renders the forms; jobs.js fills the table from the API and live status events."""
    return render(request, "encoding/jobs.html", {
        "presets": preset_list(),
        "videos": video_list(owner=request.user).only("pk", "title"),
    })
