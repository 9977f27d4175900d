import type { ActivityChanges } from '../../db/schema/index';
import type { ActivityInput } from '../../realtime/record-activity';

/** An event about a membership: its subject id is the member's user id (the Member node id adds the organization). */
export const memberActivity = (
  member: { organizationId: string; userId: string },
  verb: `member.${string}`,
  actorId: string,
  changes: ActivityChanges = {},
): ActivityInput => ({ organizationId: member.organizationId, actorId, verb, subjectType: 'member', subjectId: member.userId, changes });

export const organizationActivity = (
  organizationId: string,
  verb: `organization.${string}`,
  actorId: string,
  changes: ActivityChanges = {},
): ActivityInput => ({ organizationId, actorId, verb, subjectType: 'organization', subjectId: organizationId, changes });
