"""API tokens in the Django admin: seen (never the token itself) and revoked, not made here
(a token is made by its user, on the API tokens page, or with ``pacesetter token``)."""

from typing import Any

from django.contrib import admin, messages
from django.db.models import QuerySet
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from pacesetter.api.models import AccessToken
from pacesetter.api.tokens import token_revoke


@admin.register(AccessToken)
class AccessTokenAdmin(admin.ModelAdmin):
    list_display = ["id", "user", "name", "prefix", "created_at", "last_used_at", "expires_at",
                    "revoked_at"]  # fmt: skip
    list_filter = ["revoked_at"]
    search_fields = ["name", "prefix", "user__username"]
    exclude = ["digest"]
    actions = ["revoke"]

    def has_add_permission(self, request: Any) -> bool:
        return False

    def has_change_permission(self, request: Any, obj: AccessToken | None = None) -> bool:
        return False

    @admin.action(description=gettext_lazy("Revoke the selected tokens"))
    def revoke(self, request: Any, queryset: QuerySet[AccessToken]) -> None:
        tokens = list(queryset.filter(revoked_at__isnull=True))
        for token in tokens:
            token_revoke(token=token)
        self.message_user(
            request, _("%(count)s token(s) revoked.") % {"count": len(tokens)}, messages.INFO
        )
