from django.urls import path

from webapp.catalog import views

urlpatterns = [
    path("", views.ModelListApi.as_view(), name="models"),
    path("adapters/", views.RouterAdapterListApi.as_view(), name="router-adapters"),
    path("endpoints/", views.EndpointListApi.as_view(), name="endpoints"),
    path("endpoints/test/", views.EndpointCheckApi.as_view(), name="endpoint-test"),
    path("endpoints/<int:endpoint_id>/", views.EndpointDetailApi.as_view(), name="endpoint"),
    path(
        "endpoints/<int:endpoint_id>/test/",
        views.EndpointDetailCheckApi.as_view(),
        name="endpoint-saved-test",
    ),
]
