import type { ClipboardEvent, DragEvent, KeyboardEvent } from "react";
import { useState } from "react";

import { ImageAttachments } from "./ImageAttachments";
import { useImageAttachments } from "./useImageAttachments";

interface Props {
  running: boolean;
  onRun: (input: string, images: File[]) => void;
  onCancel: () => void;
}

const hasFiles = (event: DragEvent) => event.dataTransfer.types.includes("Files");

/** The query box: Run (or Ctrl/⌘+Enter) while idle, Cancel while a run is going. Images go
 *  with the query: picked, pasted into the box or dropped on it. */
export function RunComposer({ running, onRun, onCancel }: Props) {
  const [input, setInput] = useState("");
  const [dropping, setDropping] = useState(false);
  const { attachments, problems, add, remove } = useImageAttachments();
  const submit = () => {
    if (input.trim() !== "" && !running) onRun(input, attachments.map((attachment) => attachment.file));
  };
  const onKeyDown = (event: KeyboardEvent) => {
    if (event.key === "Enter" && (event.ctrlKey || event.metaKey)) {
      event.preventDefault();
      submit();
    }
  };
  const onPaste = (event: ClipboardEvent) => {
    const files = Array.from(event.clipboardData.files);
    if (files.length === 0) return; // text pastes as usual
    event.preventDefault();
    void add(files);
  };
  const onDragOver = (event: DragEvent) => {
    if (!hasFiles(event)) return;
    event.preventDefault();
    setDropping(true);
  };
  const onDrop = (event: DragEvent) => {
    setDropping(false);
    if (!hasFiles(event)) return;
    event.preventDefault();
    void add(Array.from(event.dataTransfer.files));
  };
  return (
    <div
      className={dropping ? "run-composer dropping" : "run-composer"}
      onDragOver={onDragOver}
      onDragLeave={() => setDropping(false)}
      onDrop={onDrop}
    >
      <div className="run-composer-query">
        <textarea
          aria-label="Query"
          placeholder="Ask the graph… (Ctrl+Enter runs; paste or drop images)"
          value={input}
          rows={2}
          onChange={(event) => setInput(event.target.value)}
          onKeyDown={onKeyDown}
          onPaste={onPaste}
        />
        <ImageAttachments
          attachments={attachments}
          problems={problems}
          disabled={running}
          onAdd={(files) => void add(files)}
          onRemove={remove}
        />
      </div>
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
