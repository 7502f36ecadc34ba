/** The pages, in the order the navigation lists them. */
export const ROUTES = [
  { path: '/', label: 'Globe' },
  { path: '/data', label: 'Data Manager' },
  { path: '/backups', label: 'Backup Manager' },
  { path: '/backups/browser', label: 'Backup Browser' },
  { path: '/restore', label: 'Restore Wizard' },
  { path: '/audit', label: 'Audit Timeline' },
] as const;
