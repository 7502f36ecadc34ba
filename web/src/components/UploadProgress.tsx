import { formatBytes } from './format';
import { ProgressBar } from './ProgressBar';

export interface UploadState {
  sent: number;
  total: number;
}

/** A file on its way to the server, before the job that reads it exists. */
export function UploadProgress({ name, upload }: { name: string; upload: UploadState }) {
  const percent = upload.total > 0 ? Math.round((upload.sent / upload.total) * 100) : null;
  const done = upload.sent >= upload.total;
  return <ProgressBar label={`Uploading ${name}`} state={done ? 'uploaded' : 'uploading'} stateText={done ? 'Sent' : 'Sending'} percent={percent} figures={`${formatBytes(upload.sent)} of ${formatBytes(upload.total)}`} />;
}
