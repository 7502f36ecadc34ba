import { useId, useState } from 'react';
import { currentActor, setActor } from '../api/client';

/** Who the audit trail records for this browser's changes (sent as X-Actor until sign-in exists). */
export function ActorField() {
  const [name, setName] = useState(currentActor);
  const hint = useId();
  return (
    <label className="actor-field">
      <span>Your name</span>
      <input value={name} maxLength={200} onChange={(e) => setName(e.target.value)} onBlur={() => setActor(name)} aria-describedby={hint} />
      <span id={hint} className="visually-hidden">
        Recorded in the audit trail with every change you make
      </span>
    </label>
  );
}
