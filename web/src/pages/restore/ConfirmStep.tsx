import { useId, useState } from 'react';
import type { RestorePreview } from '../../api/types';
import { ErrorNotice } from '../../components/ErrorNotice';
import { countSentences } from '../../components/restoreCounts';
import { type Resolution, chosenOutcome, itemTitle } from './resolution';

/** The word a user types to confirm: a deliberate act that no stray click or Enter can perform. */
const CONFIRM_WORD = 'RESTORE';

/** Step 5: rollback protection. The restore starts only once the user has typed the word and pressed the button. */
export function ConfirmStep({ preview, label, resolution, busy, error, onBack, onConfirm }: { preview: RestorePreview; label: string; resolution: Resolution; busy: boolean; error: unknown; onBack: () => void; onConfirm: () => void }) {
  const [typed, setTyped] = useState('');
  const id = useId();
  const ready = typed.trim() === CONFIRM_WORD && !busy;
  const outcome = chosenOutcome(preview, resolution);
  const changes = countSentences(outcome.counts);
  const kept = outcome.kept.map(itemTitle);
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
        {kept.length > 0 && (
          <p data-testid="confirm-kept">
            As you chose, these stay as they are now: {kept.slice(0, 5).join(', ')}
            {kept.length > 5 ? ` and ${kept.length - 5} more` : ''}.
          </p>
        )}
        {outcome.undecided > 0 && <p>{outcome.undecided.toLocaleString()} more conflicts go to whichever version was changed last.</p>}
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
