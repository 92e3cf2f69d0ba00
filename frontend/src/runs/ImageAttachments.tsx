import type { ChangeEvent } from "react";

import { ACCEPTED_TYPES } from "./runImages";
import type { Attachment } from "./useImageAttachments";

interface Props {
  attachments: readonly Attachment[];
  problems: readonly string[];
  disabled: boolean;
  onAdd: (files: File[]) => void;
  onRemove: (id: number) => void;
}

/** The images attached to the next run: previews with remove buttons, a file picker, and why
 *  the files that were refused could not be attached. */
export function ImageAttachments({ attachments, problems, disabled, onAdd, onRemove }: Props) {
  const pick = (event: ChangeEvent<HTMLInputElement>) => {
    onAdd(Array.from(event.target.files ?? []));
    event.target.value = ""; // picking the same file again still counts as a change
  };
  return (
    <div className="attachments">
      {attachments.map((attachment, index) => (
        <figure key={attachment.id} className="attachment" title={attachment.file.name}>
          <img src={attachment.preview} alt={`image ${index + 1} (${attachment.file.name})`} />
          <button
            className="icon remove"
            aria-label={`Remove image ${index + 1} (${attachment.file.name})`}
            onClick={() => onRemove(attachment.id)}
            disabled={disabled}
          >
            ×
          </button>
        </figure>
      ))}
      <label className={disabled ? "attach disabled" : "attach"}>
        Attach image
        <input
          type="file"
          aria-label="Attach images"
          accept={ACCEPTED_TYPES}
          multiple
          hidden
          disabled={disabled}
          onChange={pick}
        />
      </label>
      {problems.map((problem) => (
        <span key={problem} className="small error" role="alert">
          {problem}
        </span>
      ))}
    </div>
  );
}
