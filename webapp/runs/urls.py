from django.urls import path

from webapp.runs import views

graph_run_urls = [
    path("<int:graph_id>/runs/", views.GraphRunListApi.as_view(), name="graph-runs"),
]

run_urls = [
    path("<int:run_id>/", views.RunDetailApi.as_view(), name="run"),
    path("<int:run_id>/events/", views.RunEventListApi.as_view(), name="run-events"),
    path("<int:run_id>/cancel/", views.RunCancelApi.as_view(), name="run-cancel"),
    path("<int:run_id>/images/<int:number>/", views.RunImageApi.as_view(), name="run-image"),
    path("image-limits/", views.ImageLimitsApi.as_view(), name="run-image-limits"),
]
