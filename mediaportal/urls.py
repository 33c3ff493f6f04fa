from django.contrib import admin
from django.shortcuts import redirect
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView


def home(request):
    return redirect("library" if request.user.is_authenticated else "login")


api_v1 = [
    path("", include("accounts.api_urls")),
    path("", include("library.api_urls")),
    path("", include("encoding.api_urls")),
    path("", include("streaming.api_urls")),
]

urlpatterns = [
    path("", home, name="home"),
    path("", include("accounts.urls")),
    path("", include("library.urls")),
    path("", include("encoding.urls")),
    path("", include("streaming.urls")),
    path("admin/", admin.site.urls),
    path("api/v1/", include(api_v1)),
    path("api/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("api/docs/", SpectacularSwaggerView.as_view(url_name="api-schema"), name="api-docs"),
]

handler404 = "mediaportal.http_errors.not_found"
handler500 = "mediaportal.http_errors.server_error"
