import { Suspense, lazy, useState } from 'react';
import { useJobAnnouncements } from '../hooks/useJobAnnouncements';
import { prefetchGlobePoints } from '../hooks/pointsCache';
import { useSettings } from '../hooks/useSettings';
import { ActorField } from './ActorField';
import { Link } from './Link';
import { NavBar } from './NavBar';
import { ProjectButtons } from './ProjectButtons';
import { TokenPrompt } from './TokenPrompt';
import { useLocation } from './router';
import { useTheme } from './useTheme';

/** Each page is its own chunk: the Data Manager opens without loading three.js, the globe pages share it. */
const GlobePage = lazy(() => import('../pages/GlobePage').then((m) => ({ default: m.GlobePage })));
const DataManagerPage = lazy(() => import('../pages/data-manager/DataManagerPage').then((m) => ({ default: m.DataManagerPage })));
const BackupManagerPage = lazy(() => import('../pages/backups/BackupManagerPage').then((m) => ({ default: m.BackupManagerPage })));
const BackupBrowserPage = lazy(() => import('../pages/backups/BackupBrowserPage').then((m) => ({ default: m.BackupBrowserPage })));
const RestoreWizardPage = lazy(() => import('../pages/restore/RestoreWizardPage').then((m) => ({ default: m.RestoreWizardPage })));
const AuditPage = lazy(() => import('../pages/audit/AuditPage').then((m) => ({ default: m.AuditPage })));

// Opening on the Globe page: its points (the largest answer) are asked for while its chunk loads.
if ((location.pathname.replace(/\/+$/, '') || '/') === '/') prefetchGlobePoints();

function Page({ path, query }: { path: string; query: URLSearchParams }) {
  switch (path) {
    case '/':
      return <GlobePage />;
    case '/data':
      return <DataManagerPage query={query} />;
    case '/backups':
      return <BackupManagerPage />;
    case '/backups/browser':
      return <BackupBrowserPage loadProject={query.get('load') === 'project'} openBackupId={query.get('backup')} />;
    case '/restore':
      return <RestoreWizardPage key={query.toString()} query={query} />;
    case '/audit':
      return <AuditPage />;
    default:
      return (
        <div className="page">
          <h1>Not found</h1>
          <p>
            There is no page here. <Link to="/">Back to the globe</Link>
          </p>
        </div>
      );
  }
}

/** The shell: header (project buttons, who you are), navigation (a drawer on phones), and the page. */
export function App() {
  const { path, query } = useLocation();
  const [drawerOpen, setDrawerOpen] = useState(false);
  const settings = useSettings();
  useTheme(settings.data?.theme);
  useJobAnnouncements();
  return (
    <div className="app">
      <a className="skip-link" href="#main">
        Skip to the content
      </a>
      <header className="app-header">
        <button type="button" className="icon-button menu-button" aria-controls="main-nav" aria-expanded={drawerOpen} aria-label="Menu" onClick={() => setDrawerOpen(!drawerOpen)}>
          ☰
        </button>
        <Link to="/" className="brand">
          <span aria-hidden="true">◍</span> Globe Vault
        </Link>
        <ProjectButtons />
        <div className="header-actor">
          <ActorField />
        </div>
      </header>
      <div className="app-body">
        <NavBar path={path} open={drawerOpen} onNavigate={() => setDrawerOpen(false)} />
        {drawerOpen && <div className="drawer-backdrop" onClick={() => setDrawerOpen(false)} aria-hidden="true" />}
        <main id="main" tabIndex={-1}>
          <Suspense fallback={<p className="page muted">Loading…</p>}>
            <Page path={path} query={query} />
          </Suspense>
        </main>
      </div>
      <TokenPrompt />
    </div>
  );
}
