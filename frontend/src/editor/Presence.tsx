import type { PresentUser } from "./usePresence";

/** Everyone else on the graph, one badge per person (a person may have several tabs open). */
export function Presence({ present, me }: { present: PresentUser[]; me: string }) {
  const others = new Map<string, PresentUser>();
  for (const entry of present) {
    if (entry.user === me) continue;
    const known = others.get(entry.user);
    if (known === undefined || entry.mode === "editing") others.set(entry.user, entry);
  }
  if (others.size === 0) return null;
  return (
    <ul className="presence" aria-label="Also here">
      {[...others.values()].map((entry) => (
        <li
          key={entry.user}
          className={`avatar ${entry.mode}`}
          title={`${entry.user} (${entry.role}) is ${entry.mode}`}
        >
          {entry.user.slice(0, 2).toUpperCase()}
        </li>
      ))}
    </ul>
  );
}
