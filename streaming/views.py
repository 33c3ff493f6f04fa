from django.contrib.auth.decorators import login_required
from django.shortcuts import render


@login_required
def streams_page(request):
    return render(request, "streaming/streams.html")
