from django.urls import path

from pacesetter.sso.views import SsoCallback, SsoStart

urlpatterns = [
    path("authenticate/", SsoStart.as_view(), name="oidc_authentication_init"),
    path("callback/", SsoCallback.as_view(), name="oidc_authentication_callback"),
]
