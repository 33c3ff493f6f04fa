from django.contrib.auth.decorators import login_required
from django.shortcuts import render


@login_required
def jobs_page(request):
    return render(request, "encoding/jobs.html")
