/**
 * Human names for the fields the audit trail and the restore conflicts show (a settings key is
 * `showQuantityVisualization` in the log, "Show quantities" on screen). Unknown keys, such as a
 * location's extra columns, are shown as they are.
 */
const FIELD_NAMES: Record<string, string> = {
  // a location
  name: 'Name',
  latitude: 'Latitude',
  longitude: 'Longitude',
  quantity: 'Quantity',
  properties: 'Extra columns',
  // a dataset
  description: 'Description',
  color: 'Colour',
  visible: 'Shown on the globe',
  columnMapping: 'Column mapping',
  source: 'Imported from',
  // settings (the Globe app's uiSettings first)
  drawerOpen: 'Side drawer open',
  showQuantityVisualization: 'Show quantities',
  searchQuery: 'Search',
  sortBy: 'Sort by',
  sortOrder: 'Sort order',
  filterBy: 'Show locations',
  theme: 'Theme',
  language: 'Language',
  autoSave: 'Save automatically',
  notifications: 'Notifications',
  globeStyle: 'Globe style',
  autoRotate: 'Turn the globe slowly',
  rotationSpeed: 'Rotation speed',
  snapshotEveryEvents: 'Snapshot every N events',
  snapshotCron: 'Snapshot schedule',
  compactionCron: 'Snapshot compaction schedule',
  snapshotRetention: 'Snapshots kept',
  // a configuration
  kind: 'Kind',
  value: 'Value',
};

export const fieldName = (key: string): string => FIELD_NAMES[key] ?? key;
