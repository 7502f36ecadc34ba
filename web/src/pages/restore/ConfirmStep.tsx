import { useId, useState } from 'react';
import type { RestorePreview } from '../../api/types';
import { ErrorNotice } from '../../components/ErrorNotice';
import { countSentences } from '../../components/restoreCounts';

/** The word a user types to confirm: a deliberate act that no stray click or Enter can perform. */
const CONFIRM_WORD = 'RESTORE';

/** Step 5: rollback protection. The restore starts only once the user has typed the word and pressed the button. */
export function ConfirmStep({ preview, label, busy, error, onBack, onConfirm }: { preview: RestorePreview; label: string; busy: boolean; error: unknown; onBack: () => void; onConfirm: () => void }) {
  const [typed, setTyped] = useState('');
  const id = useId();
  const ready = typed.trim() === CONFIRM_WORD && !busy;
  const changes = countSentences(preview.counts);
  return (
    <form
      className="stack"
      onSubmit={(e) => {
        e.preventDefault();
        if (ready) onConfirm();
      }}
    >
      <div className="notice notice-warning">
        <p>
          You are about to restore to <strong>{label}</strong>: {changes.length ? changes.join(', ') : 'nothing would change'}.
        </p>
        <p>Nothing is deleted for good: a restore point is recorded first, the restore is written to the audit trail, and you can undo it at the end.</p>
      </div>
      <label htmlFor={id}>
        <span>
          Type <strong>{CONFIRM_WORD}</strong> to confirm
        </span>
      </label>
      <input id={id} value={typed} onChange={(e) => setTyped(e.target.value)} autoComplete="off" spellCheck={false} aria-describedby={`${id}-hint`} />
      <span id={`${id}-hint`} className="visually-hidden">
        The restore button is enabled once the word is typed
      </span>
      <ErrorNotice error={error} title="The restore did not start" />
      <div className="form-actions">
        <button type="button" className="button" onClick={onBack}>
          Back
        </button>
        <button type="submit" className="button button-danger" disabled={!ready}>
          Restore now
        </button>
      </div>
    </form>
  );
}
