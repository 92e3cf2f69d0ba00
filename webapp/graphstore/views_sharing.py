"""Public read-only share links: members manage them under a graph; anyone with a live token
reads exactly the one version it points to, and nothing else."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from webapp.api.errors import error_responses
from webapp.api.limits import MAX_VERSION
from webapp.api.request_input import validated
from webapp.graphstore import selectors, services
from webapp.graphstore.serializers import SharedVersionOutput, ShareLinkOutput


class ShareLinkListApi(APIView):
    class ShareLinkInput(serializers.Serializer):
        version = serializers.IntegerField(min_value=1, max_value=MAX_VERSION)

    @extend_schema(responses={200: ShareLinkOutput(many=True), **error_responses(404)})
    def get(self, request: Request, graph_id: int) -> Response:
        """The graph's share links, revoked ones included."""
        graph = selectors.graph_for(user=request.user, graph_id=graph_id)
        return Response(ShareLinkOutput(selectors.share_links_of(graph), many=True).data)

    @extend_schema(
        request=ShareLinkInput,
        responses={201: ShareLinkOutput, **error_responses(400, 403, 404)},
    )
    def post(self, request: Request, graph_id: int) -> Response:
        """Create a public link to one version (editors)."""
        graph = selectors.graph_for(user=request.user, graph_id=graph_id)
        data = validated(self.ShareLinkInput, request.data)
        version = selectors.version_of(graph=graph, number=data["version"])
        link = services.share_link_create(version=version, actor=request.user)
        return Response(ShareLinkOutput(link).data, status=status.HTTP_201_CREATED)


class ShareLinkDetailApi(APIView):
    @extend_schema(responses={200: ShareLinkOutput, **error_responses(403, 404)})
    def delete(self, request: Request, graph_id: int, link_id: int) -> Response:
        """Revoke a link (editors): its token answers 404 from now on. The link stays listed."""
        graph = selectors.graph_for(user=request.user, graph_id=graph_id)
        link = selectors.share_link_for(graph=graph, link_id=link_id)
        return Response(
            ShareLinkOutput(services.share_link_revoke(link=link, actor=request.user)).data
        )


class SharedVersionApi(APIView):
    # No authentication: the token is the credential, and it grants this one read only.
    permission_classes = (AllowAny,)
    authentication_classes = ()

    @extend_schema(auth=[], responses={200: SharedVersionOutput, **error_responses(404)})
    def get(self, request: Request, token: str) -> Response:
        """The shared version of a graph, read-only; 404 when the link is unknown or revoked."""
        return Response(SharedVersionOutput(selectors.shared_version(token)).data)
