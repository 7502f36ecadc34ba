import type { ConflictStrategy, RestorePreview } from '../../api/types';
import { ArchiveReads } from './ArchiveReads';
import { ConflictChoices, type Overrides } from './ConflictChoices';
import { PreviewCounts } from './PreviewCounts';

/** Step 3: what would be added, changed and removed, and how conflicts are settled. */
export function PreviewStep(props: {
  preview: RestorePreview;
  label: string;
  strategy: ConflictStrategy;
  overrides: Overrides;
  onStrategy: (s: ConflictStrategy) => void;
  onOverrides: (o: Overrides) => void;
  onBack: () => void;
  onNext: () => void;
}) {
  const { preview } = props;
  return (
    <div className="stack">
      <p>
        Restoring to <strong>{props.label}</strong> would change this:
      </p>
      <details>
        <summary className="muted">Details</summary>
        <span className="muted">
          Target {JSON.stringify(preview.target)}, log position {preview.position}; the live data stands at position {preview.basePosition}.
        </span>
      </details>
      {preview.archive && <ArchiveReads archive={preview.archive} />}
      <PreviewCounts preview={preview} />
      <ConflictChoices preview={preview} strategy={props.strategy} overrides={props.overrides} onStrategy={props.onStrategy} onOverrides={props.onOverrides} />
      <div className="form-actions">
        <button type="button" className="button" onClick={props.onBack}>
          Back
        </button>
        <button type="button" className="button button-primary" onClick={props.onNext}>
          Next: see the globe
        </button>
      </div>
    </div>
  );
}
