import { Handle, Position } from "@xyflow/react";
import type { ReactNode } from "react";

import { kindPorts } from "../../graph/nodeKinds";
import { problemText } from "../../graph/problems";
import type { NodeKind } from "../../graph/spec";
import { NodeRunInfo } from "../../runs/overlay";
import { useNodeRunStatus } from "../../runs/routes";
import { useEditor } from "../../store/editor";

interface Props {
  id: string;
  kind: NodeKind;
  label: string | undefined;
  selected: boolean;
  children?: ReactNode;
}

/** What every node looks like: ports by kind, title, problems and diff status from the store,
 *  and the state of the run being shown. */
export function NodeFrame({ id, kind, label, selected, children }: Props) {
  const problems = useEditor((s) => s.problemIndex.nodes.get(id));
  const diff = useEditor((s) => s.compare?.marks.nodes.get(id));
  const runStatus = useNodeRunStatus(id);
  const ports = kindPorts(kind);
  const classes = ["octo-node", `kind-${kind}`];
  if (selected) classes.push("selected");
  if (problems !== undefined) classes.push("has-problems");
  if (diff !== undefined) classes.push(`diff-${diff}`);
  if (runStatus !== undefined) classes.push(`run-${runStatus}`);
  return (
    <div className={classes.join(" ")} data-node-id={id} title={problems?.map(problemText).join("\n")}>
      {ports.takesInput && <Handle type="target" position={Position.Left} />}
      <div className="octo-node-head">
        <span className="kind-badge">{kind}</span>
        {diff !== undefined && <span className={`diff-badge diff-${diff}`}>{diff}</span>}
        {problems !== undefined && (
          <span className="problem-badge" aria-label={`${problems.length} problem(s)`}>
            {problems.length}
          </span>
        )}
      </div>
      <div className="octo-node-title">{label ?? id}</div>
      {children}
      <NodeRunInfo id={id} />
      {ports.givesOutput && <Handle type="source" position={Position.Right} />}
    </div>
  );
}
