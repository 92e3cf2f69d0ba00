import { lazy, Suspense, useCallback, useEffect, useState } from "react";

import { api } from "./api/endpoints";
import type { Me } from "./api/types";
import { LoginPage } from "./auth/LoginPage";
import { SignupPage } from "./auth/SignupPage";
import { TokensPage } from "./account/TokensPage";
import { EditorPage } from "./editor/EditorPage";
import { GraphListPage } from "./list/GraphListPage";
import { ModelsPage } from "./models/ModelsPage";
import { navigate, useLocation } from "./router";
import { replayOrigin } from "./runs/replayLink";
import { SharedPage } from "./shared/SharedPage";

// Its own chunk, with the charting library: the editor and the list never load it.
const EvaluatePage = lazy(() => import("./evaluation/EvaluatePage"));

type Session = { state: "loading" } | { state: "anonymous" } | { state: "user"; me: Me };

export function App() {
  const { path, query } = useLocation();
  const [session, setSession] = useState<Session>({ state: "loading" });

  const refresh = useCallback(
    () =>
      api.me().then((result) => {
        setSession(result.ok ? { state: "user", me: result.value } : { state: "anonymous" });
      }),
    [],
  );

  useEffect(() => {
    // Runs once: whether the browser already has a session decides which screen opens.
    void refresh();
  }, [refresh]);

  // Public links need no account, so they open before the session is even known.
  const shareMatch = /^\/share\/([\w-]+)\/?$/.exec(path);
  if (shareMatch?.[1] !== undefined) return <SharedPage token={shareMatch[1]} />;
  if (session.state === "loading") return <div className="splash">Loading…</div>;

  if (path === "/signup") return <SignupPage onSignedIn={refresh} />;
  if (session.state === "anonymous" || path === "/login") {
    const next = path === "/login" ? (query.get("next") ?? "/") : path + window.location.search;
    return (
      <LoginPage
        onSignedIn={async () => {
          await refresh();
          navigate(next, { replace: true });
        }}
      />
    );
  }

  const logout = async () => {
    await api.logout();
    setSession({ state: "anonymous" });
    navigate("/login", { replace: true });
  };
  const evaluateMatch = /^\/graphs\/(\d+)\/evaluate\/?$/.exec(path);
  if (evaluateMatch?.[1] !== undefined) {
    return (
      <Suspense fallback={<div className="splash">Loading…</div>}>
        <EvaluatePage key={evaluateMatch[1]} graphId={Number(evaluateMatch[1])} />
      </Suspense>
    );
  }
  const graphMatch = /^\/graphs\/(\d+)\/?$/.exec(path);
  if (graphMatch?.[1] !== undefined) {
    const run = Number(query.get("run") ?? "");
    return (
      <EditorPage
        key={graphMatch[1]}
        graphId={Number(graphMatch[1])}
        me={session.me}
        replayRun={Number.isInteger(run) && run > 0 ? run : null}
        replayOrigin={replayOrigin(query)}
      />
    );
  }
  if (/^\/tokens\/?$/.test(path)) return <TokensPage me={session.me} onLogout={logout} />;
  if (/^\/models\/?$/.test(path)) return <ModelsPage me={session.me} onLogout={logout} />;
  return <GraphListPage me={session.me} onLogout={logout} onTeamsChanged={refresh} />;
}
