import { z } from 'zod';
import { taskStatus } from '../../db/schema/index';

/** The canonical name of an IANA time zone ("europe/berlin" -> "Europe/Berlin"), or null. */
function canonicalTimeZone(value: string): string | null {
  // Intl also takes UTC offsets such as "+01:00"; settings want a named zone that follows daylight saving.
  if (!/^[A-Za-z][A-Za-z0-9_+-]*(?:\/[A-Za-z0-9_+-]+)*$/.test(value)) return null;
  try {
    return new Intl.DateTimeFormat('en-US', { timeZone: value }).resolvedOptions().timeZone;
  } catch {
    return null;
  }
}

const timeZone = z
  .string()
  .max(64, 'must be at most 64 characters')
  .transform((value, ctx) => {
    const canonical = canonicalTimeZone(value);
    if (!canonical) ctx.addIssue({ code: z.ZodIssueCode.custom, message: 'must be an IANA time zone name, such as Europe/Berlin' });
    return canonical ?? z.NEVER;
  });

/**
 * A change to an organization's settings: each key given replaces that
 * setting, null removes it, keys not given stay. Unknown keys are refused one
 * by one (path = the key), so a typo never silently does nothing.
 */
export const organizationSettingsPatch = z
  .object({
    timezone: timeZone.nullable(),
    /** 0 = Sunday ... 6 = Saturday, as Date.getDay() counts. */
    weekStartsOn: z.number().int('must be a whole number').min(0, 'must be between 0 and 6').max(6, 'must be between 0 and 6').nullable(),
    defaultTaskStatus: z.enum(taskStatus.enumValues).nullable(),
  })
  .partial()
  // z.never() as a catchall means "strip" in zod 3; a refusing custom schema reports each unknown key.
  .catchall(z.custom<never>(() => false, { message: 'is not a known setting' }));

export type OrganizationSettingsPatch = z.output<typeof organizationSettingsPatch>;

export function applySettingsPatch(current: Record<string, unknown>, patch: OrganizationSettingsPatch): Record<string, unknown> {
  const next: Record<string, unknown> = { ...current };
  for (const [key, value] of Object.entries(patch)) {
    if (value === null) delete next[key];
    else if (value !== undefined) next[key] = value;
  }
  return next;
}
