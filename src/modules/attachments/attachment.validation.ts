import { z } from 'zod';
import { ValidationError } from '../../shared/errors';

/**
 * What may be attached: documents people share about work. An allow-list, so
 * anything unlisted (executables, scripts, HTML, SVG — which browsers run when
 * opened from our origin) is refused. Downloads are always served as
 * attachments with the declared type and `nosniff`, as a second line.
 */
export const ALLOWED_CONTENT_TYPES: ReadonlySet<string> = new Set([
  // images (not SVG: it can carry scripts)
  'image/png',
  'image/jpeg',
  'image/gif',
  'image/webp',
  'image/avif',
  'image/heic',
  'image/heif',
  'image/bmp',
  'image/tiff',
  'application/pdf',
  // text (not HTML, JavaScript or XML)
  'text/plain',
  'text/csv',
  'text/markdown',
  'text/tab-separated-values',
  'application/json',
  // office documents
  'application/rtf',
  'application/msword',
  'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
  'application/vnd.ms-excel',
  'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  'application/vnd.ms-powerpoint',
  'application/vnd.openxmlformats-officedocument.presentationml.presentation',
  'application/vnd.oasis.opendocument.text',
  'application/vnd.oasis.opendocument.spreadsheet',
  'application/vnd.oasis.opendocument.presentation',
  // archives (Windows browsers report zip files as x-zip-compressed)
  'application/zip',
  'application/x-zip-compressed',
]);

/** A display name only: it never becomes a path (keys are ids), but separators and control characters are refused anyway. */
export const attachmentFilename = z
  .string()
  .trim()
  .min(1, 'must not be empty')
  .max(255, 'must be at most 255 characters')
  .refine((name) => !/[/\\]/.test(name), 'must not contain / or \\')
  // eslint-disable-next-line no-control-regex
  .refine((name) => !/[\u0000-\u001f\u007f]/.test(name), 'must not contain control characters')
  .refine((name) => name !== '.' && name !== '..', 'must be a file name');

export const attachmentSize = z.number().int('must be a whole number of bytes').positive('must be greater than 0');

/** The media type without parameters, lower-cased; refused unless allowed. It is what the upload must then send. */
export function allowedContentType(given: string, path: string): string {
  const essence = given.split(';')[0]!.trim().toLowerCase();
  if (!ALLOWED_CONTENT_TYPES.has(essence)) throw ValidationError.field(path, `files of type ${essence || '(none)'} cannot be attached`);
  return essence;
}

/** The configured ceiling (ATTACHMENT_MAX_BYTES), checked in the service: input validation cannot know it. */
export function ensureSizeAllowed(sizeBytes: number, maxBytes: number, path: string): void {
  if (sizeBytes > maxBytes) throw ValidationError.field(path, `must be at most ${maxBytes} bytes (${formatMiB(maxBytes)})`);
}

const formatMiB = (bytes: number) => `${Math.round((bytes / 1024 / 1024) * 10) / 10} MiB`;
