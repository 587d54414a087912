// Calls to Collab's REST API with the session cookie and the CSRF token. Errors come back in
// the API's shape ({"detail", "code", "fields"}) and are thrown as ApiError with the message a
// person should read (the first field error if there is one, else the detail).

export class ApiError extends Error {
  constructor(
    message: string,
    readonly status: number,
    readonly code: string | null,
    readonly field: string | null = null,
  ) {
    super(message);
  }
}

type Method = "GET" | "POST" | "PATCH" | "DELETE";

interface ErrorBody {
  detail?: string;
  code?: string;
  fields?: Record<string, { message: string }[] | string[]>;
}

function firstFieldError(fields: ErrorBody["fields"]): { field: string; message: string } | null {
  for (const [field, errors] of Object.entries(fields ?? {})) {
    const first = errors?.[0];
    const message = typeof first === "string" ? first : first?.message;
    if (message) return { field, message };
  }
  return null;
}

export async function apiRequest<T>(method: Method, url: string, csrfToken: string, body?: unknown): Promise<T> {
  let response: Response;
  try {
    response = await fetch(url, {
      method,
      credentials: "same-origin",
      headers: {
        Accept: "application/json",
        ...(body === undefined ? {} : { "Content-Type": "application/json" }),
        ...(method === "GET" ? {} : { "X-CSRFToken": csrfToken }),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  } catch {
    throw new ApiError("The server cannot be reached. Check your connection.", 0, null);
  }
  if (response.status === 204) return undefined as T;
  if (!response.ok) throw await apiFailure(response);
  return (await response.json().catch(() => null)) as T;
}

/** The ApiError a failed response's body (in the API's error shape) describes. */
export async function apiFailure(response: Response): Promise<ApiError> {
  const error = ((await response.json().catch(() => null)) ?? {}) as ErrorBody;
  const field = firstFieldError(error.fields);
  return new ApiError(
    field?.message ?? error.detail ?? `The server answered ${response.status}.`,
    response.status,
    error.code ?? null,
    field?.field ?? null,
  );
}

export function apiGet<T>(url: string): Promise<T> {
  return apiRequest<T>("GET", url, "");
}

export function apiPost<T>(url: string, body: unknown, csrfToken: string): Promise<T> {
  return apiRequest<T>("POST", url, csrfToken, body);
}

/** The message to show for a failed call, whatever was thrown. */
export function errorMessage(reason: unknown, fallback = "That did not work. Try again."): string {
  return reason instanceof ApiError ? reason.message : fallback;
}

/** One page of a list, as every list of the API answers (cursor pagination). */
export interface Page<T> {
  results: T[];
  next: string | null;
  previous: string | null;
}

/** The path and query of a page link: the server writes it absolute, with the scheme and host
 * it saw, which behind a proxy may not be the page's own. */
export function sameOriginLink(link: string): string {
  const url = new URL(link);
  return `${url.pathname}${url.search}`;
}

/** Every item of a paginated list, following `next` page after page (for views that show the
 * whole list: members, documents, rooms). */
export async function apiGetAll<T>(url: string, get: (url: string) => Promise<Page<T>> = apiGet): Promise<T[]> {
  const items: T[] = [];
  let next: string | null = url;
  while (next !== null) {
    const page: Page<T> = await get(next);
    items.push(...page.results);
    next = page.next === null ? null : sameOriginLink(page.next);
  }
  return items;
}
