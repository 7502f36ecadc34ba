/**
 * The API token this tab uses when the service requires one: kept in sessionStorage (for this
 * tab's session only, never in localStorage), sent as `Authorization: Bearer` on every fetch,
 * upload, download and the progress socket's handshake. A 401 AUTH.UNAUTHENTICATED from any call
 * asks the page to show the token prompt (TokenPrompt).
 */
const TOKEN_KEY = 'globe-vault.token';
const listeners = new Set<() => void>();

export function currentToken(): string | null {
  return sessionStorage.getItem(TOKEN_KEY);
}

export function setToken(token: string): void {
  sessionStorage.setItem(TOKEN_KEY, token.trim());
}

export const authorizationHeader = (token = currentToken()): Record<string, string> => (token ? { Authorization: `Bearer ${token}` } : {});

/** Called when the server refused this tab's token, or wanted one it did not have. */
export function tokenNeeded(): void {
  listeners.forEach((listener) => listener());
}

export function onTokenNeeded(listener: () => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}
