"""The language switcher: Django's ``set_language``, and for a logged-in user the choice
remembered on their person too, so that what Pacesetter writes to them outside the pages
(the manager's digest e-mail) is in the language they read it in."""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.views import i18n
from django.views.decorators.csrf import csrf_protect

from pacesetter.org.models import Person
from pacesetter.org.services import person_language_set

LANGUAGE_CODES = frozenset(code for code, _name in settings.LANGUAGES)


@csrf_protect
def set_language(request: HttpRequest) -> HttpResponse:
    """``/i18n/setlang/``: switch the pages' language (anonymous users too), and store it on
    the logged-in user's person."""
    response = i18n.set_language(request)
    language = request.POST.get(i18n.LANGUAGE_QUERY_PARAMETER, "")
    if request.method == "POST" and language in LANGUAGE_CODES and request.user.is_authenticated:
        person = Person.objects.filter(user_id=request.user.pk).first()
        if person is not None:
            person_language_set(person=person, language=language)
    return response
