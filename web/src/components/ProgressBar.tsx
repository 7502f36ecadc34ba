/**
 * A labelled progress bar. `percent` null is an indeterminate bar (the amount of work is not known
 * yet: progress is never invented). `state` names the outcome for styling and for tests.
 */
export function ProgressBar(props: { label: string; state: string; stateText: string; percent: number | null; detail?: string; figures?: string; testId?: string }) {
  const { label, state, stateText, percent } = props;
  return (
    <div className="job-progress" data-state={state} data-testid={props.testId}>
      <div className="job-progress-label">
        <span>
          {label}: <strong className="job-state">{stateText}</strong>
          {props.detail && <span className="job-phase"> · {props.detail}</span>}
        </span>
        <span className="job-figures">{props.figures}</span>
      </div>
      <div
        className="progress-track"
        role="progressbar"
        aria-label={label}
        aria-valuemin={0}
        aria-valuemax={100}
        aria-valuenow={percent ?? undefined}
        aria-valuetext={`${stateText}${percent !== null ? `, ${percent}%` : ''}`}
      >
        <div className={`progress-fill${percent === null ? ' indeterminate' : ''} fill-${state}`} style={percent === null ? undefined : { width: `${percent}%` }} />
      </div>
    </div>
  );
}
