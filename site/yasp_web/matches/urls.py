from django.urls import path

from yasp_web.matches import views

urlpatterns = [
    path("matches/<int:match_id>/", views.match_detail, name="match_detail"),
    path("request/", views.parse_request, name="parse_request"),
]
