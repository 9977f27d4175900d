import { randomBytes } from 'node:crypto';
import { z } from 'zod';

const MIN_LENGTH = 3;
const MAX_LENGTH = 48;
const SLUG = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;

/** What a client may choose: lowercase letters, digits and single dashes inside. */
export const organizationSlug = z
  .string()
  .min(MIN_LENGTH, `must be at least ${MIN_LENGTH} characters`)
  .max(MAX_LENGTH, `must be at most ${MAX_LENGTH} characters`)
  .regex(SLUG, 'may contain only lowercase letters, digits and dashes (not at either end, not two in a row)');

const trimDashes = (value: string) => value.replace(/^-+|-+$/g, '');

/** A slug for `name` ("Café Ünited!" -> "cafe-united"); short or empty results get a random tail. */
export function slugFromName(name: string): string {
  const base = trimDashes(
    name
      .normalize('NFKD')
      .replace(/[\u0300-\u036f]/g, '')
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '-'),
  );
  const slug = trimDashes(base.slice(0, MAX_LENGTH));
  return slug.length >= MIN_LENGTH ? slug : withRandomTail(slug || 'org');
}

/** Another candidate when `slug` is taken: the same start, a random tail, still within the length limit. */
export function withRandomTail(slug: string): string {
  const tail = randomBytes(3).toString('hex');
  return `${trimDashes(slug.slice(0, MAX_LENGTH - tail.length - 1))}-${tail}`;
}
