from django.apps import AppConfig


class BenchConfig(AppConfig):
    name = "pacesetter.bench"
    label = "bench"
    verbose_name = "Benchmark"
