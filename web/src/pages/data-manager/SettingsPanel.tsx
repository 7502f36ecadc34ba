import { useEffect, useState } from 'react';
import type { Settings } from '../../api/types';
import { ErrorNotice } from '../../components/ErrorNotice';
import { useSettings } from '../../hooks/useSettings';
import { SettingsFields } from './SettingsFields';

/** The keys whose value differs between the saved document and the form. */
function changedKeys(saved: Settings, draft: Settings): Partial<Settings> {
  const patch: Record<string, unknown> = {};
  for (const key of Object.keys(draft) as (keyof Settings)[]) if (JSON.stringify(draft[key]) !== JSON.stringify(saved[key])) patch[key] = draft[key];
  return patch as Partial<Settings>;
}

/** The settings form: saves only what changed (one audited event naming those keys). */
export function SettingsPanel() {
  const settings = useSettings();
  const [draft, setDraft] = useState<Settings | null>(null);
  const [status, setStatus] = useState<'idle' | 'saving' | 'saved'>('idle');
  const [error, setError] = useState<unknown>(null);
  useEffect(() => {
    if (settings.data) setDraft(settings.data);
  }, [settings.data]);
  if (!draft || !settings.data) return <ErrorNotice error={settings.error} />;
  const patch = changedKeys(settings.data, draft);
  const dirty = Object.keys(patch).length > 0;

  const save = async (e: React.FormEvent) => {
    e.preventDefault();
    setStatus('saving');
    setError(null);
    try {
      await settings.save(patch);
      setStatus('saved');
    } catch (err) {
      setError(err);
      setStatus('idle');
    }
  };
  return (
    <form className="stack settings-form" onSubmit={save} aria-label="Settings">
      <SettingsFields
        value={draft}
        onChange={(next) => {
          setDraft(next);
          setStatus('idle');
        }}
      />
      <ErrorNotice error={error} title="Not saved" />
      <div className="form-actions">
        <button type="submit" className="button button-primary" disabled={!dirty || status === 'saving'}>
          Save settings
        </button>
        <button type="button" className="button" disabled={!dirty} onClick={() => setDraft(settings.data!)}>
          Discard changes
        </button>
        <span role="status" className="muted">
          {status === 'saved' && !dirty ? 'Settings saved.' : dirty ? `${Object.keys(patch).length} unsaved change(s)` : ''}
        </span>
      </div>
    </form>
  );
}
