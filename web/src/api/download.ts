import { apiHeaders, readAnswer } from './client';

/**
 * Downloads a file the API serves (an export, a backup) and hands it to the browser as a file,
 * so a refusal (e.g. an endpoint not there yet) shows as an error instead of a file of JSON.
 */
export async function downloadFile(url: string, fallbackName: string): Promise<void> {
  const res = await fetch(url, { headers: apiHeaders() });
  if (!res.ok) readAnswer(res.status, res.statusText, await res.text());
  const name = /filename\*?=(?:UTF-8'')?"?([^";]+)"?/i.exec(res.headers.get('Content-Disposition') ?? '')?.[1];
  const href = URL.createObjectURL(await res.blob());
  const a = document.createElement('a');
  a.href = href;
  a.download = name ? decodeURIComponent(name) : fallbackName;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(href), 60_000);
}
