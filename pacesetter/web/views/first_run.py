"""The first run: an installation without an org sets up its company, settings and first
admin here (the web twin of ``pacesetter setup``; both call ``org.services.org_setup``).

The page exists only while there is no company: afterwards it answers 404. When logins exist
already (``createsuperuser``), only a superuser may use it; anyone may on a bare database.
"""

from __future__ import annotations

import zoneinfo

from django.contrib import messages
from django.contrib.auth import get_user_model, login
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from pacesetter.org.services import AlreadySetUp, OrgSetupRequest, org_setup
from pacesetter.web.forms.setup import SetupForm
from pacesetter.web.middleware import org_missing
from pacesetter.web.requests import OrgRequest

# The backend that checks passwords (the first in AUTHENTICATION_BACKENDS is the throttle).
LOGIN_BACKEND = "pacesetter.sso.backends.PasswordBackend"  # the first admin has a password


@require_http_methods(["GET", "POST"])
def first_run(request: OrgRequest) -> HttpResponse:
    if not org_missing(request):
        raise Http404("the organisation is set up already")
    user = request.user
    if get_user_model().objects.exists() and not user.is_superuser:
        if not user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        raise PermissionDenied
    form = SetupForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            result = org_setup(request=OrgSetupRequest(**form.setup_arguments()))
        except AlreadySetUp:
            raise Http404("the organisation is set up already") from None
        except ValidationError as e:
            form.add_error(None, e)
        else:
            login(request, result.user, backend=LOGIN_BACKEND)
            messages.success(
                request,
                _(
                    "%(company)s is set up and you are logged in as %(username)s. Next, import "
                    "your people and teams (“People and teams”), then the deals and "
                    "activities exported from your CRM."
                )
                % {"company": result.company.name, "username": result.user.get_username()},
            )
            return redirect("imports")
    zones = sorted(zoneinfo.available_timezones())
    return render(request, "web/first_run.html", {"form": form, "time_zones": zones})
