// Talks to the service. Writes carry the write token (server.api_token) kept in sessionStorage;
// on a 401 the UI asks for it (see TokenPrompt) and the request is sent once more.
import type { FieldProblem } from "./types";

const TOKEN_KEY = "mc.writeToken";

export function getToken(): string {
  return sessionStorage.getItem(TOKEN_KEY) ?? "";
}
export function setToken(token: string) {
  if (token) sessionStorage.setItem(TOKEN_KEY, token);
  else sessionStorage.removeItem(TOKEN_KEY);
}

/** A failed request: the server's message and its per-field problems. */
export class ApiError extends Error {
  constructor(
    public status: number,
    message: string,
    public problems: FieldProblem[] = [],
    public details: string[] = [],
  ) {
    super(message);
  }
}

/** A failure as one line: the server's message and its details. */
export function describe(e: unknown): string {
  return e instanceof ApiError ? [e.message, ...e.details].join(" — ") : e instanceof Error ? e.message : String(e);
}

type TokenAsker = (wrong: boolean) => Promise<string | null>;
let askToken: TokenAsker = async () => null;
/** The UI registers how to ask the user for the write token. */
export function onTokenNeeded(asker: TokenAsker) {
  askToken = asker;
}

async function failure(res: Response): Promise<ApiError> {
  let body: { error?: string; problems?: FieldProblem[]; details?: string[] } = {};
  try {
    body = await res.json();
  } catch {
    /* not JSON: keep the status text */
  }
  return new ApiError(res.status, body.error ?? `HTTP ${res.status} ${res.statusText}`,
    body.problems ?? [], body.details ?? []);
}

export async function get<T>(path: string): Promise<T> {
  const res = await fetch(path, { headers: { Accept: "application/json" } });
  if (!res.ok) throw await failure(res);
  return res.json() as Promise<T>;
}

export async function write<T>(method: "POST" | "PUT" | "DELETE", path: string, body?: unknown): Promise<T> {
  for (let attempt = 0; ; ++attempt) {
    const headers: Record<string, string> = { "Content-Type": "application/json", Accept: "application/json" };
    const token = getToken();
    if (token) headers.Authorization = `Bearer ${token}`;
    const res = await fetch(path, { method, headers, body: JSON.stringify(body ?? {}) });
    if (res.status === 401 && attempt < 3) {
      const entered = await askToken(token !== "");
      if (entered === null) throw new ApiError(401, "a write token is needed for changes");
      setToken(entered);
      continue;
    }
    if (!res.ok) throw await failure(res);
    return res.json() as Promise<T>;
  }
}
