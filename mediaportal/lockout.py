"""What a locked-out login sees (django-axes): JSON for the API, a page for the browser."""

from django.http import JsonResponse
from django.shortcuts import render

MESSAGE = "Too many failed logins. Try again in 15 minutes."


def lockout_response(request, response=None, credentials=None, *args, **kwargs):
    if request.path.startswith("/api/"):
        return JsonResponse({"detail": MESSAGE, "code": "locked_out"}, status=429)
    return render(request, "registration/locked_out.html", {"message": MESSAGE}, status=429)
