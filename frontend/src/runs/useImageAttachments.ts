import { useEffect, useState } from "react";

import { api } from "../api/endpoints";
import type { ImageLimits } from "./runImages";
import { DEFAULT_IMAGE_LIMITS, SNIFF_BYTES, imageProblem, tooManyImages } from "./runImages";

/** An image attached to the next run; `preview` is a data URL of the file. */
export interface Attachment {
  id: number;
  file: File;
  preview: string;
}

let nextId = 1;

function readDataUrl(file: File): Promise<string> {
  return new Promise((resolve, reject) => {
    const reader = new FileReader();
    reader.onload = () => resolve(String(reader.result));
    reader.onerror = () => reject(reader.error ?? new Error(`could not read ${file.name}`));
    reader.readAsDataURL(file);
  });
}

/**
 * The images attached to the next run, checked as they come (picker, paste or drop) against the
 * server's limits: files that pass are attached, each one that does not is named in `problems`
 * (the server's words), and the list never exceeds the number a run takes.
 */
export function useImageAttachments() {
  const [limits, setLimits] = useState<ImageLimits>(DEFAULT_IMAGE_LIMITS);
  const [attachments, setAttachments] = useState<Attachment[]>([]);
  const [problems, setProblems] = useState<string[]>([]);

  useEffect(() => {
    void api.imageLimits().then((result) => {
      if (result.ok) setLimits(result.value);
    });
  }, []);

  const add = async (files: readonly File[]) => {
    if (files.length === 0) return;
    const tooMany = tooManyImages(attachments.length + files.length, limits);
    if (tooMany !== null) {
      setProblems([tooMany]);
      return;
    }
    const checked = await Promise.all(
      files.map(async (file, index) => {
        const head = new Uint8Array(await file.slice(0, SNIFF_BYTES).arrayBuffer());
        const problem = imageProblem(file, head, attachments.length + index + 1, limits);
        return problem === null ? { file, preview: await readDataUrl(file) } : problem;
      }),
    );
    const added = checked.filter((item) => typeof item !== "string").map((item) => ({ id: nextId++, ...item }));
    setAttachments((current) => [...current, ...added].slice(0, limits.max_images));
    setProblems(checked.filter((item) => typeof item === "string"));
  };

  const remove = (id: number) => {
    setAttachments((current) => current.filter((attachment) => attachment.id !== id));
    setProblems([]);
  };

  return { attachments, problems, add, remove };
}
