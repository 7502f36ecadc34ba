import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/** This app's version (package.json), written into every backup's manifest. */
export const APP_VERSION: string = (JSON.parse(readFileSync(join(__dirname, '..', '..', 'package.json'), 'utf8')) as { version: string }).version;
