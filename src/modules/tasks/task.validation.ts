import { z } from 'zod';

/** Input rules shared by the create, update and bulk inputs. */
export const taskTitle = z.string().trim().min(1, 'must not be empty').max(500, 'must be at most 500 characters');
export const taskDescription = z.string().max(50_000, 'must be at most 50000 characters');
export const taskEstimateMinutes = z.number().int().min(0, 'must not be negative').max(1_000_000, 'must be at most 1000000');

export const METADATA_MAX_BYTES = 16 * 1024;
export const taskMetadata = z
  .record(z.unknown())
  .refine((value) => Buffer.byteLength(JSON.stringify(value), 'utf8') <= METADATA_MAX_BYTES, {
    message: `must be at most ${METADATA_MAX_BYTES} bytes as JSON`,
  });

export const BULK_UPDATE_MAX = 100;
