import { useSyncExternalStore } from 'react';

/**
 * What changed on the server, as far as this page knows: each topic has a version that goes up
 * when a write or a finished job touched it, and every hook reading that topic reloads on a new
 * version. One tiny store instead of a cache library: the API is the source of truth.
 */
export type Topic = 'datasets' | 'locations' | 'settings' | 'configurations' | 'backups' | 'audit' | 'restores';

const versions = new Map<Topic, number>();
const listeners = new Set<() => void>();

export function announce(...topics: Topic[]): void {
  for (const topic of topics) versions.set(topic, (versions.get(topic) ?? 0) + 1);
  for (const listener of listeners) listener();
}

function subscribe(listener: () => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

export const versionOf = (topic: Topic): number => versions.get(topic) ?? 0;

export function useVersion(topic: Topic): number {
  return useSyncExternalStore(subscribe, () => versionOf(topic));
}

/** What a finished job of each kind may have changed. */
const TOPICS_OF_JOB: Record<string, Topic[]> = {
  import: ['datasets', 'locations', 'audit'],
  restore: ['datasets', 'locations', 'settings', 'configurations', 'audit', 'restores', 'backups'],
  backup: ['backups', 'audit'],
  verify: ['backups'],
  rebuild: ['datasets', 'locations', 'settings', 'configurations'],
};

const endedJobs = new Set<string>();

/** Announces what a finished job changed, once per job however many channels report its end. */
export function announceJobEnd(job: { id: string; kind: string }): void {
  if (endedJobs.has(job.id)) return;
  endedJobs.add(job.id);
  announce(...(TOPICS_OF_JOB[job.kind] ?? []));
}
