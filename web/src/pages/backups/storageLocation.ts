/** A configured storage as the UI names it: what kind of place it is, and where. */
export interface StorageLocation {
  /** As a heading or a table cell says it ("Folder on the server"). */
  kind: string;
  /** Inside a sentence ("the folder on the server"). */
  noun: string;
  location: string;
}

const KINDS: [prefix: string, kind: string, noun: string][] = [
  ['file:', 'Folder on the server', 'folder on the server'],
  ['s3://', 'S3 bucket', 'S3 bucket'],
  ['rclone:', 'rclone remote', 'rclone remote'],
];

/**
 * The server names a storage by its URL (file:<dir>, s3://<bucket>/<prefix>, rclone:<remote>:<path>),
 * whose grammar leaves no room for a secret: credentials come from the environment or the rclone
 * config. Redacted here all the same, so a future form that carries one (user:password@, ?token=,
 * key=value options) never reaches the screen.
 */
export function storageLocation(name: string): StorageLocation {
  const [prefix, kind, noun] = KINDS.find(([p]) => name.startsWith(p)) ?? ['', 'Storage', 'storage'];
  const location = name
    .slice(prefix.length)
    .replace(/^[^/@]*@/, '…@')
    .replace(/\?.*$/, '')
    .replace(/((?:secret|password|pass|token|key)[a-z_]*=)[^,:/]*/gi, '$1…');
  return { kind, noun, location };
}
