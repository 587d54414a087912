// What the share page (/s/<secret>) is given, and its rules about comments: a comment or edit
// link shows the document's comments; only a signed-in holder writes them (rooms/pages/
// share_links.py and rooms/comments/services/access.py hold the same rules on the server).

export interface ShareContext {
  document: { id: string; title: string; kind: string };
  role: "viewer" | "commenter" | "editor";
  canWrite: boolean;
  link: string;
  docsSocket: string;
  commentsSocket: string;
  user: { id: number | null; name: string; color: string };
  signedIn: boolean;
  csrfToken: string;
  signInUrl: string;
}

export function commentsAllowed(context: Pick<ShareContext, "role" | "signedIn">): { read: boolean; write: boolean } {
  const read = context.role === "commenter" || context.role === "editor";
  return { read, write: read && context.signedIn };
}

const FIRST_RETRY_MS = 1000;
const LONGEST_RETRY_MS = 10_000;

/** How long to wait before reconnecting the comment socket after ``attempts`` failed tries. */
export function reconnectDelay(attempts: number): number {
  return Math.min(LONGEST_RETRY_MS, FIRST_RETRY_MS * 2 ** Math.max(0, attempts));
}
