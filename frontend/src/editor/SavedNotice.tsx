import type { SavedNotice as Notice } from "./usePresence";

interface Props {
  notice: Notice;
  onReload: () => void;
  onDismiss: () => void;
}

/** Someone saved a newer version while this editor is open: say so before a save conflicts. */
export function SavedNotice({ notice, onReload, onDismiss }: Props) {
  return (
    <div className="saved-notice" role="status">
      {notice.author ?? "Someone"} saved version {notice.version}
      {notice.message !== "" && <> (“{notice.message}”)</>}.
      <button onClick={onReload}>Load version {notice.version}</button>
      <button className="link" onClick={onDismiss}>
        Keep editing
      </button>
    </div>
  );
}
