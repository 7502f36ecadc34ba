import { useRef } from 'react';

export interface TabDef<K extends string> {
  key: K;
  label: string;
}

/** A WAI-ARIA tab list: arrow keys move between tabs, each tab controls its panel. */
export function Tabs<K extends string>({ tabs, active, onChange, label }: { tabs: TabDef<K>[]; active: K; onChange: (key: K) => void; label: string }) {
  const refs = useRef(new Map<K, HTMLButtonElement>());
  const move = (delta: number) => {
    const index = tabs.findIndex((t) => t.key === active);
    const next = tabs[(index + delta + tabs.length) % tabs.length];
    onChange(next.key);
    refs.current.get(next.key)?.focus();
  };
  return (
    <div className="tabs" role="tablist" aria-label={label}>
      {tabs.map((tab) => (
        <button
          key={tab.key}
          ref={(el) => {
            if (el) refs.current.set(tab.key, el);
          }}
          type="button"
          role="tab"
          id={`tab-${tab.key}`}
          aria-selected={tab.key === active}
          aria-controls={`panel-${tab.key}`}
          tabIndex={tab.key === active ? 0 : -1}
          className="tab"
          onClick={() => onChange(tab.key)}
          onKeyDown={(e) => {
            if (e.key === 'ArrowRight') move(1);
            if (e.key === 'ArrowLeft') move(-1);
          }}
        >
          {tab.label}
        </button>
      ))}
    </div>
  );
}
