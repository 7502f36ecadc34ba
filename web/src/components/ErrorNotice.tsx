import { ApiError } from '../api/client';

/** A failure as the user should read it: the server's message, with its stable code for support. */
export function ErrorNotice({ error, title }: { error: unknown; title?: string }) {
  if (!error) return null;
  const message = error instanceof Error ? error.message : String(error);
  const code = error instanceof ApiError ? error.code : null;
  return (
    <div className="notice notice-error" role="alert">
      {title && <strong>{title}: </strong>}
      {message}
      {code && <code className="error-code">{code}</code>}
    </div>
  );
}
