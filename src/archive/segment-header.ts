import { z } from 'zod';
import { encryptionSchema } from '../backups/format/backup-manifest';

const sha256Hex = z.string().regex(/^[0-9a-f]{64}$/);

/**
 * The first line of a segment object (JSON, '\n'-terminated); the payload follows to the end:
 * the events as NDJSON backup records (`{"t":"event","v":…}`, position order) → gzip → optionally
 * AES-256-GCM. Two checksums: `payloadSha256` over the stored bytes (checkable without the key)
 * and `sha256` over the NDJSON content (what was archived, whatever sealed it). The header carries
 * no clock time of its own, so sealing the same range again yields the same bytes.
 */
export const segmentHeaderSchema = z
  .object({
    format: z.literal('gvseg'),
    version: z.literal(1),
    epoch: z.number().int().min(1),
    level: z.number().int().min(0).max(9),
    from: z.number().int().min(1),
    to: z.number().int().min(1),
    count: z.number().int().min(1),
    fromRecordedAt: z.iso.datetime(),
    toRecordedAt: z.iso.datetime(),
    appVersion: z.string().min(1).max(100),
    /** The hash chain's head at `to`, once events carry one; null until then. */
    chainHead: z.string().max(200).nullable(),
    compression: z.literal('gzip'),
    encryption: encryptionSchema.nullable(),
    contentBytes: z.number().int().min(0),
    sha256: sha256Hex,
    payloadBytes: z.number().int().min(0),
    payloadSha256: sha256Hex,
    /**
     * On an epoch's first segment (from 1) when a follower's promotion started the epoch: the epoch
     * it took over from and the last position of it that this epoch shares (positions 1..position
     * are the same events; the old epoch's later segments, if its writer uploaded more before it saw
     * this epoch, are not this history). Absent otherwise.
     */
    continues: z.object({ epoch: z.number().int().min(1), position: z.number().int().min(0) }).strict().optional(),
  })
  .strict()
  .refine((h) => h.to - h.from + 1 === h.count, 'count is the size of the range');
export type SegmentHeader = z.infer<typeof segmentHeaderSchema>;

/** A header line longer than this is not a header (a damaged or foreign object). */
export const MAX_HEADER_BYTES = 16 * 1024;
