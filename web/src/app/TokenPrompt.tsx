import { useEffect, useId, useRef, useState } from 'react';
import { authorizationHeader, currentToken, onTokenNeeded, setToken } from '../api/accessToken';

/**
 * Asks for an API token when the service requires one (any call answered 401
 * AUTH.UNAUTHENTICATED). The token is tried before it is kept; once accepted, it is stored for this
 * tab's session and the page reloads, so every view and the progress socket start again with it.
 */
export function TokenPrompt() {
  const [open, setOpen] = useState(false);
  useEffect(() => onTokenNeeded(() => setOpen(true)), []);
  return open ? <TokenDialog hadToken={currentToken() !== null} /> : null;
}

function TokenDialog({ hadToken }: { hadToken: boolean }) {
  const ref = useRef<HTMLDialogElement>(null);
  const hint = useId();
  const [token, setValue] = useState('');
  const [state, setState] = useState<'idle' | 'checking' | 'refused' | 'unreachable'>(hadToken ? 'refused' : 'idle');
  useEffect(() => {
    const dialog = ref.current;
    if (dialog && !dialog.open) dialog.showModal();
    return () => dialog?.close();
  }, []);

  async function submit(event: React.FormEvent) {
    event.preventDefault();
    setState('checking');
    try {
      const res = await fetch('/api/datasets?limit=1', { headers: { 'X-Source': 'ui', Accept: 'application/json', ...authorizationHeader(token.trim()) } });
      if (res.status === 401) return setState('refused');
      setToken(token);
      location.reload();
    } catch {
      setState('unreachable');
    }
  }

  return (
    <dialog ref={ref} className="dialog" aria-labelledby="token-title" onCancel={(e) => e.preventDefault()}>
      <form onSubmit={submit}>
        <h2 id="token-title">Sign in with an API token</h2>
        <div className="dialog-body">
          <p id={hint}>This Globe Vault requires an API token. Ask its administrator for one; it is kept for this browser tab only.</p>
          <label className="stack-tight">
            <span>API token</span>
            <input type="password" autoComplete="off" required value={token} onChange={(e) => setValue(e.target.value)} aria-describedby={hint} autoFocus />
          </label>
          {state === 'refused' && (
            <div role="alert" className="notice notice-error">
              That token was refused: it is unknown, revoked or expired.
            </div>
          )}
          {state === 'unreachable' && (
            <div role="alert" className="notice notice-error">
              Globe Vault did not answer; check that the server is running.
            </div>
          )}
        </div>
        <div className="dialog-actions">
          <button type="submit" className="button button-primary" disabled={state === 'checking' || token.trim() === ''}>
            Use this token
          </button>
        </div>
      </form>
    </dialog>
  );
}
