/** The prompt as sent, for the inspector: each model call of the selected node in the shown run
 *  (live or replayed), its messages collapsible by role, then how its generation ended. */
import type { RequestData } from "./events";
import { formatGeneration } from "./events";
import { useRunStore } from "./store";

export function NodeRequests({ id }: { id: string }) {
  const run = useRunStore((s) => s.view?.nodes[id]);
  if (run === undefined || (run.requests.length === 0 && run.completed === null)) return null;
  return (
    <section className="node-requests" data-testid="node-requests">
      <h4>Sent to the model</h4>
      {run.requests.map((request, index) => (
        <RequestInfo key={index} request={request} />
      ))}
      {run.completed !== null && (
        <p className="small muted" data-testid="node-generation">
          {formatGeneration(run.completed)}
        </p>
      )}
    </section>
  );
}

function RequestInfo({ request }: { request: RequestData }) {
  return (
    <div className="node-request" data-testid="node-request">
      <div className="small">
        {request.call} · {request.model}
        {request.adapter !== null && ` · adapter ${request.adapter}`}
        {request.params !== undefined && ` · temperature ${request.params.temperature}, max ${request.params.max_tokens} tokens`}
        {request.prefix ? ` · prefix ${request.prefix}` : ""}
      </div>
      {request.messages.map((message, index) => (
        <details key={index} className="node-request-message">
          <summary>
            {message.role} <span className="muted">({message.content.length} chars)</span>
          </summary>
          <pre className="small" data-testid="node-request-content">
            {message.content}
          </pre>
        </details>
      ))}
      {request.query !== undefined && <div className="small">query: {request.query}</div>}
    </div>
  );
}
