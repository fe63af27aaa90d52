from django.urls import path

from yasp_web.accounts import views

urlpatterns = [
    path("login/", views.login, name="login"),
    path("login/return/", views.login_return, name="login_return"),
    path("logout/", views.logout, name="logout"),
]
