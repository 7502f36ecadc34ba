import { useMemo, useState } from 'react';
import { ApiError } from '../../api/client';
import { previewRestore, startRestore } from '../../api/recovery';
import type { ConflictStrategy, RestorePreview } from '../../api/types';
import { ErrorNotice } from '../../components/ErrorNotice';
import { type Overrides, resolutionOf } from './resolution';
import { ConfirmStep } from './ConfirmStep';
import { GlobePreviewStep } from './GlobePreviewStep';
import { PreviewStep } from './PreviewStep';
import { ProgressStep } from './ProgressStep';
import { RestoreHistory } from './RestoreHistory';
import { ScopeStep } from './ScopeStep';
import { SourceStep } from './SourceStep';
import { WizardSteps } from './WizardSteps';
import { type ChosenSource, type ScopeChoice, type StepKey, WHOLE_SCOPE, toScope } from './wizardTypes';

/** The data moved since the preview: the server refuses the restore rather than apply a stale plan. */
const isStale = (error: unknown) => error instanceof ApiError && error.code === 'RESTORE.PREVIEW_STALE';

/**
 * The Restore Wizard: source → scope → preview → globe preview → confirm → progress and undo. Each
 * step can go back; nothing is written before "Restore now". `?backupId=` or `?position=` preset
 * the source (from the Backup Browser or the Audit Timeline), `?datasetId=` the scope (the Backup
 * Browser's "Restore this dataset").
 */
export function RestoreWizardPage({ query }: { query: URLSearchParams }) {
  const initial = { backupId: query.get('backupId') ?? undefined, position: query.has('position') ? Number(query.get('position')) : undefined };
  const [step, setStep] = useState<StepKey>('source');
  const [source, setSource] = useState<ChosenSource | null>(null);
  const presetDataset = query.get('datasetId');
  const [choice, setChoice] = useState<ScopeChoice>(presetDataset ? { ...WHOLE_SCOPE, everything: false, datasets: [presetDataset] } : WHOLE_SCOPE);
  const [preview, setPreview] = useState<RestorePreview | null>(null);
  const [strategy, setStrategy] = useState<ConflictStrategy>('target-wins');
  const [overrides, setOverrides] = useState<Overrides>({});
  const [run, setRun] = useState<{ jobId: string; restoreId: string } | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const resolution = useMemo(() => preview && resolutionOf(preview, strategy, overrides), [preview, strategy, overrides]);

  const computePreview = async (src: ChosenSource, scope: ScopeChoice) => {
    setBusy(true);
    setError(null);
    try {
      setPreview(await previewRestore(src.target, toScope(scope)));
      setOverrides({});
      setStep('preview');
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };
  const confirm = async () => {
    if (!preview) return;
    setBusy(true);
    setError(null);
    try {
      const passphrase = source && 'backupId' in source.target ? source.target.passphrase : undefined;
      setRun(await startRestore(preview.previewToken, strategy, overrides, passphrase));
      setStep('progress');
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };
  const restart = () => {
    setRun(null);
    setPreview(null);
    setSource(null);
    setChoice(WHOLE_SCOPE);
    setStep('source');
  };

  return (
    <div className="page">
      <header className="page-header">
        <h1>Restore Wizard</h1>
        <p className="lead">Bring back data as it was: step by step, with a preview before anything changes and an undo at the end.</p>
      </header>
      <WizardSteps current={step} />
      <section className="card" aria-live="polite">
        {step === 'source' && (
          <SourceStep
            initial={initial}
            onNext={(s) => {
              setSource(s);
              setStep('scope');
            }}
          />
        )}
        {step === 'scope' && source && (
          <ScopeStep
            source={source}
            initial={choice}
            busy={busy}
            onBack={() => setStep('source')}
            onNext={(c) => {
              setChoice(c);
              void computePreview(source, c);
            }}
          />
        )}
        {step === 'preview' && preview && source && (
          <PreviewStep
            preview={preview}
            label={source.label}
            strategy={strategy}
            overrides={overrides}
            onStrategy={setStrategy}
            onOverrides={setOverrides}
            onBack={() => setStep('scope')}
            onNext={() => setStep('globe')}
          />
        )}
        {step === 'globe' && resolution && source && (
          <GlobePreviewStep source={source} choice={choice} resolution={resolution} onBack={() => setStep('preview')} onNext={() => setStep('confirm')} />
        )}
        {step === 'confirm' && preview && resolution && source && (
          <ConfirmStep preview={preview} label={source.label} resolution={resolution} busy={busy} error={isStale(error) ? null : error} onBack={() => setStep('globe')} onConfirm={confirm} />
        )}
        {step === 'progress' && run && <ProgressStep jobId={run.jobId} restoreId={run.restoreId} ontoEmpty={preview?.basePosition === 0 ? preview.counts : undefined} onRestart={restart} />}
        {step !== 'confirm' && <ErrorNotice error={error} />}
        {isStale(error) && source && (
          <div className="notice notice-warning" role="alert">
            The data changed since this preview, so the restore was refused and nothing was written.{' '}
            <button type="button" className="button button-small" onClick={() => void computePreview(source, choice)}>
              Preview again
            </button>
          </div>
        )}
      </section>
      {step === 'source' && <RestoreHistory />}
    </div>
  );
}
