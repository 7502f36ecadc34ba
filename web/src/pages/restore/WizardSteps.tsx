import { STEPS, type StepKey } from './wizardTypes';

/** Where the user is in the wizard: the steps done, the current one, and those to come. */
export function WizardSteps({ current }: { current: StepKey }) {
  const index = STEPS.findIndex((s) => s.key === current);
  return (
    <ol className="wizard-steps" aria-label="Restore steps">
      {STEPS.map((step, i) => (
        <li key={step.key} className={i < index ? 'step-done' : i === index ? 'step-current' : 'step-todo'} aria-current={i === index ? 'step' : undefined}>
          <span className="step-number" aria-hidden="true">
            {i < index ? '✓' : i + 1}
          </span>
          <span>{step.label}</span>
        </li>
      ))}
    </ol>
  );
}
