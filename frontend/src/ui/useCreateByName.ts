import type { FormEvent } from "react";
import { useState } from "react";

import { errorText } from "../api/client";
import type { Result } from "../api/client";

/** A form that creates something from the name typed in it: the name, whether the request is
 *  under way, the server's refusal, and `submit`, which sends the trimmed name and, once it is
 *  created, clears the form and calls `onCreated`. */
export function useCreateByName<T>(
  create: (name: string) => Promise<Result<T>>,
  onCreated: (created: T) => void | Promise<void>,
) {
  const [name, setName] = useState("");
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    const result = await create(name.trim());
    setBusy(false);
    if (!result.ok) {
      setError(errorText(result.error));
      return;
    }
    setName("");
    setError(null);
    await onCreated(result.value);
  };

  return { name, setName, busy, error, submit };
}
