import { useEffect } from "react";

import { useEditor } from "../store/editor";

function typingIn(target: EventTarget | null): boolean {
  return (
    target instanceof HTMLElement &&
    (target.isContentEditable || ["INPUT", "TEXTAREA", "SELECT"].includes(target.tagName))
  );
}

/** Editor keys. Inside form fields only Ctrl+S applies: the others belong to the text. */
export function useShortcuts({ save, readOnly }: { save: () => void; readOnly: boolean }) {
  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      const mod = event.ctrlKey || event.metaKey;
      const key = event.key.toLowerCase();
      if (mod && key === "s") {
        event.preventDefault();
        if (!readOnly) save();
        return;
      }
      if (readOnly || typingIn(event.target)) return;
      const editor = useEditor.getState();
      if (mod && key === "z") editor[event.shiftKey ? "redo" : "undo"]();
      else if (mod && key === "y") editor.redo();
      else if (mod && key === "c") editor.copy();
      else if (mod && key === "v") editor.paste();
      else if (key === "delete" || key === "backspace") editor.deleteSelection();
      else return;
      event.preventDefault();
    };
    window.addEventListener("keydown", onKey);
    return () => window.removeEventListener("keydown", onKey);
  }, [save, readOnly]);
}
