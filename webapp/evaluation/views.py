"""Evaluation: datasets (upload, built-in copy, from past runs), experiments of a graph on a
dataset, their rows, compare and Pareto. Editors create and delete datasets; whoever may run the
graph (viewers too) may start an experiment; another team's objects answer 404."""

from __future__ import annotations

import logging
from collections.abc import Mapping
from typing import Any

import kombu.exceptions
import redis
from django.db import transaction
from drf_spectacular.utils import extend_schema, extend_schema_field
from rest_framework import serializers, status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from graphs.evaluation.builtin import BUILTIN_DATASETS
from graphs.evaluation.dataset import MAX_DATASET_ROWS
from graphs.evaluation.scorers import SCORERS, ScorerSpec
from webapp.accounts.selectors import team_for
from webapp.api.errors import error_responses
from webapp.api.limits import MAX_ID, MAX_VERSION
from webapp.api.pagination import PageQuery, page_response, paginated
from webapp.api.parsers import JSONParser, MultiPartParser
from webapp.api.request_input import validated
from webapp.api.team_query import TeamQuery, narrowed_to_team
from webapp.evaluation import selectors, services
from webapp.evaluation.models import Experiment, RowStatus
from webapp.evaluation.serializers import (
    BuiltinDatasetOutput,
    CompareOutput,
    DatasetOutput,
    DatasetRowsOutput,
    ExperimentOutput,
    ExperimentRowsOutput,
    ParetoOutput,
    ScorerOutput,
)
from webapp.graphstore.selectors import graph_for

log = logging.getLogger(__name__)

QUEUE_ERRORS = (kombu.exceptions.OperationalError, redis.RedisError, OSError)
"""What sending a task raises when the task queue (Redis) cannot be reached."""
MAX_PAGE = 500
MAX_CONCURRENCY = 256
MAX_SEED = 2**31 - 1
MAX_COMPARED = 10
MAX_SCORERS = 20


class RowWindowQuery(serializers.Serializer):
    offset = serializers.IntegerField(min_value=0, max_value=MAX_DATASET_ROWS, default=0)
    limit = serializers.IntegerField(
        min_value=1, max_value=MAX_PAGE, default=100, help_text=f"at most {MAX_PAGE}"
    )


# --- datasets ---------------------------------------------------------------------------------


class DatasetCreateInput(serializers.Serializer):
    team = serializers.IntegerField(min_value=1, max_value=MAX_ID)
    name = serializers.CharField(
        max_length=200, required=False, default="", help_text="default: from the source"
    )
    description = serializers.CharField(
        max_length=5000, required=False, default="", allow_blank=True
    )


class DatasetUploadInput(DatasetCreateInput):
    file = serializers.FileField(
        allow_empty_file=True,
        use_url=False,
        help_text=f"a .jsonl or .csv file of at most {MAX_DATASET_ROWS} rows and "
        f"{services.MAX_DATASET_BYTES // 1024 // 1024} MiB",
    )


class FromRunsInput(serializers.Serializer):
    graph = serializers.IntegerField(min_value=1, max_value=MAX_ID, help_text="a graph's id")
    limit = serializers.IntegerField(
        min_value=1,
        max_value=MAX_DATASET_ROWS,
        default=100,
        help_text="its last this-many completed runs",
    )


class DatasetCopyInput(DatasetCreateInput):
    builtin = serializers.ChoiceField(
        choices=list(BUILTIN_DATASETS), required=False, help_text="copy this built-in dataset"
    )
    from_runs = FromRunsInput(
        required=False, help_text="or take a graph's past runs (input -> expected output)"
    )

    def validate(self, data: dict[str, Any]) -> dict[str, Any]:
        if ("builtin" in data) == ("from_runs" in data):
            raise serializers.ValidationError("give exactly one of 'builtin' and 'from_runs'")
        return data


class DatasetListApi(APIView):
    parser_classes = (JSONParser, MultiPartParser)

    @extend_schema(
        operation_id="datasets_list",
        parameters=[TeamQuery, PageQuery],
        responses={200: paginated(DatasetOutput), **error_responses(400, 404)},
    )
    def get(self, request: Request) -> Response:
        """Datasets of the user's teams (or of ``?team=``), newest first, a page at a time."""
        datasets = narrowed_to_team(request, selectors.datasets_visible_to(request.user))
        return page_response(request, datasets, DatasetOutput)

    @extend_schema(
        request={
            "multipart/form-data": DatasetUploadInput,
            "application/json": DatasetCopyInput,
        },
        responses={201: DatasetOutput, **error_responses(400, 403, 404)},
    )
    def post(self, request: Request) -> Response:
        """Create a dataset (editors of the team): upload a JSONL or CSV file (multipart), or
        (JSON) copy a built-in dataset (``builtin``) or take a graph's past runs (``from_runs``:
        their inputs, each expecting the output its run gave). A bad file answers 400
        ``invalid_dataset`` with every problem (``problems``: ``{"line", "field", "message"}``);
        nothing is stored then."""
        if request.content_type.startswith("multipart/"):
            fields = validated(DatasetUploadInput, request.data)
            team = team_for(user=request.user, team_id=fields.pop("team"))
            dataset = services.dataset_upload(team=team, actor=request.user, **fields)
            return Response(DatasetOutput(dataset).data, status=status.HTTP_201_CREATED)
        fields = validated(DatasetCopyInput, request.data)
        team = team_for(user=request.user, team_id=fields.pop("team"))
        from_runs = fields.pop("from_runs", None)
        if from_runs is not None:
            graph = graph_for(user=request.user, graph_id=from_runs["graph"])
            dataset = services.dataset_from_runs(
                team=team, actor=request.user, graph=graph, limit=from_runs["limit"], **fields
            )
        else:
            dataset = services.dataset_from_builtin(
                team=team, actor=request.user, builtin=fields.pop("builtin"), **fields
            )
        return Response(DatasetOutput(dataset).data, status=status.HTTP_201_CREATED)


class BuiltinDatasetListApi(APIView):
    @extend_schema(responses={200: BuiltinDatasetOutput(many=True)})
    def get(self, request: Request) -> Response:
        """The datasets shipped with Octograph, which a team may copy (``POST /api/datasets/``
        with ``builtin``)."""
        rows = [
            {
                "name": info.name,
                "title": info.title,
                "description": info.description,
                "licence": info.licence,
                "rows": info.rows,
            }
            for info in BUILTIN_DATASETS.values()
        ]
        return Response(BuiltinDatasetOutput(rows, many=True).data)


class DatasetDetailApi(APIView):
    @extend_schema(responses={200: DatasetOutput, **error_responses(404)})
    def get(self, request: Request, dataset_id: int) -> Response:
        """The dataset's name, source, size and fields."""
        return Response(DatasetOutput(_dataset(request, dataset_id)).data)

    @extend_schema(responses={204: None, **error_responses(403, 404, 409)})
    def delete(self, request: Request, dataset_id: int) -> Response:
        """Delete the dataset and its experiments (editors); 409 ``dataset_in_use`` while an
        experiment on it is under way."""
        services.dataset_delete(dataset=_dataset(request, dataset_id), actor=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)


class DatasetRowListApi(APIView):
    @extend_schema(
        parameters=[RowWindowQuery], responses={200: DatasetRowsOutput, **error_responses(400, 404)}
    )
    def get(self, request: Request, dataset_id: int) -> Response:
        """Rows ``offset`` .. ``offset + limit`` of the dataset, in order, and their ``count``."""
        dataset = _dataset(request, dataset_id)
        query = validated(RowWindowQuery, request.query_params)
        rows = selectors.dataset_rows(dataset, **query)
        return Response({"count": dataset.row_count, "rows": rows})


class DatasetParetoApi(APIView):
    class ParetoQuery(serializers.Serializer):
        metric = serializers.CharField(
            max_length=100,
            required=False,
            help_text="a scorer's name; default: the newest experiment's first scorer",
        )

    @extend_schema(
        parameters=[ParetoQuery], responses={200: ParetoOutput, **error_responses(400, 404)}
    )
    def get(self, request: Request, dataset_id: int) -> Response:
        """Every completed experiment on the dataset as a point (``metric`` against median
        latency, and against mean tokens per row), with the experiments on each Pareto
        frontier."""
        dataset = _dataset(request, dataset_id)
        query = validated(self.ParetoQuery, request.query_params)
        result = selectors.pareto(user=request.user, dataset=dataset, metric=query.get("metric"))
        return Response(ParetoOutput(result).data)


def _dataset(request: Request, dataset_id: int) -> Any:
    return selectors.dataset_for(user=request.user, dataset_id=dataset_id)


class ScorerListApi(APIView):
    @extend_schema(responses={200: ScorerOutput(many=True)})
    def get(self, request: Request) -> Response:
        """The scorers an experiment may use, with the row fields each needs (``judge`` needs the
        option ``model``, a catalog key: a model host grades each answer with it)."""
        rows = [
            {
                "name": scorer.name,
                "description": scorer.description,
                "needs": sorted(scorer.needs),
                "routing_only": scorer.routing_only,
                "supported": True,
            }
            for scorer in SCORERS.values()
        ]
        return Response(ScorerOutput(rows, many=True).data)


# --- experiments ------------------------------------------------------------------------------


@extend_schema_field(
    {
        "oneOf": [
            {"type": "string", "description": "a scorer's name"},
            {
                "type": "object",
                "properties": {"name": {"type": "string"}},
                "required": ["name"],
                "additionalProperties": True,
                "description": "a scorer's name and options, e.g. "
                '{"name": "numeric", "tolerance": 0.01}',
            },
        ]
    }
)
class ScorerSpecField(serializers.Field):
    """A scorer: its name, or ``{"name", ...options}``."""

    default_error_messages = {  # noqa: RUF012 - DRF's convention for field error messages
        "shape": "each scorer is a name, or an object with a string 'name' and its options",
    }

    def to_internal_value(self, data: Any) -> ScorerSpec:
        if isinstance(data, str) and data.strip() and len(data) <= 100:
            return ScorerSpec(data.strip())
        if (
            isinstance(data, Mapping)
            and isinstance(data.get("name"), str)
            and data["name"].strip()
            and len(data["name"]) <= 100
            and all(isinstance(key, str) for key in data)
        ):
            return ScorerSpec.from_json({**data, "name": data["name"].strip()})
        self.fail("shape")

    def to_representation(self, value: Any) -> Any:
        return value.to_json()


class GraphExperimentListApi(APIView):
    class ExperimentStartInput(serializers.Serializer):
        dataset = serializers.IntegerField(min_value=1, max_value=MAX_ID, help_text="its id")
        version = serializers.IntegerField(
            min_value=1, max_value=MAX_VERSION, required=False, help_text="default: the latest"
        )
        sample = serializers.IntegerField(
            min_value=1,
            max_value=MAX_DATASET_ROWS,
            required=False,
            help_text="run this many rows drawn at random (default: every row)",
        )
        seed = serializers.IntegerField(
            min_value=0, max_value=MAX_SEED, default=0, help_text="of the sample's draw"
        )
        scorers = serializers.ListField(
            child=ScorerSpecField(),
            required=False,
            max_length=MAX_SCORERS,
            help_text="default: those the dataset's fields allow (route, choice, exact)",
        )
        routing_only = serializers.BooleanField(
            required=False,
            allow_null=True,
            default=None,
            help_text="stop each run once its routers have decided (default: when every "
            "scorer needs only routing decisions)",
        )
        concurrency = serializers.IntegerField(
            min_value=1,
            max_value=MAX_CONCURRENCY,
            required=False,
            help_text="runs under way at once (default: the server's setting)",
        )

    class ExperimentQuery(serializers.Serializer):
        dataset = serializers.IntegerField(
            min_value=1, max_value=MAX_ID, required=False, help_text="only on this dataset"
        )
        limit = serializers.IntegerField(
            min_value=1, max_value=MAX_PAGE, default=50, help_text="at most this many"
        )

    @extend_schema(
        parameters=[ExperimentQuery],
        responses={200: ExperimentOutput(many=True), **error_responses(400, 404)},
    )
    def get(self, request: Request, graph_id: int) -> Response:
        """The graph's most recent experiments (on ``?dataset=`` only), newest first."""
        graph = graph_for(user=request.user, graph_id=graph_id)
        query = validated(self.ExperimentQuery, request.query_params)
        experiments = selectors.experiments_of(graph, dataset_id=query.get("dataset"))
        return Response(ExperimentOutput(experiments[: query["limit"]], many=True).data)

    @extend_schema(
        request=ExperimentStartInput,
        responses={201: ExperimentOutput, **error_responses(400, 403, 404)},
    )
    def post(self, request: Request, graph_id: int) -> Response:
        """Run a version of the graph (default: the latest) on a dataset of its team, every row
        or a seeded ``sample``, and score each row's run (whoever may run the graph). The
        experiment is queued; follow it with ``GET /api/experiments/{id}/`` or
        ``/ws/experiments/{id}/``. With the task queue unreachable it is still created (201,
        queued) and starts within a minute of the queue coming back."""
        graph = graph_for(user=request.user, graph_id=graph_id)
        fields = validated(self.ExperimentStartInput, request.data)
        dataset = selectors.dataset_for(user=request.user, dataset_id=fields.pop("dataset"))
        started: list[Experiment] = []
        try:
            # Its first step is sent once this commits: ``started`` holds it by then.
            with transaction.atomic():
                started.append(
                    services.experiment_start(
                        graph=graph, actor=request.user, dataset=dataset, **fields
                    )
                )
        except QUEUE_ERRORS as error:
            if not started:
                raise
            # Stored, but the task queue (Redis) could not take its first step: unlike a run's
            # start, nothing is lost, as the resume sweep (``evaluation.resume_experiments``)
            # starts it once the queue is back. A 503 here would have the client start a
            # second copy of it.
            log.warning("experiment %s is queued, its start not sent: %s", started[0].pk, error)
        (experiment,) = started
        return Response(
            ExperimentOutput(selectors.experiment_by_id(experiment.pk)).data,
            status=status.HTTP_201_CREATED,
        )


class ExperimentDetailApi(APIView):
    @extend_schema(responses={200: ExperimentOutput, **error_responses(404)})
    def get(self, request: Request, experiment_id: int) -> Response:
        """The experiment's status, progress and summary (``graphs.evaluation.report``)."""
        experiment = selectors.experiment_for(user=request.user, experiment_id=experiment_id)
        return Response(ExperimentOutput(experiment).data)


class ExperimentCancelApi(APIView):
    @extend_schema(request=None, responses={200: ExperimentOutput, **error_responses(403, 404)})
    def post(self, request: Request, experiment_id: int) -> Response:
        """Cancel the experiment (its creator or an editor): its runs under way are cancelled,
        unscored rows stay unscored. A finished experiment is returned unchanged."""
        experiment = selectors.experiment_for(user=request.user, experiment_id=experiment_id)
        experiment = services.experiment_cancel(experiment=experiment, actor=request.user)
        return Response(ExperimentOutput(experiment).data)


class ExperimentRowListApi(APIView):
    class RowQuery(RowWindowQuery):
        router = serializers.CharField(
            max_length=200, required=False, help_text="a router node's id"
        )
        expected = serializers.CharField(
            max_length=200, required=False, help_text="rows whose router expected this target"
        )
        chosen = serializers.CharField(
            max_length=200, required=False, help_text="rows whose router chose this target"
        )
        scorer = serializers.CharField(
            max_length=100, required=False, help_text="rows this scorer applies to"
        )
        value = serializers.FloatField(
            min_value=-1e9,
            max_value=1e9,
            required=False,
            help_text="rows that scored this value on ``scorer``",
        )
        status = serializers.ChoiceField(
            choices=[*RowStatus.values, "failed"],
            required=False,
            help_text="failed: scored, but the run did not complete",
        )

    @extend_schema(
        parameters=[RowQuery],
        responses={200: ExperimentRowsOutput, **error_responses(400, 404)},
    )
    def get(self, request: Request, experiment_id: int) -> Response:
        """The experiment's rows, by dataset index, filtered (the confusion matrix's cells:
        ``router``, ``expected`` and ``chosen``); each with its scores and its ``run``."""
        experiment = selectors.experiment_for(user=request.user, experiment_id=experiment_id)
        fields = validated(self.RowQuery, request.query_params)
        offset, limit = fields.pop("offset"), fields.pop("limit")
        count, rows = selectors.experiment_rows(
            experiment, selectors.RowFilter(**fields), offset=offset, limit=limit
        )
        return Response({"count": count, "rows": rows})


class ExperimentCompareApi(APIView):
    class CompareQuery(serializers.Serializer):
        ids = serializers.RegexField(
            rf"^\d{{1,18}}(,\d{{1,18}}){{1,{MAX_COMPARED - 1}}}$",
            max_length=200,
            help_text=f"2 to {MAX_COMPARED} experiment ids, comma-separated; the first is the base",
        )

        def validate_ids(self, value: str) -> list[int]:
            ids = list(dict.fromkeys(int(part) for part in value.split(",")))
            if len(ids) < 2:
                raise serializers.ValidationError("name at least two different experiments")
            return ids

    @extend_schema(
        parameters=[CompareQuery], responses={200: CompareOutput, **error_responses(400, 404)}
    )
    def get(self, request: Request) -> Response:
        """Experiments on the same dataset side by side: each one's metric deltas against the
        first, with a paired test (McNemar, or a paired bootstrap), and the rows whose score
        changed, with every experiment's run of them. 400 ``different_datasets``."""
        query = validated(self.CompareQuery, request.query_params)
        result = selectors.experiments_compared(user=request.user, experiment_ids=query["ids"])
        return Response(CompareOutput(result).data)
