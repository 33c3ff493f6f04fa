"""Error pages for URLs no view matched: the API keeps its JSON error body, pages stay HTML."""

from django.http import JsonResponse
from django.views import defaults


def not_found(request, exception=None):
    if request.path.startswith("/api/"):
        return JsonResponse({"detail": "Not found.", "code": "not_found"}, status=404)
    return defaults.page_not_found(request, exception)


def server_error(request):
    if request.path.startswith("/api/"):
        return JsonResponse({"detail": "Server error. It has been logged.", "code": "server_error"}, status=500)
    return defaults.server_error(request)
