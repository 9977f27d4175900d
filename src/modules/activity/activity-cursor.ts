import { decodeCursor, encodeCursor } from '../../realtime/cursor';
import { readPage, type Page, type PageArgs } from '../../shared/pagination';
import type { SeqPage } from './activity.repository';

/** An event's cursor: its seq, opaque to clients; the same string pages a feed and resumes a subscription. */
export const activityCursor = (seq: number): string => encodeCursor(seq);

/** Forward page arguments of an activity feed (limits from shared/pagination); `after` must be an event cursor. */
export function readActivityPage(args: PageArgs): SeqPage & { page: Page } {
  const { limit } = readPage({ ...args, after: null }, 1);
  const afterSeq = decodeCursor(args.after, 'after');
  return { limit, afterSeq, page: { limit, after: afterSeq === null ? null : [afterSeq] } };
}
