/** How the API tokens page writes a token's times. */

/** When a token was last used, relative to `now`: "never", "within the last minute" (the server
 *  records use at most once a minute), "5 minutes ago", "3 hours ago", "2 days ago", then the
 *  date. */
export function lastUsedText(lastUsedAt: string | null, now: Date): string {
  if (lastUsedAt === null) return "never";
  const minutes = Math.floor((now.getTime() - new Date(lastUsedAt).getTime()) / 60_000);
  if (minutes < 1) return "within the last minute";
  if (minutes < 60) return plural(minutes, "minute");
  const hours = Math.floor(minutes / 60);
  if (hours < 24) return plural(hours, "hour");
  const days = Math.floor(hours / 24);
  if (days < 30) return plural(days, "day");
  return new Date(lastUsedAt).toLocaleDateString();
}

function plural(count: number, unit: string): string {
  return `${count} ${unit}${count === 1 ? "" : "s"} ago`;
}
