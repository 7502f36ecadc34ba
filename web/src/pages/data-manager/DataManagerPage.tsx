import { navigate } from '../../app/router';
import { Tabs } from '../../components/Tabs';
import { BackupRestorePanel } from './BackupRestorePanel';
import { ConfigurationsPanel } from './ConfigurationsPanel';
import { DatasetsPanel } from './DatasetsPanel';
import { ImportPanel } from './ImportPanel';
import { LocationTable } from './LocationTable';
import { SettingsPanel } from './SettingsPanel';

const TABS = [
  { key: 'datasets', label: 'Datasets' },
  { key: 'import', label: 'Import' },
  { key: 'locations', label: 'Locations' },
  { key: 'settings', label: 'Settings' },
  { key: 'configurations', label: 'Configurations' },
  { key: 'backup', label: 'Backup & Restore' },
] as const;
type TabKey = (typeof TABS)[number]['key'];

const PANELS: Record<TabKey, () => React.ReactNode> = {
  datasets: () => <DatasetsPanel />,
  import: () => <ImportPanel />,
  locations: () => <LocationTable />,
  settings: () => <SettingsPanel />,
  configurations: () => <ConfigurationsPanel />,
  backup: () => <BackupRestorePanel />,
};

/** The Data Manager, as Globe app users know it; the open tab is in the address (`?tab=`), so it survives a reload. */
export function DataManagerPage({ query }: { query: URLSearchParams }) {
  const requested = query.get('tab');
  const tab: TabKey = TABS.some((t) => t.key === requested) ? (requested as TabKey) : 'datasets';
  return (
    <div className="page">
      <header className="page-header">
        <h1>Data Manager</h1>
      </header>
      <Tabs tabs={[...TABS]} active={tab} onChange={(key) => navigate(`/data?tab=${key}`, true)} label="Data Manager sections" />
      <section className="card tab-panel" role="tabpanel" id={`panel-${tab}`} aria-labelledby={`tab-${tab}`}>
        {PANELS[tab]()}
      </section>
    </div>
  );
}
