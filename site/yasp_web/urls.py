"""URL routes of the site."""

from django.urls import include, path
from django.views.generic import TemplateView

from yasp_web.status.views import status

urlpatterns = [
    path("", TemplateView.as_view(template_name="home.html"), name="home"),
    path("status/", status, name="status"),
    path("", include("yasp_web.players.urls")),
    path("", include("yasp_web.matches.urls")),
    path("", include("yasp_web.accounts.urls")),
]
