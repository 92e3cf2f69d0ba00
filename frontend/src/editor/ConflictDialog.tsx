import { describeDiff } from "../graph/diff";
import { Dialog } from "../ui/Dialog";
import type { Conflict } from "./useSave";

interface Props {
  conflict: Conflict;
  onReload: () => void;
  onSaveAsCopy: () => void;
  onClose: () => void;
}

/** A 409 on save: someone saved first. Say what they changed and offer both ways out. */
export function ConflictDialog({ conflict, onReload, onSaveAsCopy, onClose }: Props) {
  const { latest, diff } = conflict;
  const lines = diff === null ? [] : describeDiff(diff);
  return (
    <Dialog title="Someone saved first" onClose={onClose}>
      <p>
        <strong>{latest.author ?? "Someone"}</strong> saved version {latest.number}
        {latest.message !== "" && <> (“{latest.message}”)</>} while you were editing. Their changes:
      </p>
      {lines.length > 0 ? (
        <ul className="change-list" aria-label="Their changes">
          {lines.map((line) => (
            <li key={line}>{line}</li>
          ))}
        </ul>
      ) : (
        <p className="muted">{diff === null ? "The changes could not be loaded." : "No changes to the graph itself."}</p>
      )}
      <p className="muted small">
        Reload to continue from their version (your unsaved edits are dropped), or keep your edits as a new graph.
      </p>
      <footer className="dialog-actions">
        <button onClick={onClose}>Cancel</button>
        <button onClick={onSaveAsCopy}>Save as a copy</button>
        <button className="primary" onClick={onReload}>
          Reload version {latest.number}
        </button>
      </footer>
    </Dialog>
  );
}
