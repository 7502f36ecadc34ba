import { useId, useState } from 'react';

/**
 * Where a file goes: dropped onto the zone (the Globe app's habit) or chosen with the button; both
 * are keyboard reachable through the file input, which stays a real, labelled control.
 */
export function DropZone({ label, hint, accept, disabled, onFile }: { label: string; hint: string; accept: string; disabled?: boolean; onFile: (file: File) => void }) {
  const inputId = useId();
  const [over, setOver] = useState(false);
  const take = (files: FileList | null | undefined) => {
    const file = files?.[0];
    if (file && !disabled) onFile(file);
  };
  return (
    <div
      className={`drop-zone${over ? ' drop-over' : ''}${disabled ? ' drop-disabled' : ''}`}
      data-testid="drop-zone"
      onDragOver={(e) => {
        e.preventDefault();
        setOver(true);
      }}
      onDragLeave={() => setOver(false)}
      onDrop={(e) => {
        e.preventDefault();
        setOver(false);
        take(e.dataTransfer?.files);
      }}
    >
      <p className="drop-title">{label}</p>
      <p className="drop-hint">{hint}</p>
      <label htmlFor={inputId} className="button">
        Choose a file…
      </label>
      <input
        id={inputId}
        className="visually-hidden-input"
        type="file"
        accept={accept}
        disabled={disabled}
        aria-label={label}
        onChange={(e) => {
          take(e.target.files);
          e.target.value = '';
        }}
      />
    </div>
  );
}
