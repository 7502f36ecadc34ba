import { ActorField } from './ActorField';
import { Link } from './Link';
import { ROUTES } from './routes';

/** The main navigation: a sidebar on wide screens, a drawer (opened from the header) on phones. */
export function NavBar({ path, open, onNavigate }: { path: string; open: boolean; onNavigate: () => void }) {
  return (
    <nav id="main-nav" className={`sidebar${open ? ' sidebar-open' : ''}`} aria-label="Main">
      <ul>
        {ROUTES.map((route) => (
          <li key={route.path}>
            <Link to={route.path} aria-current={route.path === path ? 'page' : undefined} onClick={onNavigate}>
              {route.label}
            </Link>
          </li>
        ))}
      </ul>
      <div className="nav-actor">
        <ActorField />
      </div>
    </nav>
  );
}
