/**
 * GENERATED FILE, DO NOT EDIT: the REST API's shapes, from the OpenAPI schema of /api/schema/
 * (drf-spectacular, from webapp's serializers and views) by openapi-typescript.
 * Regenerate after changing the API: `make api-types` (or `npm run api-types` in frontend/).
 * A test (tests/integration/webapp/test_api_types.py) fails while this file and the schema differ.
 * Import API types from ./types, which names them; not from here.
 */

export interface paths {
    "/api/auth/csrf/": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** @description Set the CSRF cookie and return its token, for the browser's login form. */
        get: operations["auth_csrf_retrieve"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/auth/login/": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** @description Open a browser session (CSRF-checked; see the module docstring). */
        post: operations["auth_login_create"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/auth/logout/": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** @description End the browser session (API tokens stay valid; DELETE /api/auth/token/ revokes). */
        post: operations["auth_logout_create"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/auth/me/": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** @description The requesting user and their teams with roles. */
        get: operations["auth_me_retrieve"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/auth/signup/": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** @description Create an account and its personal team. Log in afterwards to get a session. */
        post: operations["auth_signup_create"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/auth/token/": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** @description Exchange a username and password for the user's API token. */
        post: operations["auth_token_create"];
        /** @description Revoke the requesting user's API token. */
        delete: operations["auth_token_destroy"];
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/auth/tokens/": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** @description The requesting user's named API tokens, newest first (never their keys). */
        get: operations["auth_tokens_list"];
        put?: never;
        /**
         * @description Create a named API token. The answer's ``key`` is shown this once: store it now.
         *     A name the user already gave a token answers 409 ``token_name_taken``.
         */
        post: operations["auth_tokens_create"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/auth/tokens/{token_id}/": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        post?: never;
        /** @description Revoke one of the requesting user's tokens: clients using it get 401 from now on. */
        delete: operations["auth_tokens_destroy"];
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/chats/{chat_id}/messages/": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * @description The session's messages, oldest first (the latest answer included once its run has
         *     completed).
         */
        get: operations["chats_messages_list"];
        put?: never;
        /**
         * @description Say something: stores the message and starts the run that answers it (``run``; the
         *     message's ``images`` go with that run, see ``GET /api/runs/{id}/``). 503
         *     (``queue_unavailable``, with ``Retry-After``) when the task queue cannot be reached:
         *     the message is kept with its run marked failed, so it may simply be said again.
         */
        post: operations["chats_messages_create"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/datasets/": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** @description Datasets of the user's teams (or of ``?team=``), newest first, a page at a time. */
        get: operations["datasets_list"];
        put?: never;
        /**
         * @description Create a dataset (editors of the team): upload a JSONL or CSV file (multipart), or
         *     (JSON) copy a built-in dataset (``builtin``) or take a graph's past runs (``from_runs``:
         *     their inputs, each expecting the output its run gave). A bad file answers 400
         *     ``invalid_dataset`` with every problem (``problems``: ``{"line", "field", "message"}``);
         *     nothing is stored then.
         */
        post: operations["datasets_create"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/datasets/{dataset_id}/": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** @description The dataset's name, source, size and fields. */
        get: operations["datasets_retrieve"];
        put?: never;
        post?: never;
        /**
         * @description Delete the dataset and its experiments (editors); 409 ``dataset_in_use`` while an
         *     experiment on it is under way.
         */
        delete: operations["datasets_destroy"];
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/datasets/{dataset_id}/pareto/": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * @description Every completed experiment on the dataset as a point (``metric`` against median
         *     latency, and against mean tokens per row), with the experiments on each Pareto
         *     frontier.
         */
        get: operations["datasets_pareto_retrieve"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/datasets/{dataset_id}/rows/": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** @description Rows ``offset`` .. ``offset + limit`` of the dataset, in order, and their ``count``. */
        get: operations["datasets_rows_retrieve"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/datasets/builtin/": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * @description The datasets shipped with Octograph, which a team may copy (``POST /api/datasets/``
         *     with ``builtin``).
         */
        get: operations["datasets_builtin_list"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/evaluation/scorers/": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * @description The scorers an experiment may use, with the row fields each needs (``judge`` needs the
         *     option ``model``, a catalog key: a model host grades each answer with it).
         */
        get: operations["evaluation_scorers_list"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/experiments/{experiment_id}/": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** @description The experiment's status, progress and summary (``graphs.evaluation.report``). */
        get: operations["experiments_retrieve"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/experiments/{experiment_id}/cancel/": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * @description Cancel the experiment (its creator or an editor): its runs under way are cancelled,
         *     unscored rows stay unscored. A finished experiment is returned unchanged.
         */
        post: operations["experiments_cancel_create"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/experiments/{experiment_id}/rows/": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * @description The experiment's rows, by dataset index, filtered (the confusion matrix's cells:
         *     ``router``, ``expected`` and ``chosen``); each with its scores and its ``run``.
         */
        get: operations["experiments_rows_retrieve"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/experiments/compare/": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * @description Experiments on the same dataset side by side: each one's metric deltas against the
         *     first, with a paired test (McNemar, or a paired bootstrap), and the rows whose score
         *     changed, with every experiment's run of them. 400 ``different_datasets``.
         */
        get: operations["experiments_compare_retrieve"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/graphs/": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * @description Graphs of the user's teams (or of ``?team=``), those matching ``?search=`` when given,
         *     most recently changed first, a page at a time.
         */
        get: operations["graphs_list"];
        put?: never;
        /**
         * @description Create a graph from a spec or a template (editors of the team). A spec over the
         *     graph limits answers 400 naming the limit (``too_many_nodes``, ``too_many_edges``,
         *     ``spec_too_large``, ``spec_too_deep``); a body over twice the spec limit, 413.
         */
        post: operations["graphs_create"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/graphs/{graph_id}/": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** @description The graph with its latest version's spec. */
        get: operations["graphs_retrieve"];
        put?: never;
        post?: never;
        /** @description Delete the graph, its versions and share links (owners). */
        delete: operations["graphs_destroy"];
        options?: never;
        head?: never;
        /** @description Rename, re-describe or re-slug the graph (editors). Specs change through versions. */
        patch: operations["graphs_partial_update"];
        trace?: never;
    };
    "/api/graphs/{graph_id}/chats/": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** @description Your chat sessions with the graph, newest first. */
        get: operations["graphs_chats_list"];
        put?: never;
        /** @description Start a chat session with the graph (whoever may run it). */
        post: operations["graphs_chats_create"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/graphs/{graph_id}/diff/": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * @description What changed from version ``from`` to version ``to`` (nodes and edges added, removed,
         *     changed with their fields, and moved).
         */
        get: operations["graphs_diff_retrieve"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/graphs/{graph_id}/experiments/": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** @description The graph's most recent experiments (on ``?dataset=`` only), newest first. */
        get: operations["graphs_experiments_list"];
        put?: never;
        /**
         * @description Run a version of the graph (default: the latest) on a dataset of its team, every row
         *     or a seeded ``sample``, and score each row's run (whoever may run the graph). The
         *     experiment is queued; follow it with ``GET /api/experiments/{id}/`` or
         *     ``/ws/experiments/{id}/``. With the task queue unreachable it is still created (201,
         *     queued) and starts within a minute of the queue coming back.
         */
        post: operations["graphs_experiments_create"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/graphs/{graph_id}/fork/": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** @description Copy a version (default: the latest) into a new graph of a team you edit. */
        post: operations["graphs_fork_create"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/graphs/{graph_id}/runs/": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** @description The graph's runs, newest first, a page at a time. */
        get: operations["graphs_runs_list"];
        put?: never;
        /**
         * @description Run a version of the graph (default: the latest) on ``input`` and optional
         *     ``images`` (viewers may run): JSON with each image a data URL or ``{"data": base64 or
         *     a data URL, "media_type", "name"}``, or multipart with repeated ``images`` files. An
         *     image that is refused answers 400 with its ``code`` and ``image`` (its number, from
         *     1). The run is queued; follow it with ``GET /api/runs/{id}/`` and its events. 503
         *     (``queue_unavailable``, with ``Retry-After``) when the task queue cannot be reached:
         *     no run was created.
         */
        post: operations["graphs_runs_create"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/graphs/{graph_id}/share-links/": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** @description The graph's share links, revoked ones included. */
        get: operations["graphs_share_links_list"];
        put?: never;
        /** @description Create a public link to one version (editors). */
        post: operations["graphs_share_links_create"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/graphs/{graph_id}/share-links/{link_id}/": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        post?: never;
        /** @description Revoke a link (editors): its token answers 404 from now on. The link stays listed. */
        delete: operations["graphs_share_links_destroy"];
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/graphs/{graph_id}/trainings/": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** @description The graph's most recent trainings, newest first. */
        get: operations["graphs_trainings_list"];
        put?: never;
        /**
         * @description Train a router node of a saved version (default: the latest) from its outgoing
         *     edges' descriptions and examples (editors). The training is queued; follow it with
         *     ``GET /api/trainings/{id}/`` or ``/ws/trainings/{id}/``. 409 while that router is
         *     already being trained.
         */
        post: operations["graphs_trainings_create"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/graphs/{graph_id}/versions/": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** @description The graph's versions, newest first, without specs, a page at a time. */
        get: operations["graphs_versions_list"];
        put?: never;
        /**
         * @description Save a spec as the next version (editors). Invalid specs answer 400
         *     ``invalid_graph`` with ``problems``, each naming its node or edge id and field; specs
         *     over the graph limits, 400 naming the limit (as graph creation).
         */
        post: operations["graphs_versions_create"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/graphs/{graph_id}/versions/{number}/": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** @description One version with its spec. */
        get: operations["graphs_versions_retrieve"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/graphs/{graph_id}/versions/{number}/export/": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** @description The version's spec JSON as a download (import it with ``/api/graphs/import/``). */
        get: operations["graphs_versions_export_retrieve"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/graphs/{graph_id}/versions/{number}/restore/": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** @description Save this version's spec again as the newest version (editors). */
        post: operations["graphs_versions_restore_create"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/graphs/import/": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * @description Create a graph from an uploaded spec JSON file (editors of the team). To import a
         *     file as a new version of an existing graph, post its content to ``versions/``.
         */
        post: operations["graphs_import_create"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/models/": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * @description Built-in models, then the endpoints of the user's teams (or of ``?team=``), each with
         *     whether a worker serves its queue now and how many tasks wait there (null: Redis down).
         */
        get: operations["models_list"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/models/adapters/": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * @description The router adapters shipped with Octograph (``builtin: true``, by name), then those
         *     trained by the user's teams (or by ``?team=``), newest first.
         */
        get: operations["models_adapters_list"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/models/endpoints/": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** @description Endpoints of every team the user belongs to. */
        get: operations["models_endpoints_list"];
        put?: never;
        /** @description Register an OpenAI-compatible endpoint for a team (editors). */
        post: operations["models_endpoints_create"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/models/endpoints/{endpoint_id}/": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get: operations["models_endpoints_retrieve"];
        put?: never;
        post?: never;
        /** @description Remove an endpoint (editors). */
        delete: operations["models_endpoints_destroy"];
        options?: never;
        head?: never;
        /** @description Change an endpoint (editors); its key cannot change. */
        patch: operations["models_endpoints_partial_update"];
        trace?: never;
    };
    "/api/models/endpoints/{endpoint_id}/test/": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * @description Test a registered endpoint with its stored key (any member), or with changed values
         *     given in the body (editors), before saving them. Nothing is saved.
         */
        post: operations["models_endpoints_test_saved"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/models/endpoints/test/": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * @description Test an endpoint before registering it (editors of ``team``): list its models and
         *     chat one line. Takes up to about 10 s; nothing is saved.
         */
        post: operations["models_endpoints_test_draft"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/node-kinds/": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** @description Every node kind, in the palette's order. */
        get: operations["node_kinds_list"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/runs/{run_id}/": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** @description The run's status, output or error, and timings. */
        get: operations["runs_retrieve"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/runs/{run_id}/cancel/": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** @description Cancel the run (its creator or an editor); a finished run is returned unchanged. */
        post: operations["runs_cancel_create"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/runs/{run_id}/events/": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * @description The run's stored trace (structural events; no deltas) after ``after``, in ``seq``
         *     order, at most 1000 at a time: ask again after the last ``seq`` received.
         */
        get: operations["runs_events_list"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/runs/{run_id}/images/{number}/": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * @description Image ``number`` (from 1) of the run, as uploaded (validated on upload), to whoever
         *     may read the run.
         */
        get: operations["runs_images_retrieve"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/runs/image-limits/": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * @description What a run's images may be: their number, types, bytes and pixels (for clients to
         *     check before uploading; the server checks again).
         */
        get: operations["runs_image_limits_retrieve"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/share/{token}/": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** @description The shared version of a graph, read-only; 404 when the link is unknown or revoked. */
        get: operations["share_retrieve"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/teams/": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** @description The requesting user's teams, with their role in each. */
        get: operations["teams_list"];
        put?: never;
        /** @description Create a team owned by the requesting user. */
        post: operations["teams_create"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/teams/{team_id}/": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get: operations["teams_retrieve"];
        put?: never;
        post?: never;
        /** @description Delete the team with its graphs (owners; not a personal team). */
        delete: operations["teams_destroy"];
        options?: never;
        head?: never;
        /** @description Rename the team (owners). */
        patch: operations["teams_partial_update"];
        trace?: never;
    };
    "/api/teams/{team_id}/members/": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** @description Every member of the team with their role (any member may look). */
        get: operations["teams_members_list"];
        put?: never;
        /** @description Add a user by username with a role (owners). */
        post: operations["teams_members_create"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/teams/{team_id}/members/{user_id}/": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        post?: never;
        /** @description Remove a member (owners), or leave the team (yourself). */
        delete: operations["teams_members_destroy"];
        options?: never;
        head?: never;
        /** @description Change a member's role (owners). The last owner cannot be demoted. */
        patch: operations["teams_members_partial_update"];
        trace?: never;
    };
    "/api/templates/": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** @description The engine's ready-made graphs; create one with ``POST /api/graphs/ {"template"}``. */
        get: operations["templates_list"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/trainings/{training_id}/": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** @description The training's status, progress, error or adapter, and timings. */
        get: operations["trainings_retrieve"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/trainings/{training_id}/cancel/": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** @description Cancel the training (editors); a finished training is returned unchanged. */
        post: operations["trainings_cancel_create"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
}
export type webhooks = Record<string, never>;
export interface components {
    schemas: {
        ApiToken: {
            token: string;
        };
        ApiTokenInputRequest: {
            name: string;
        };
        /**
         * @description A named token as its owner sees it later: never its key. ``last_used_at`` is null until
         *     the token is first used, and lags real use by up to a minute.
         */
        ApiTokenOutput: {
            readonly id: number;
            readonly name: string;
            readonly prefix: string;
            /** Format: date-time */
            readonly created_at: string;
            /** Format: date-time */
            readonly last_used_at: string | null;
        };
        BuiltinDatasetOutput: {
            name: string;
            title: string;
            description: string;
            licence: string;
            rows: number;
        };
        /**
         * @description A router adapter shipped with Octograph (``workers/adapters/``), usable by every team:
         *     ``builtin`` is always true and ``team`` null. ``targets`` is how many edges it routes to;
         *     ``val_accuracy`` is its accuracy on the ``validation_examples`` held out from its
         *     ``train_examples``.
         */
        BuiltinRouterAdapterOutput: {
            readonly builtin: components["schemas"]["BuiltinRouterAdapterOutputBuiltinEnum"];
            readonly team: number | null;
            name: string;
            base_model: string;
            targets: number;
            /** Format: double */
            val_accuracy: number | null;
            train_examples: number;
            validation_examples: number;
        };
        /** @enum {boolean} */
        BuiltinRouterAdapterOutputBuiltinEnum: true;
        ChatCreateInputRequest: {
            title?: string;
        };
        /**
         * @description A model serializer that only ever renders answers: every field in ``Meta.fields`` is
         *     read-only.
         *
         *     Rendering is unchanged (a model instance has every attribute, so every field is always in
         *     the answer); what changes is the OpenAPI schema: read-only fields are listed as required,
         *     where a model field with a default or ``blank=True`` would otherwise read as optional, and
         *     the front end's generated types (frontend/src/api/schema.d.ts) would say so too.
         *     Fields declared on the class keep their own arguments: declare those ``read_only=True``.
         */
        ChatMessageOutput: {
            readonly id: number;
            readonly role: components["schemas"]["ChatMessageOutputRoleEnum"];
            readonly content: string;
            readonly run: number | null;
            /** Format: date-time */
            readonly created_at: string;
        };
        /**
         * @description * `user` - User
         *     * `assistant` - Assistant
         * @enum {string}
         */
        ChatMessageOutputRoleEnum: "user" | "assistant";
        /**
         * @description A model serializer that only ever renders answers: every field in ``Meta.fields`` is
         *     read-only.
         *
         *     Rendering is unchanged (a model instance has every attribute, so every field is always in
         *     the answer); what changes is the OpenAPI schema: read-only fields are listed as required,
         *     where a model field with a default or ``blank=True`` would otherwise read as optional, and
         *     the front end's generated types (frontend/src/api/schema.d.ts) would say so too.
         *     Fields declared on the class keep their own arguments: declare those ``read_only=True``.
         */
        ChatOutput: {
            readonly id: number;
            readonly graph: number;
            readonly title: string;
            /** Format: date-time */
            readonly created_at: string;
        };
        /**
         * @description * `dns` - dns
         *     * `refused` - refused
         *     * `timeout` - timeout
         *     * `unauthorized` - unauthorized
         *     * `forbidden` - forbidden
         *     * `http_error` - http_error
         *     * `not_openai_compatible` - not_openai_compatible
         *     * `unreachable` - unreachable
         * @enum {string}
         */
        CodeEnum: "dns" | "refused" | "timeout" | "unauthorized" | "forbidden" | "http_error" | "not_openai_compatible" | "unreachable";
        /**
         * @description ``base``: the first experiment; ``metrics``: ``{other experiment id: {scorer: {"a", "b",
         *     "delta", "test", "p_value", "low", "high"}}}`` (``report.compare`` against the base, on the
         *     ``scorers`` they share); ``changed``: rows whose score differs between the base and any
         *     other, with each experiment's scores and run.
         */
        CompareOutput: {
            dataset: components["schemas"]["DatasetRefOutput"];
            experiments: components["schemas"]["ExperimentOutput"][];
            base: number;
            scorers: string[];
            metrics: {
                [key: string]: unknown;
            };
            changed: {
                [key: string]: unknown;
            }[];
        };
        /**
         * @description The outcome of a connection test (``webapp.catalog.connection_check``): a failed test is
         *     a 200 with ``ok`` false, ``stage`` the request that failed and ``code`` how.
         */
        ConnectionReportOutput: {
            ok: boolean;
            message: string;
            code: (components["schemas"]["CodeEnum"] | components["schemas"]["NullEnum"]) | null;
            stage: (components["schemas"]["StageEnum"] | components["schemas"]["NullEnum"]) | null;
            /** @description the model ids GET /models listed */
            models: string[];
            /** @description whether the model name is among them; null: none listed */
            model_listed: boolean | null;
            /** @description the one-line chat's answer */
            reply: string | null;
            elapsed_ms: number;
        };
        CredentialsInputRequest: {
            username: string;
            password: string;
        };
        CsrfToken: {
            csrf_token: string;
        };
        /**
         * @description * `mmlu-1700` - mmlu-1700
         *     * `mt-bench-80` - mt-bench-80
         * @enum {string}
         */
        DatasetCopyInputBuiltinEnum: "mmlu-1700" | "mt-bench-80";
        DatasetCopyInputRequest: {
            /** Format: int64 */
            team: number;
            /**
             * @description default: from the source
             * @default
             */
            name?: string;
            /** @default  */
            description?: string;
            /**
             * @description copy this built-in dataset
             *
             *     * `mmlu-1700` - mmlu-1700
             *     * `mt-bench-80` - mt-bench-80
             */
            builtin?: components["schemas"]["DatasetCopyInputBuiltinEnum"];
            /** @description or take a graph's past runs (input -> expected output) */
            from_runs?: components["schemas"]["FromRunsInputRequest"];
        };
        /**
         * @description A dataset: ``source`` is ``upload``, ``builtin`` or ``runs``; ``fields`` the optional row
         *     fields present (they decide the default scorers).
         */
        DatasetOutput: {
            readonly id: number;
            readonly team: number;
            readonly name: string;
            readonly description: string;
            readonly source: components["schemas"]["SourceEnum"];
            readonly builtin: string;
            readonly filename: string;
            readonly row_count: number;
            readonly fields: string[];
            /** @description Required. 150 characters or fewer. Letters, digits and @/./+/-/_ only. */
            readonly created_by: string | null;
            /** Format: date-time */
            readonly created_at: string;
        };
        DatasetRefOutput: {
            id: number;
            name: string;
        };
        /**
         * @description ``count`` rows in all; ``rows``: each ``{"index", "input", ...}`` with the optional fields
         *     it has (``expected``, ``choices``, ``answer``, ``route``, ``metadata``, ``images``).
         */
        DatasetRowsOutput: {
            count: number;
            rows: {
                [key: string]: unknown;
            }[];
        };
        DatasetUploadInputRequest: {
            /** Format: int64 */
            team: number;
            /**
             * @description default: from the source
             * @default
             */
            name?: string;
            /** @default  */
            description?: string;
            /**
             * Format: binary
             * @description a .jsonl or .csv file of at most 20000 rows and 20 MiB
             */
            file: string;
        };
        /** @description See ``graphs.diff`` for the shape of ``nodes``, ``edges`` and ``meta``. */
        DiffOutput: {
            from: number;
            to: number;
            nodes: unknown;
            edges: unknown;
            meta: unknown;
        };
        EndpointCheckInputRequest: {
            /** Format: int64 */
            team: number;
            /** Format: uri */
            base_url: string;
            model_name: string;
            /** @default  */
            api_key?: string;
        };
        EndpointCreateInputRequest: {
            /** Format: int64 */
            team: number;
            key: string;
            /** @default  */
            display_name?: string;
            /** Format: uri */
            base_url: string;
            model_name: string;
            /** @default  */
            api_key?: string;
            /**
             * Format: double
             * @description USD per million tokens (in + out), for experiments' cost; default: none
             */
            price_per_million_tokens?: number | null;
        };
        /**
         * @description A model serializer that only ever renders answers: every field in ``Meta.fields`` is
         *     read-only.
         *
         *     Rendering is unchanged (a model instance has every attribute, so every field is always in
         *     the answer); what changes is the OpenAPI schema: read-only fields are listed as required,
         *     where a model field with a default or ``blank=True`` would otherwise read as optional, and
         *     the front end's generated types (frontend/src/api/schema.d.ts) would say so too.
         *     Fields declared on the class keep their own arguments: declare those ``read_only=True``.
         */
        EndpointOutput: {
            readonly id: number;
            readonly team: number;
            readonly key: string;
            readonly display_name: string;
            /** Format: uri */
            readonly base_url: string;
            readonly model_name: string;
            readonly has_api_key: boolean;
            /**
             * Format: double
             * @description USD per million tokens (in + out); empty: not priced
             */
            readonly price_per_million_tokens: number | null;
            /** Format: date-time */
            readonly created_at: string;
            /** Format: date-time */
            readonly updated_at: string;
        };
        EndpointRecheckInputRequest: {
            /** Format: uri */
            base_url?: string;
            model_name?: string;
            /** @description try this key instead of the stored one; leave out to use the stored key */
            api_key?: string;
        };
        Error: {
            code: string;
            message: string;
        };
        ExpectedVersionInputRequest: {
            /** @description the latest version when the edit began */
            expected_version: number;
        };
        /**
         * @description An experiment: what the REST API returns and what ``/ws/experiments/{id}/`` sends on
         *     every change. ``scorers``: ``{"name", ...options}`` each; ``sample``: null for every row;
         *     ``summary``: ``graphs.evaluation.report.summarize`` over the rows scored so far (null before
         *     the first), the same shape as ``octograph eval --json``.
         */
        ExperimentOutput: {
            readonly id: number;
            readonly graph: number;
            readonly version: number;
            readonly dataset: components["schemas"]["DatasetRefOutput"];
            readonly sample: number | null;
            readonly seed: number;
            readonly scorers: {
                [key: string]: unknown;
            }[];
            readonly routing_only: boolean;
            readonly concurrency: number;
            readonly status: components["schemas"]["StatusEnum"];
            readonly total: number;
            readonly done: number;
            readonly failed: number;
            readonly progress: components["schemas"]["ProgressOutput"];
            readonly summary: {
                [key: string]: unknown;
            } | null;
            readonly error: string;
            readonly revision: number;
            /** @description Required. 150 characters or fewer. Letters, digits and @/./+/-/_ only. */
            readonly created_by: string | null;
            /** Format: date-time */
            readonly created_at: string;
            /** Format: date-time */
            readonly started_at: string | null;
            /** Format: date-time */
            readonly finished_at: string | null;
        };
        /**
         * @description One row of an experiment: the dataset row's fields, the row's ``status`` (``pending``,
         *     ``running``, ``judging`` (its run finished; a judge model is grading it), ``scored``), its
         *     run (``run``: open it at ``/graphs/{graph}?run={run}``) and
         *     the run's ``outcome`` (completed, failed or cancelled), ``output`` and ``error``; ``scores``:
         *     ``{scorer: {"value", "detail"}}``; ``decisions``: ``{router: {"target", "probability"}}``.
         */
        ExperimentRowOutput: {
            index: number;
            input: string;
            expected: string | null;
            choices: string[] | null;
            answer: string | null;
            route: (string | {
                [key: string]: string;
            }) | null;
            expected_routes: {
                [key: string]: string;
            };
            metadata: {
                [key: string]: unknown;
            };
            status: string;
            outcome: string | null;
            run: number | null;
            output: string | null;
            error: string | null;
            scores: {
                [key: string]: unknown;
            };
            decisions: {
                [key: string]: unknown;
            };
            /** Format: double */
            latency_ms: number | null;
            tokens_in: number | null;
            tokens_out: number | null;
        };
        ExperimentRowsOutput: {
            count: number;
            rows: components["schemas"]["ExperimentRowOutput"][];
        };
        ExperimentStartInputRequest: {
            /**
             * Format: int64
             * @description its id
             */
            dataset: number;
            /** @description default: the latest */
            version?: number;
            /** @description run this many rows drawn at random (default: every row) */
            sample?: number;
            /**
             * @description of the sample's draw
             * @default 0
             */
            seed?: number;
            /** @description default: those the dataset's fields allow (route, choice, exact) */
            scorers?: (string | ({
                name: string;
            } & {
                [key: string]: unknown;
            }))[];
            /** @description stop each run once its routers have decided (default: when every scorer needs only routing decisions) */
            routing_only?: boolean | null;
            /** @description runs under way at once (default: the server's setting) */
            concurrency?: number;
        };
        ForkSourceOutput: {
            graph: number;
            version: number;
        };
        FromRunsInputRequest: {
            /**
             * Format: int64
             * @description a graph's id
             */
            graph: number;
            /**
             * @description its last this-many completed runs
             * @default 100
             */
            limit?: number;
        };
        GraphCreateInputRequest: {
            /** Format: int64 */
            team: number;
            name?: string;
            /** @default  */
            slug?: string;
            /** @default  */
            description?: string;
            /** @default  */
            message?: string;
            /** @description the spec of version 1 */
            spec?: unknown;
            /** @description instead of spec: a template's name */
            template?: string;
            /** @description with template: the options it takes (its `options`), e.g. moa-mixed's {"proposers": [model keys]} (default: the built-in model and every team endpoint) */
            template_options?: {
                [key: string]: unknown;
            };
        };
        /** @description A graph with its latest version, spec included. */
        GraphDetailOutput: {
            readonly id: number;
            readonly team: number;
            readonly name: string;
            readonly slug: string;
            readonly description: string;
            readonly latest_version: number;
            readonly role: components["schemas"]["TeamRoleEnum"];
            readonly forked_from: components["schemas"]["ForkSourceOutput"] | null;
            /** @description Required. 150 characters or fewer. Letters, digits and @/./+/-/_ only. */
            readonly created_by: string | null;
            /** Format: date-time */
            readonly created_at: string;
            /** Format: date-time */
            readonly updated_at: string;
            readonly latest: components["schemas"]["VersionOutput"];
        };
        GraphForkInputRequest: {
            /** Format: int64 */
            team: number;
            /** @default  */
            name?: string;
            /** @description default: the latest */
            version?: number;
        };
        GraphImportInputRequest: {
            /** Format: int64 */
            team: number;
            /**
             * Format: binary
             * @description a spec JSON file, as exported
             */
            file: string;
            name?: string;
        };
        /** @description ``role`` is the requesting user's role in the graph's team (from the selectors). */
        GraphOutput: {
            readonly id: number;
            readonly team: number;
            readonly name: string;
            readonly slug: string;
            readonly description: string;
            readonly latest_version: number;
            readonly role: components["schemas"]["TeamRoleEnum"];
            readonly forked_from: components["schemas"]["ForkSourceOutput"] | null;
            /** @description Required. 150 characters or fewer. Letters, digits and @/./+/-/_ only. */
            readonly created_by: string | null;
            /** Format: date-time */
            readonly created_at: string;
            /** Format: date-time */
            readonly updated_at: string;
        };
        ImageLimitsOutput: {
            max_images: number;
            media_types: string[];
            /** @description per image, as uploaded */
            max_bytes: number;
            /** @description width x height, per image */
            max_pixels: number;
        };
        /**
         * @description * `transformers` - transformers
         *     * `openai` - openai
         *     * `clip` - clip
         * @enum {string}
         */
        KindEnum: "transformers" | "openai" | "clip";
        /**
         * @description A model serializer that only ever renders answers: every field in ``Meta.fields`` is
         *     read-only.
         *
         *     Rendering is unchanged (a model instance has every attribute, so every field is always in
         *     the answer); what changes is the OpenAPI schema: read-only fields are listed as required,
         *     where a model field with a default or ``blank=True`` would otherwise read as optional, and
         *     the front end's generated types (frontend/src/api/schema.d.ts) would say so too.
         *     Fields declared on the class keep their own arguments: declare those ``read_only=True``.
         */
        MeOutput: {
            readonly id: number;
            /** @description Required. 150 characters or fewer. Letters, digits and @/./+/-/_ only. */
            readonly username: string;
            /**
             * Email address
             * Format: email
             */
            readonly email: string;
            readonly teams: components["schemas"]["TeamOutput"][];
        };
        MemberAddInputRequest: {
            role: components["schemas"]["TeamRoleEnum"];
            username: string;
        };
        /**
         * @description A model serializer that only ever renders answers: every field in ``Meta.fields`` is
         *     read-only.
         *
         *     Rendering is unchanged (a model instance has every attribute, so every field is always in
         *     the answer); what changes is the OpenAPI schema: read-only fields are listed as required,
         *     where a model field with a default or ``blank=True`` would otherwise read as optional, and
         *     the front end's generated types (frontend/src/api/schema.d.ts) would say so too.
         *     Fields declared on the class keep their own arguments: declare those ``read_only=True``.
         */
        MembershipOutput: {
            readonly user: components["schemas"]["UserOutput"];
            readonly role: components["schemas"]["TeamRoleEnum"];
            /** Format: date-time */
            readonly created_at: string;
        };
        MessageInputRequest: {
            content: string;
            /** @description at most 4 images for this message's run, as in run creation */
            images?: (string | {
                /** @description the image file in base64, or a base64 data URL */
                data: string;
                /** @description its MIME type, if given it must agree with the content */
                media_type?: string;
                /** @description a file name shown with the image */
                name?: string;
            })[];
        };
        /**
         * @description A model a graph node may name in ``config.model``. ``team`` and ``endpoint`` are set for
         *     a team's registered endpoint, null for the workers' built-in models.
         */
        ModelOutput: {
            key: string;
            display_name: string;
            family: string;
            kind: components["schemas"]["KindEnum"];
            available: boolean;
            unavailable_reason: string | null;
            team: number | null;
            /** @description the endpoint's team name; null for built-in models */
            team_name: string | null;
            endpoint: number | null;
            /**
             * Format: double
             * @description USD per million tokens (in + out); null when not priced
             */
            price_per_million_tokens: number | null;
            /** @description where it comes from: its weights (e.g. a package, a folder, a hub id) or, for an HTTP model, its base URL and model name */
            source: string;
            /** @description the Celery queue its nodes go to: model.<key>, or endpoints (shared by every team endpoint) */
            queue: string;
            /** @description whether a live worker consumes the queue now; null when Redis cannot say */
            served: boolean | null;
            /** @description tasks waiting in the queue for a worker; null when Redis cannot say */
            waiting: number | null;
        };
        /**
         * @description A token just created, with its ``key``: the only time the key is ever shown (only a
         *     digest of it is stored).
         */
        NewApiTokenOutput: {
            readonly id: number;
            readonly name: string;
            readonly prefix: string;
            /** Format: date-time */
            readonly created_at: string;
            /** Format: date-time */
            readonly last_used_at: string | null;
            readonly key: string;
        };
        NodeKindOutput: {
            /** @description The kind's name, a spec node's `kind`. */
            name: string;
            /** @description What a node of the kind does, in one sentence. */
            summary: string;
            /** @description Whether it runs on a model host's queue. */
            hosted: boolean;
            ports: components["schemas"]["NodeKindPortsOutput"];
            /** @description What the server applies to an absent config key. */
            defaults: {
                [key: string]: unknown;
            };
            /** @description The config a new node starts with; a required `model` it lacks is filled with the editor's default model. */
            new_config: {
                [key: string]: unknown;
            };
            /** @description Constants of the kind the editor shows or checks. */
            facts: {
                [key: string]: unknown;
            };
            /** @description The JSON Schema of the kind's config. */
            config_schema: {
                [key: string]: unknown;
            };
        };
        NodeKindPortsOutput: {
            /** @description Incoming edges a node needs. */
            min_inputs: number;
            /** @description Incoming edges a node takes at most; null: no limit. */
            max_inputs: number | null;
            /** @description Whether a node may have outgoing edges. */
            outputs: boolean;
        };
        NodeTimingOutput: {
            node: string;
            /** Format: double */
            latency_ms: number;
            attempts: number;
            tokens_in: number;
            tokens_out: number;
        };
        /** @enum {unknown} */
        NullEnum: null;
        PaginatedDataset: {
            /** @description items on every page together */
            count: number;
            /**
             * Format: uri
             * @description the next page
             */
            next: string | null;
            /**
             * Format: uri
             * @description the previous page
             */
            previous: string | null;
            results: components["schemas"]["DatasetOutput"][];
        };
        PaginatedGraph: {
            /** @description items on every page together */
            count: number;
            /**
             * Format: uri
             * @description the next page
             */
            next: string | null;
            /**
             * Format: uri
             * @description the previous page
             */
            previous: string | null;
            results: components["schemas"]["GraphOutput"][];
        };
        PaginatedRun: {
            /** @description items on every page together */
            count: number;
            /**
             * Format: uri
             * @description the next page
             */
            next: string | null;
            /**
             * Format: uri
             * @description the previous page
             */
            previous: string | null;
            results: components["schemas"]["RunOutput"][];
        };
        PaginatedVersionSummary: {
            /** @description items on every page together */
            count: number;
            /**
             * Format: uri
             * @description the next page
             */
            next: string | null;
            /**
             * Format: uri
             * @description the previous page
             */
            previous: string | null;
            results: components["schemas"]["VersionSummaryOutput"][];
        };
        ParetoFrontierOutput: {
            latency: number[];
            tokens: number[];
        };
        /**
         * @description Each completed experiment on the dataset with a value for ``metric`` as a point; the
         *     ids of the experiments on each frontier (``latency``: quality vs median latency, ``tokens``:
         *     quality vs mean tokens per row), by increasing cost.
         */
        ParetoOutput: {
            dataset: number;
            metric: string | null;
            points: components["schemas"]["ParetoPointOutput"][];
            frontier: components["schemas"]["ParetoFrontierOutput"];
        };
        ParetoPointOutput: {
            experiment: number;
            graph: number;
            graph_name: string;
            version: number;
            label: string;
            routing_only: boolean;
            /** Format: double */
            quality: number;
            /** Format: double */
            latency_p50: number | null;
            /** Format: double */
            tokens: number | null;
        };
        PatchedEndpointUpdateInputRequest: {
            display_name?: string;
            /** Format: uri */
            base_url?: string;
            model_name?: string;
            /** @description a new key; "" removes the stored one; leave out to keep it */
            api_key?: string;
            /**
             * Format: double
             * @description USD per million tokens (in + out); null removes it; leave out to keep it
             */
            price_per_million_tokens?: number | null;
        };
        PatchedGraphUpdateInputRequest: {
            name?: string;
            slug?: string;
            description?: string;
        };
        PatchedRoleInputRequest: {
            role?: components["schemas"]["TeamRoleEnum"];
        };
        PatchedTeamInputRequest: {
            name?: string;
        };
        /**
         * @description Rows ``done`` (scored) of ``total``, of which ``failed`` had a run that did not complete;
         *     ``running`` rows under way (their run, or their judge, at work); ``eta_s`` extrapolates the
         *     rate so far (null before the first row).
         */
        ProgressOutput: {
            done: number;
            total: number;
            failed: number;
            running: number;
            /** Format: double */
            elapsed_s: number;
            /** Format: double */
            eta_s: number | null;
        };
        RouterAdapterChoice: components["schemas"]["BuiltinRouterAdapterOutput"] | components["schemas"]["RouterAdapterOutput"];
        /**
         * @description A trained router adapter: use it in a router node as ``{"mode": "functional-token",
         *     "adapter": name}``. ``graph``, ``version`` and ``router`` say what it was trained for
         *     (``graph`` is null once that graph is deleted); ``builtin`` is always false.
         */
        RouterAdapterOutput: {
            readonly id: number;
            readonly builtin: components["schemas"]["RouterAdapterOutputBuiltinEnum"];
            readonly team: number;
            readonly name: string;
            readonly base_model: string;
            readonly graph: number | null;
            /** @description the graph version it was trained from */
            readonly version: number;
            readonly router: string;
            /** Format: double */
            readonly val_accuracy: number | null;
            readonly train_examples: number;
            readonly validation_examples: number;
            /** @description Required. 150 characters or fewer. Letters, digits and @/./+/-/_ only. */
            readonly created_by: string | null;
            /** Format: date-time */
            readonly created_at: string;
        };
        /** @enum {boolean} */
        RouterAdapterOutputBuiltinEnum: false;
        RunCreateJsonInputRequest: {
            /** @description the query */
            input: string;
            /** @description default: the latest */
            version?: number;
            /** @description at most 4 images (PNG, JPEG, WebP or GIF) */
            images?: (string | {
                /** @description the image file in base64, or a base64 data URL */
                data: string;
                /** @description its MIME type, if given it must agree with the content */
                media_type?: string;
                /** @description a file name shown with the image */
                name?: string;
            })[];
        };
        RunCreateMultipartInputRequest: {
            /** @description the query */
            input: string;
            /** @description default: the latest */
            version?: number;
            /** @description image files, at most 4 (PNG, JPEG, WebP or GIF) */
            images?: string[];
        };
        /**
         * @description A run with its images and the timings of its completed nodes, in completion order (from
         *     the trace).
         */
        RunDetailOutput: {
            readonly id: number;
            readonly graph: number;
            readonly version: number;
            readonly status: components["schemas"]["StatusEnum"];
            readonly input: string;
            readonly output: string;
            readonly error: string;
            /** @description Required. 150 characters or fewer. Letters, digits and @/./+/-/_ only. */
            readonly created_by: string | null;
            /** Format: date-time */
            readonly created_at: string;
            /** Format: date-time */
            readonly started_at: string | null;
            /** Format: date-time */
            readonly finished_at: string | null;
            /** Format: double */
            readonly duration_ms: number | null;
            readonly last_seq: number;
            readonly images: components["schemas"]["RunImageOutput"][];
            readonly timings: components["schemas"]["NodeTimingOutput"][];
        };
        /** @description One event in the schema of ``graphs.events`` (whose run ids are strings). */
        RunEventOutput: {
            readonly run: string;
            readonly seq: number;
            readonly ts: string;
            readonly type: string;
            readonly node: string | null;
            readonly data: unknown;
        };
        /**
         * @description An image of the run: its working copy (``media_type``, ``width``, ``height``, ``bytes``,
         *     ``sha256``: as ``RunImage.summary()`` in the ``run.started`` event), the original's type and
         *     size, and the ``url`` serving the original.
         */
        RunImageOutput: {
            readonly number: number;
            readonly name: string;
            readonly media_type: string;
            readonly width: number;
            readonly height: number;
            readonly bytes: number;
            readonly sha256: string;
            readonly original_type: string;
            readonly original_bytes: number;
            readonly url: string;
        };
        /**
         * @description A model serializer that only ever renders answers: every field in ``Meta.fields`` is
         *     read-only.
         *
         *     Rendering is unchanged (a model instance has every attribute, so every field is always in
         *     the answer); what changes is the OpenAPI schema: read-only fields are listed as required,
         *     where a model field with a default or ``blank=True`` would otherwise read as optional, and
         *     the front end's generated types (frontend/src/api/schema.d.ts) would say so too.
         *     Fields declared on the class keep their own arguments: declare those ``read_only=True``.
         */
        RunOutput: {
            readonly id: number;
            readonly graph: number;
            readonly version: number;
            readonly status: components["schemas"]["StatusEnum"];
            readonly input: string;
            readonly output: string;
            readonly error: string;
            /** @description Required. 150 characters or fewer. Letters, digits and @/./+/-/_ only. */
            readonly created_by: string | null;
            /** Format: date-time */
            readonly created_at: string;
            /** Format: date-time */
            readonly started_at: string | null;
            /** Format: date-time */
            readonly finished_at: string | null;
            /** Format: double */
            readonly duration_ms: number | null;
            readonly last_seq: number;
        };
        /**
         * @description A scorer: ``needs`` the row fields it requires; ``routing_only`` when routing decisions
         *     suffice; ``supported`` is false for scorers the web app cannot run (every scorer runs
         *     today; ``judge`` needs its ``model`` option).
         */
        ScorerOutput: {
            name: string;
            description: string;
            needs: string[];
            routing_only: boolean;
            supported: boolean;
        };
        ShareLinkInputRequest: {
            version: number;
        };
        /**
         * @description A model serializer that only ever renders answers: every field in ``Meta.fields`` is
         *     read-only.
         *
         *     Rendering is unchanged (a model instance has every attribute, so every field is always in
         *     the answer); what changes is the OpenAPI schema: read-only fields are listed as required,
         *     where a model field with a default or ``blank=True`` would otherwise read as optional, and
         *     the front end's generated types (frontend/src/api/schema.d.ts) would say so too.
         *     Fields declared on the class keep their own arguments: declare those ``read_only=True``.
         */
        ShareLinkOutput: {
            readonly id: number;
            readonly version: number;
            readonly token: string;
            readonly url: string;
            /** @description Required. 150 characters or fewer. Letters, digits and @/./+/-/_ only. */
            readonly created_by: string | null;
            /** Format: date-time */
            readonly created_at: string;
            /** Format: date-time */
            readonly revoked_at: string | null;
        };
        /**
         * @description What a share link shows: the graph's name and description and one version. Nothing
         *     about its team or its other versions.
         */
        SharedVersionOutput: {
            name: string;
            description: string;
            version: components["schemas"]["VersionOutput"];
        };
        SignupInputRequest: {
            username: string;
            password: string;
            email?: string;
        };
        /**
         * @description * `upload` - Uploaded file
         *     * `builtin` - Built-in dataset
         *     * `runs` - Past runs of a graph
         * @enum {string}
         */
        SourceEnum: "upload" | "builtin" | "runs";
        /**
         * @description * `models` - models
         *     * `chat` - chat
         * @enum {string}
         */
        StageEnum: "models" | "chat";
        /**
         * @description * `queued` - Queued
         *     * `running` - Running
         *     * `completed` - Completed
         *     * `failed` - Failed
         *     * `cancelled` - Cancelled
         * @enum {string}
         */
        StatusEnum: "queued" | "running" | "completed" | "failed" | "cancelled";
        TeamInputRequest: {
            name: string;
        };
        /** @description ``role`` is the requesting user's role (teams come from ``selectors.teams_of``). */
        TeamOutput: {
            readonly id: number;
            readonly name: string;
            readonly personal: boolean;
            readonly role: components["schemas"]["TeamRoleEnum"];
            /** Format: date-time */
            readonly created_at: string;
        };
        /**
         * @description * `viewer` - Viewer
         *     * `editor` - Editor
         *     * `owner` - Owner
         * @enum {string}
         */
        TeamRoleEnum: "viewer" | "editor" | "owner";
        TemplateOutput: {
            name: string;
            title: string;
            description: string;
            spec: unknown;
            /** @description the template_options it takes at creation (proposers: a list of model keys) */
            options: string[];
        };
        TrainingOptionsOutput: {
            epochs: number;
            examples_per_edge: number;
            model_queries_per_edge: number;
            /** Format: double */
            validation_fraction: number;
        };
        /**
         * @description A training: what the REST API returns and what ``/ws/trainings/{id}/`` sends on every
         *     change. ``progress`` is null until the first step, ``adapter`` until it has completed.
         */
        TrainingOutput: {
            readonly id: number;
            readonly graph: number;
            readonly version: number;
            readonly router: string;
            /** @default queued */
            readonly status: components["schemas"]["StatusEnum"];
            readonly options: components["schemas"]["TrainingOptionsOutput"];
            readonly progress: components["schemas"]["TrainingProgressOutput"] | null;
            readonly error: string;
            readonly adapter: components["schemas"]["RouterAdapterOutput"] | null;
            readonly revision: number;
            /** @description Required. 150 characters or fewer. Letters, digits and @/./+/-/_ only. */
            readonly created_by: string | null;
            /** Format: date-time */
            readonly created_at: string;
            /** Format: date-time */
            readonly started_at: string | null;
            /** Format: date-time */
            readonly finished_at: string | null;
        };
        /**
         * @description The last step reported: ``val_accuracy`` is null before the first validation, ``eta_s``
         *     extrapolates the mean step time so far.
         */
        TrainingProgressOutput: {
            step: number;
            total_steps: number;
            epoch: number;
            /** Format: double */
            loss: number;
            /** Format: double */
            val_accuracy: number | null;
            /** Format: double */
            elapsed_s: number;
            /** Format: double */
            eta_s: number;
        };
        TrainingStartInputRequest: {
            /** @description id of the router node */
            router: string;
            /** @description default: the latest */
            version?: number;
            /**
             * @description passes over the training set
             * @default 3
             */
            epochs?: number;
            /**
             * @description queries synthesised from each edge's description and examples
             * @default 40
             */
            examples_per_edge?: number;
            /**
             * @description more queries per edge written by the router's model (0: none)
             * @default 0
             */
            model_queries_per_edge?: number;
            /**
             * Format: double
             * @description share of each edge's examples held out to measure accuracy
             * @default 0.2
             */
            validation_fraction?: number;
        };
        /**
         * @description A model serializer that only ever renders answers: every field in ``Meta.fields`` is
         *     read-only.
         *
         *     Rendering is unchanged (a model instance has every attribute, so every field is always in
         *     the answer); what changes is the OpenAPI schema: read-only fields are listed as required,
         *     where a model field with a default or ``blank=True`` would otherwise read as optional, and
         *     the front end's generated types (frontend/src/api/schema.d.ts) would say so too.
         *     Fields declared on the class keep their own arguments: declare those ``read_only=True``.
         */
        UserOutput: {
            readonly id: number;
            /** @description Required. 150 characters or fewer. Letters, digits and @/./+/-/_ only. */
            readonly username: string;
            /**
             * Email address
             * Format: email
             */
            readonly email: string;
        };
        VersionConflict: {
            code: string;
            message: string;
            latest: components["schemas"]["VersionOutput"];
        };
        /**
         * @description A model serializer that only ever renders answers: every field in ``Meta.fields`` is
         *     read-only.
         *
         *     Rendering is unchanged (a model instance has every attribute, so every field is always in
         *     the answer); what changes is the OpenAPI schema: read-only fields are listed as required,
         *     where a model field with a default or ``blank=True`` would otherwise read as optional, and
         *     the front end's generated types (frontend/src/api/schema.d.ts) would say so too.
         *     Fields declared on the class keep their own arguments: declare those ``read_only=True``.
         */
        VersionOutput: {
            readonly number: number;
            readonly message: string;
            /** @description Required. 150 characters or fewer. Letters, digits and @/./+/-/_ only. */
            readonly author: string | null;
            /** Format: date-time */
            readonly created_at: string;
            readonly spec: unknown;
        };
        VersionSaveInputRequest: {
            /** @description the latest version when the edit began */
            expected_version: number;
            spec: unknown;
            /** @default  */
            message?: string;
        };
        /**
         * @description A model serializer that only ever renders answers: every field in ``Meta.fields`` is
         *     read-only.
         *
         *     Rendering is unchanged (a model instance has every attribute, so every field is always in
         *     the answer); what changes is the OpenAPI schema: read-only fields are listed as required,
         *     where a model field with a default or ``blank=True`` would otherwise read as optional, and
         *     the front end's generated types (frontend/src/api/schema.d.ts) would say so too.
         *     Fields declared on the class keep their own arguments: declare those ``read_only=True``.
         */
        VersionSummaryOutput: {
            readonly number: number;
            readonly message: string;
            /** @description Required. 150 characters or fewer. Letters, digits and @/./+/-/_ only. */
            readonly author: string | null;
            /** Format: date-time */
            readonly created_at: string;
        };
    };
    responses: never;
    parameters: never;
    requestBodies: never;
    headers: never;
    pathItems: never;
}
export type $defs = Record<string, never>;
export interface operations {
    auth_csrf_retrieve: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["CsrfToken"];
                };
            };
        };
    };
    auth_login_create: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["CredentialsInputRequest"];
                "application/x-www-form-urlencoded": components["schemas"]["CredentialsInputRequest"];
                "multipart/form-data": components["schemas"]["CredentialsInputRequest"];
            };
        };
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["UserOutput"];
                };
            };
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    auth_logout_create: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description No response body */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
        };
    };
    auth_me_retrieve: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["MeOutput"];
                };
            };
        };
    };
    auth_signup_create: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["SignupInputRequest"];
                "application/x-www-form-urlencoded": components["schemas"]["SignupInputRequest"];
                "multipart/form-data": components["schemas"]["SignupInputRequest"];
            };
        };
        responses: {
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["UserOutput"];
                };
            };
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    auth_token_create: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["CredentialsInputRequest"];
                "application/x-www-form-urlencoded": components["schemas"]["CredentialsInputRequest"];
                "multipart/form-data": components["schemas"]["CredentialsInputRequest"];
            };
        };
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiToken"];
                };
            };
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    auth_token_destroy: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description No response body */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
        };
    };
    auth_tokens_list: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiTokenOutput"][];
                };
            };
        };
    };
    auth_tokens_create: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["ApiTokenInputRequest"];
                "application/x-www-form-urlencoded": components["schemas"]["ApiTokenInputRequest"];
                "multipart/form-data": components["schemas"]["ApiTokenInputRequest"];
            };
        };
        responses: {
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["NewApiTokenOutput"];
                };
            };
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    auth_tokens_destroy: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                token_id: number;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description No response body */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    chats_messages_list: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                chat_id: number;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ChatMessageOutput"][];
                };
            };
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    chats_messages_create: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                chat_id: number;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["MessageInputRequest"];
                "application/x-www-form-urlencoded": components["schemas"]["MessageInputRequest"];
                "multipart/form-data": components["schemas"]["MessageInputRequest"];
            };
        };
        responses: {
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ChatMessageOutput"];
                };
            };
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    datasets_list: {
        parameters: {
            query?: {
                /** @description from 1 */
                page?: number;
                /** @description at most 500; default 50 */
                page_size?: number;
                /** @description only this team's */
                team?: number;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["PaginatedDataset"];
                };
            };
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    datasets_create: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "multipart/form-data": components["schemas"]["DatasetUploadInputRequest"];
                "application/json": components["schemas"]["DatasetCopyInputRequest"];
            };
        };
        responses: {
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["DatasetOutput"];
                };
            };
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    datasets_retrieve: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                dataset_id: number;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["DatasetOutput"];
                };
            };
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    datasets_destroy: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                dataset_id: number;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description No response body */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    datasets_pareto_retrieve: {
        parameters: {
            query?: {
                /** @description a scorer's name; default: the newest experiment's first scorer */
                metric?: string;
            };
            header?: never;
            path: {
                dataset_id: number;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ParetoOutput"];
                };
            };
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    datasets_rows_retrieve: {
        parameters: {
            query?: {
                /** @description at most 500 */
                limit?: number;
                offset?: number;
            };
            header?: never;
            path: {
                dataset_id: number;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["DatasetRowsOutput"];
                };
            };
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    datasets_builtin_list: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["BuiltinDatasetOutput"][];
                };
            };
        };
    };
    evaluation_scorers_list: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ScorerOutput"][];
                };
            };
        };
    };
    experiments_retrieve: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                experiment_id: number;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ExperimentOutput"];
                };
            };
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    experiments_cancel_create: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                experiment_id: number;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ExperimentOutput"];
                };
            };
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    experiments_rows_retrieve: {
        parameters: {
            query?: {
                /** @description rows whose router chose this target */
                chosen?: string;
                /** @description rows whose router expected this target */
                expected?: string;
                /** @description at most 500 */
                limit?: number;
                offset?: number;
                /** @description a router node's id */
                router?: string;
                /** @description rows this scorer applies to */
                scorer?: string;
                /**
                 * @description failed: scored, but the run did not complete
                 *
                 *     * `pending` - pending
                 *     * `running` - running
                 *     * `judging` - judging
                 *     * `scored` - scored
                 *     * `failed` - failed
                 */
                status?: "pending" | "running" | "judging" | "scored" | "failed";
                /** @description rows that scored this value on ``scorer`` */
                value?: number;
            };
            header?: never;
            path: {
                experiment_id: number;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ExperimentRowsOutput"];
                };
            };
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    experiments_compare_retrieve: {
        parameters: {
            query: {
                /** @description 2 to 10 experiment ids, comma-separated; the first is the base */
                ids: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["CompareOutput"];
                };
            };
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    graphs_list: {
        parameters: {
            query?: {
                /** @description from 1 */
                page?: number;
                /** @description at most 500; default 50 */
                page_size?: number;
                /** @description only graphs whose name, slug or description contains this (any case) */
                search?: string;
                /** @description only this team's */
                team?: number;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["PaginatedGraph"];
                };
            };
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    graphs_create: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["GraphCreateInputRequest"];
                "application/x-www-form-urlencoded": components["schemas"]["GraphCreateInputRequest"];
                "multipart/form-data": components["schemas"]["GraphCreateInputRequest"];
            };
        };
        responses: {
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["GraphDetailOutput"];
                };
            };
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    graphs_retrieve: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                graph_id: number;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["GraphDetailOutput"];
                };
            };
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    graphs_destroy: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                graph_id: number;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description No response body */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    graphs_partial_update: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                graph_id: number;
            };
            cookie?: never;
        };
        requestBody?: {
            content: {
                "application/json": components["schemas"]["PatchedGraphUpdateInputRequest"];
                "application/x-www-form-urlencoded": components["schemas"]["PatchedGraphUpdateInputRequest"];
                "multipart/form-data": components["schemas"]["PatchedGraphUpdateInputRequest"];
            };
        };
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["GraphDetailOutput"];
                };
            };
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    graphs_chats_list: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                graph_id: number;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ChatOutput"][];
                };
            };
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    graphs_chats_create: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                graph_id: number;
            };
            cookie?: never;
        };
        requestBody?: {
            content: {
                "application/json": components["schemas"]["ChatCreateInputRequest"];
                "application/x-www-form-urlencoded": components["schemas"]["ChatCreateInputRequest"];
                "multipart/form-data": components["schemas"]["ChatCreateInputRequest"];
            };
        };
        responses: {
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ChatOutput"];
                };
            };
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    graphs_diff_retrieve: {
        parameters: {
            query: {
                from: number;
                to: number;
            };
            header?: never;
            path: {
                graph_id: number;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["DiffOutput"];
                };
            };
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    graphs_experiments_list: {
        parameters: {
            query?: {
                /** @description only on this dataset */
                dataset?: number;
                /** @description at most this many */
                limit?: number;
            };
            header?: never;
            path: {
                graph_id: number;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ExperimentOutput"][];
                };
            };
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    graphs_experiments_create: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                graph_id: number;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["ExperimentStartInputRequest"];
                "application/x-www-form-urlencoded": components["schemas"]["ExperimentStartInputRequest"];
                "multipart/form-data": components["schemas"]["ExperimentStartInputRequest"];
            };
        };
        responses: {
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ExperimentOutput"];
                };
            };
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    graphs_fork_create: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                graph_id: number;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["GraphForkInputRequest"];
                "application/x-www-form-urlencoded": components["schemas"]["GraphForkInputRequest"];
                "multipart/form-data": components["schemas"]["GraphForkInputRequest"];
            };
        };
        responses: {
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["GraphDetailOutput"];
                };
            };
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    graphs_runs_list: {
        parameters: {
            query?: {
                /** @description from 1 */
                page?: number;
                /** @description at most 500; default 50 */
                page_size?: number;
            };
            header?: never;
            path: {
                graph_id: number;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["PaginatedRun"];
                };
            };
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    graphs_runs_create: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                graph_id: number;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["RunCreateJsonInputRequest"];
                "multipart/form-data": components["schemas"]["RunCreateMultipartInputRequest"];
            };
        };
        responses: {
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["RunDetailOutput"];
                };
            };
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    graphs_share_links_list: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                graph_id: number;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ShareLinkOutput"][];
                };
            };
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    graphs_share_links_create: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                graph_id: number;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["ShareLinkInputRequest"];
                "application/x-www-form-urlencoded": components["schemas"]["ShareLinkInputRequest"];
                "multipart/form-data": components["schemas"]["ShareLinkInputRequest"];
            };
        };
        responses: {
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ShareLinkOutput"];
                };
            };
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    graphs_share_links_destroy: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                graph_id: number;
                link_id: number;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ShareLinkOutput"];
                };
            };
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    graphs_trainings_list: {
        parameters: {
            query?: {
                /** @description at most this many trainings */
                limit?: number;
                /** @description only this router node's trainings */
                router?: string;
            };
            header?: never;
            path: {
                graph_id: number;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["TrainingOutput"][];
                };
            };
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    graphs_trainings_create: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                graph_id: number;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["TrainingStartInputRequest"];
                "application/x-www-form-urlencoded": components["schemas"]["TrainingStartInputRequest"];
                "multipart/form-data": components["schemas"]["TrainingStartInputRequest"];
            };
        };
        responses: {
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["TrainingOutput"];
                };
            };
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    graphs_versions_list: {
        parameters: {
            query?: {
                /** @description from 1 */
                page?: number;
                /** @description at most 500; default 50 */
                page_size?: number;
            };
            header?: never;
            path: {
                graph_id: number;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["PaginatedVersionSummary"];
                };
            };
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    graphs_versions_create: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                graph_id: number;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["VersionSaveInputRequest"];
                "application/x-www-form-urlencoded": components["schemas"]["VersionSaveInputRequest"];
                "multipart/form-data": components["schemas"]["VersionSaveInputRequest"];
            };
        };
        responses: {
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["VersionOutput"];
                };
            };
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description another save got there first; `latest` is the newest version */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["VersionConflict"];
                };
            };
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    graphs_versions_retrieve: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                graph_id: number;
                number: number;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["VersionOutput"];
                };
            };
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    graphs_versions_export_retrieve: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                graph_id: number;
                number: number;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description the spec JSON, as a file */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    graphs_versions_restore_create: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                graph_id: number;
                number: number;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["ExpectedVersionInputRequest"];
                "application/x-www-form-urlencoded": components["schemas"]["ExpectedVersionInputRequest"];
                "multipart/form-data": components["schemas"]["ExpectedVersionInputRequest"];
            };
        };
        responses: {
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["VersionOutput"];
                };
            };
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description another save got there first; `latest` is the newest version */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["VersionConflict"];
                };
            };
        };
    };
    graphs_import_create: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "multipart/form-data": components["schemas"]["GraphImportInputRequest"];
            };
        };
        responses: {
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["GraphDetailOutput"];
                };
            };
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    models_list: {
        parameters: {
            query?: {
                /** @description only this team's */
                team?: number;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ModelOutput"][];
                };
            };
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    models_adapters_list: {
        parameters: {
            query?: {
                /** @description only this team's */
                team?: number;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["RouterAdapterChoice"][];
                };
            };
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    models_endpoints_list: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["EndpointOutput"][];
                };
            };
        };
    };
    models_endpoints_create: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["EndpointCreateInputRequest"];
                "application/x-www-form-urlencoded": components["schemas"]["EndpointCreateInputRequest"];
                "multipart/form-data": components["schemas"]["EndpointCreateInputRequest"];
            };
        };
        responses: {
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["EndpointOutput"];
                };
            };
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    models_endpoints_retrieve: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                endpoint_id: number;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["EndpointOutput"];
                };
            };
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    models_endpoints_destroy: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                endpoint_id: number;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description No response body */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    models_endpoints_partial_update: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                endpoint_id: number;
            };
            cookie?: never;
        };
        requestBody?: {
            content: {
                "application/json": components["schemas"]["PatchedEndpointUpdateInputRequest"];
                "application/x-www-form-urlencoded": components["schemas"]["PatchedEndpointUpdateInputRequest"];
                "multipart/form-data": components["schemas"]["PatchedEndpointUpdateInputRequest"];
            };
        };
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["EndpointOutput"];
                };
            };
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    models_endpoints_test_saved: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                endpoint_id: number;
            };
            cookie?: never;
        };
        requestBody?: {
            content: {
                "application/json": components["schemas"]["EndpointRecheckInputRequest"];
                "application/x-www-form-urlencoded": components["schemas"]["EndpointRecheckInputRequest"];
                "multipart/form-data": components["schemas"]["EndpointRecheckInputRequest"];
            };
        };
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ConnectionReportOutput"];
                };
            };
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    models_endpoints_test_draft: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["EndpointCheckInputRequest"];
                "application/x-www-form-urlencoded": components["schemas"]["EndpointCheckInputRequest"];
                "multipart/form-data": components["schemas"]["EndpointCheckInputRequest"];
            };
        };
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ConnectionReportOutput"];
                };
            };
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    node_kinds_list: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["NodeKindOutput"][];
                };
            };
        };
    };
    runs_retrieve: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                run_id: number;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["RunDetailOutput"];
                };
            };
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    runs_cancel_create: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                run_id: number;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["RunDetailOutput"];
                };
            };
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    runs_events_list: {
        parameters: {
            query?: {
                /** @description only events with a larger seq */
                after?: number;
            };
            header?: never;
            path: {
                run_id: number;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["RunEventOutput"][];
                };
            };
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    runs_images_retrieve: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                number: number;
                run_id: number;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description the image file */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "image/png": string;
                    "image/jpeg": string;
                    "image/webp": string;
                    "image/gif": string;
                };
            };
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    runs_image_limits_retrieve: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ImageLimitsOutput"];
                };
            };
        };
    };
    share_retrieve: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                token: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["SharedVersionOutput"];
                };
            };
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    teams_list: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["TeamOutput"][];
                };
            };
        };
    };
    teams_create: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["TeamInputRequest"];
                "application/x-www-form-urlencoded": components["schemas"]["TeamInputRequest"];
                "multipart/form-data": components["schemas"]["TeamInputRequest"];
            };
        };
        responses: {
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["TeamOutput"];
                };
            };
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    teams_retrieve: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                team_id: number;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["TeamOutput"];
                };
            };
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    teams_destroy: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                team_id: number;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description No response body */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    teams_partial_update: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                team_id: number;
            };
            cookie?: never;
        };
        requestBody?: {
            content: {
                "application/json": components["schemas"]["PatchedTeamInputRequest"];
                "application/x-www-form-urlencoded": components["schemas"]["PatchedTeamInputRequest"];
                "multipart/form-data": components["schemas"]["PatchedTeamInputRequest"];
            };
        };
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["TeamOutput"];
                };
            };
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    teams_members_list: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                team_id: number;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["MembershipOutput"][];
                };
            };
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    teams_members_create: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                team_id: number;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["MemberAddInputRequest"];
                "application/x-www-form-urlencoded": components["schemas"]["MemberAddInputRequest"];
                "multipart/form-data": components["schemas"]["MemberAddInputRequest"];
            };
        };
        responses: {
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["MembershipOutput"];
                };
            };
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    teams_members_destroy: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                team_id: number;
                user_id: number;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description No response body */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    teams_members_partial_update: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                team_id: number;
                user_id: number;
            };
            cookie?: never;
        };
        requestBody?: {
            content: {
                "application/json": components["schemas"]["PatchedRoleInputRequest"];
                "application/x-www-form-urlencoded": components["schemas"]["PatchedRoleInputRequest"];
                "multipart/form-data": components["schemas"]["PatchedRoleInputRequest"];
            };
        };
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["MembershipOutput"];
                };
            };
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    templates_list: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["TemplateOutput"][];
                };
            };
        };
    };
    trainings_retrieve: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                training_id: number;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["TrainingOutput"];
                };
            };
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    trainings_cancel_create: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                training_id: number;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["TrainingOutput"];
                };
            };
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
}
