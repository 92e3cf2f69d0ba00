from django.urls import path

from webapp.evaluation import views

dataset_urls = [
    path("", views.DatasetListApi.as_view(), name="datasets"),
    path("builtin/", views.BuiltinDatasetListApi.as_view(), name="datasets-builtin"),
    path("<int:dataset_id>/", views.DatasetDetailApi.as_view(), name="dataset"),
    path("<int:dataset_id>/rows/", views.DatasetRowListApi.as_view(), name="dataset-rows"),
    path("<int:dataset_id>/pareto/", views.DatasetParetoApi.as_view(), name="dataset-pareto"),
]

evaluation_urls = [
    path("scorers/", views.ScorerListApi.as_view(), name="evaluation-scorers"),
]

graph_experiment_urls = [
    path(
        "<int:graph_id>/experiments/",
        views.GraphExperimentListApi.as_view(),
        name="graph-experiments",
    ),
]

experiment_urls = [
    path("compare/", views.ExperimentCompareApi.as_view(), name="experiments-compare"),
    path("<int:experiment_id>/", views.ExperimentDetailApi.as_view(), name="experiment"),
    path(
        "<int:experiment_id>/cancel/", views.ExperimentCancelApi.as_view(), name="experiment-cancel"
    ),
    path("<int:experiment_id>/rows/", views.ExperimentRowListApi.as_view(), name="experiment-rows"),
]
