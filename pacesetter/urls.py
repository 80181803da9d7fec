from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from pacesetter.sso.views import LoginView
from pacesetter.web.views.language import set_language

urlpatterns = [
    path("login/", LoginView.as_view(), name="login"),  # with single sign-on's button
    path("oidc/", include("pacesetter.sso.urls")),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("admin/", admin.site.urls),
    path("i18n/setlang/", set_language, name="set_language"),
    path("", include("pacesetter.api.urls")),  # /api/v1/…, /api/docs, /account/tokens/
    path("", include("pacesetter.web.urls")),
]

# A page of another role: the 403 page with the navigation and a way out.
handler403 = "pacesetter.web.views.errors.permission_denied"
# A locked SQLite database (another long write) answers 503 with Retry-After, not 500.
handler500 = "pacesetter.web.busy.server_error"
