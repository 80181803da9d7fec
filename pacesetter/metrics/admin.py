from django.contrib import admin

from pacesetter.metrics.models import Metric


@admin.register(Metric)
class MetricAdmin(admin.ModelAdmin):
    list_display = ["name", "label", "source", "aggregation", "direction", "unit", "built_in"]
    list_filter = ["source", "aggregation", "built_in"]
    search_fields = ["name", "label"]

    def get_readonly_fields(self, request, obj=None):
        # Built-in names are an interface (goals, scripts and imports use them).
        return ["name", "built_in"] if obj is not None and obj.built_in else ["built_in"]
