from django.urls import path

from pacesetter.web.views import goals, home, imports, plans, team

urlpatterns = [
    path("", home.home, name="home"),
    path("week/", home.week_numbers, name="week_numbers"),
    path("healthz", home.healthz, name="healthz"),
    path("team/", team.team_home, name="team"),
    path("units/<int:pk>/", team.unit_team, name="unit_team"),
    path("units/<int:pk>/check-ins/", team.unit_checkins, name="unit_checkins"),
    path("people/<int:pk>/", team.person_detail, name="person_detail"),
    path("org/", team.org, name="org"),
    path("org/<int:pk>/", team.org_unit, name="org_unit"),
    path("goals/new/", goals.goal_new, name="goal_new"),
    path("goals/waterfall/", goals.goal_waterfall, name="goal_waterfall"),
    path("goals/funnel/", goals.goal_funnel, name="goal_funnel"),
    path("goals/<int:pk>/", goals.goal_detail, name="goal_detail"),
    path("goals/<int:pk>/check-in/", goals.goal_checkin, name="goal_checkin"),
    path("plans/", plans.plan_list, name="plan_list"),
    path("plans/new/", plans.plan_new, name="plan_new"),
    path("plans/compare/", plans.plan_compare_view, name="plan_compare"),
    path("plans/<int:pk>/", plans.plan_detail, name="plan_detail"),
    path("plans/<int:pk>/activate/", plans.plan_activate_view, name="plan_activate"),
    path("imports/", imports.imports, name="imports"),
    path("imports/weekly-template/", imports.weekly_template, name="weekly_template"),
]
