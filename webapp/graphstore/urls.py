from django.urls import path

from webapp.graphstore import views_graphs, views_node_kinds, views_sharing, views_versions

graph_urls = [
    path("", views_graphs.GraphListApi.as_view(), name="graphs"),
    path("import/", views_graphs.GraphImportApi.as_view(), name="graph-import"),
    path("<int:graph_id>/", views_graphs.GraphDetailApi.as_view(), name="graph"),
    path("<int:graph_id>/fork/", views_graphs.GraphForkApi.as_view(), name="graph-fork"),
    path("<int:graph_id>/diff/", views_graphs.GraphDiffApi.as_view(), name="graph-diff"),
    path("<int:graph_id>/versions/", views_versions.VersionListApi.as_view(), name="versions"),
    path(
        "<int:graph_id>/versions/<int:number>/",
        views_versions.VersionDetailApi.as_view(),
        name="version",
    ),
    path(
        "<int:graph_id>/versions/<int:number>/export/",
        views_versions.VersionExportApi.as_view(),
        name="version-export",
    ),
    path(
        "<int:graph_id>/versions/<int:number>/restore/",
        views_versions.VersionRestoreApi.as_view(),
        name="version-restore",
    ),
    path(
        "<int:graph_id>/share-links/",
        views_sharing.ShareLinkListApi.as_view(),
        name="share-links",
    ),
    path(
        "<int:graph_id>/share-links/<int:link_id>/",
        views_sharing.ShareLinkDetailApi.as_view(),
        name="share-link",
    ),
]

# token_urlsafe() tokens use exactly the slug alphabet, so anything else is a 404 here.
share_urls = [path("<slug:token>/", views_sharing.SharedVersionApi.as_view(), name="shared")]

template_urls = [path("", views_graphs.TemplateListApi.as_view(), name="templates")]

node_kind_urls = [path("", views_node_kinds.NodeKindListApi.as_view(), name="node-kinds")]
