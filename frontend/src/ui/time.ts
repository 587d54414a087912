// Times as people say them ("3 minutes ago", "yesterday at 14:05"), with the exact time for a
// tooltip or a <time datetime>.

const relative = new Intl.RelativeTimeFormat(undefined, { numeric: "auto" });
const clock = new Intl.DateTimeFormat(undefined, { hour: "2-digit", minute: "2-digit" });
const day = new Intl.DateTimeFormat(undefined, { day: "numeric", month: "short", year: "numeric" });
const full = new Intl.DateTimeFormat(undefined, { dateStyle: "medium", timeStyle: "short" });

export function whenLabel(iso: string, now = Date.now()): string {
  const at = new Date(iso);
  const seconds = Math.round((at.getTime() - now) / 1000);
  if (Math.abs(seconds) < 45) return "just now";
  if (Math.abs(seconds) < 3600) return relative.format(Math.round(seconds / 60), "minute");
  if (Math.abs(seconds) < 6 * 3600) return relative.format(Math.round(seconds / 3600), "hour");
  const today = new Date(now);
  const yesterday = new Date(now - 86_400_000);
  if (at.toDateString() === today.toDateString()) return `today at ${clock.format(at)}`;
  if (at.toDateString() === yesterday.toDateString()) return `yesterday at ${clock.format(at)}`;
  return day.format(at);
}

export function timeElement(iso: string): HTMLTimeElement {
  const element = document.createElement("time");
  element.dateTime = iso;
  element.textContent = whenLabel(iso);
  element.title = full.format(new Date(iso));
  return element;
}
