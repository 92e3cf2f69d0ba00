import type { KeyboardEvent } from "react";
import { useState } from "react";

interface Props {
  running: boolean;
  onRun: (input: string) => void;
  onCancel: () => void;
}

/** The query box: Run (or Ctrl/⌘+Enter) while idle, Cancel while a run is going. */
export function RunComposer({ running, onRun, onCancel }: Props) {
  const [input, setInput] = useState("");
  const submit = () => {
    if (input.trim() !== "" && !running) onRun(input);
  };
  const onKeyDown = (event: KeyboardEvent) => {
    if (event.key === "Enter" && (event.ctrlKey || event.metaKey)) {
      event.preventDefault();
      submit();
    }
  };
  return (
    <div className="run-composer">
      <textarea
        aria-label="Query"
        placeholder="Ask the graph… (Ctrl+Enter runs)"
        value={input}
        rows={2}
        onChange={(event) => setInput(event.target.value)}
        onKeyDown={onKeyDown}
      />
      {running ? (
        <button onClick={onCancel}>Cancel</button>
      ) : (
        <button className="primary" onClick={submit} disabled={input.trim() === ""}>
          Run
        </button>
      )}
    </div>
  );
}
