from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from accounts.forms import RegisterForm, SettingsForm
from accounts.selectors import user_settings_get
from accounts.services import user_register, user_settings_update


@require_http_methods(["GET", "POST"])
def register(request):
    if request.user.is_authenticated:
        return redirect("home")
    form = RegisterForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            user = user_register(
                username=form.cleaned_data["username"],
                email=form.cleaned_data["email"],
                password=form.cleaned_data["password1"],
            )
        except ValidationError as exc:
            for field, errs in exc.message_dict.items():
                form.add_error(field if field in form.fields else None, errs)
        else:
            login(request, user, backend="django.contrib.auth.backends.ModelBackend")
            messages.success(request, f"Welcome, {user.username}! Your account is ready.")
            return redirect("home")
    return render(request, "registration/register.html", {"form": form})


@login_required
@require_http_methods(["GET", "POST"])
def settings_page(request):
    current = user_settings_get(user=request.user)
    form = SettingsForm(request.POST or None, instance=current)
    if request.method == "POST":
        if form.is_valid():
            try:
                user_settings_update(user=request.user, data={k: form.cleaned_data[k] for k in form.Meta.fields})
            except ValidationError as exc:
                for field, errs in exc.message_dict.items():
                    form.add_error(field if field in form.fields else None, errs)
            else:
                messages.success(request, "Settings saved.")
                return redirect("settings")
        messages.error(request, "Settings not saved: please correct the errors below.")
    return render(request, "accounts/settings.html", {"form": form})
