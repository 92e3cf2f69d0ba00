from django.urls import path

from webapp.training import views

graph_training_urls = [
    path("<int:graph_id>/trainings/", views.GraphTrainingListApi.as_view(), name="graph-trainings"),
]

training_urls = [
    path("<int:training_id>/", views.TrainingDetailApi.as_view(), name="training"),
    path("<int:training_id>/cancel/", views.TrainingCancelApi.as_view(), name="training-cancel"),
]
