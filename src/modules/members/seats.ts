import type { Executor } from '../../db/client';
import { countPendingInvitations } from './invitation.repository';
import { countLiveMembers } from './member.repository';

/** What a plan's member limit counts: live members plus pending invitations, since each will take a place. */
export async function countSeats(tx: Executor, organizationId: string): Promise<number> {
  return (await countLiveMembers(tx, organizationId)) + (await countPendingInvitations(tx, organizationId));
}
