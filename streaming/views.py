"""Pages: Streams (start, watch, stop) and Destinations (add, edit, delete)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_POST
from rest_framework.exceptions import APIException

from library.selectors import get_rendition_for_user, get_video_for_user, video_list
from streaming import services
from streaming.forms import DestinationForm, StreamStartForm
from streaming.selectors import destination_list, get_destination_for_user, get_stream_for_user, stream_list


def _errors_to_form(form, exc: ValidationError) -> None:
    if hasattr(exc, "error_dict"):
        for field, errs in exc.message_dict.items():
            form.add_error(field if field in form.fields else None, errs)
    else:
        form.add_error(None, exc.messages)


@login_required
def streams_page(request):
    form = StreamStartForm(videos=video_list(owner=request.user),
                           destinations=destination_list(owner=request.user))
    return render(request, "streaming/streams.html", {
        "form": form, "streams": stream_list(owner=request.user)[:50],
        "has_destinations": bool(form.fields["destinations"].choices),
    })


@login_required
@require_POST
def stream_start_view(request):
    user = request.user
    form = StreamStartForm(request.POST, videos=video_list(owner=user), destinations=destination_list(owner=user))
    if not form.is_valid():
        messages.error(request, "Not started: " + " ".join(
            f"{form.fields[f].label or f}: {' '.join(e)}" if f != "__all__" else " ".join(e)
            for f, e in form.errors.items()))
        return redirect("streams")
    source = form.cleaned_data["source"]
    rendition = get_rendition_for_user(user, source[1:]) if source.startswith("r") else None
    video = rendition.video if rendition is not None else get_video_for_user(user, source[1:])
    destinations = [get_destination_for_user(user, pk) for pk in form.cleaned_data["destinations"]]
    try:
        stream = services.stream_start(owner=user, video=video, rendition=rendition, destinations=destinations,
                                       loop=form.cleaned_data["loop"])
    except ValidationError as exc:
        messages.error(request, "Not started: " + " ".join(exc.messages))
    except APIException as exc:
        messages.error(request, f"Not started: {exc.detail}")
    else:
        messages.success(request, f"Stream of “{stream.title}” is starting.")
    return redirect("streams")


@login_required
@require_POST
def stream_stop_view(request, pk: int):
    stream = services.stream_stop(stream=get_stream_for_user(request.user, pk))
    messages.success(request, f"Stopping the stream of “{stream.title}”.")
    return redirect("streams")


def _save_destination(request, form, destination=None):
    data = form.cleaned_data
    try:
        if destination is None:
            services.destination_create(owner=request.user, name=data["name"], platform=data["platform"],
                                        url=data["url"], secure=data["secure"], stream_key=data["stream_key"])
        else:
            services.destination_update(destination=destination, name=data["name"], platform=data["platform"],
                                        url=data["url"], secure=data["secure"], stream_key=data["stream_key"])
    except ValidationError as exc:
        _errors_to_form(form, exc)
        return False
    return True


@login_required
@require_http_methods(["GET", "POST"])
def destinations_page(request):
    form = DestinationForm(request.POST or None)
    if request.method == "POST":
        if form.is_valid() and _save_destination(request, form):
            messages.success(request, f"Destination “{form.cleaned_data['name']}” added.")
            return redirect("destinations")
        messages.error(request, "Destination not saved: please correct the errors below.")
    return render(request, "streaming/destinations.html",
                  {"form": form, "destinations": destination_list(owner=request.user)})


@login_required
@require_http_methods(["GET", "POST"])
def destination_edit(request, pk: int):
    destination = get_destination_for_user(request.user, pk)
    initial = {"name": destination.name, "platform": destination.platform, "url": destination.url,
               "secure": destination.secure}
    form = DestinationForm(request.POST or None, initial=initial, editing=destination)
    if request.method == "POST":
        if form.is_valid() and _save_destination(request, form, destination):
            messages.success(request, f"Destination “{destination.name}” saved.")
            return redirect("destinations")
        messages.error(request, "Destination not saved: please correct the errors below.")
    return render(request, "streaming/destination_edit.html", {"form": form, "destination": destination})


@login_required
@require_POST
def destination_delete(request, pk: int):
    destination = get_destination_for_user(request.user, pk)
    name = destination.name
    services.destination_delete(destination=destination)
    messages.success(request, f"Destination “{name}” deleted.")
    return redirect("destinations")
