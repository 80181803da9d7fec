from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from pacesetter.web.views.language import set_language

urlpatterns = [
    path("login/", auth_views.LoginView.as_view(), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("admin/", admin.site.urls),
    path("i18n/setlang/", set_language, name="set_language"),
    path("", include("pacesetter.web.urls")),
]

# A locked SQLite database (another long write) answers 503 with Retry-After, not 500.
handler500 = "pacesetter.web.busy.server_error"
