/** Stream names: one per dataset (its locations included), one for settings, one per configuration. */
export const datasetStream = (datasetId: string) => `dataset-${datasetId}`;
export const SETTINGS_STREAM = 'settings';
export const configurationStream = (configurationId: string) => `configuration-${configurationId}`;
