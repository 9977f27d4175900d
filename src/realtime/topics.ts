import type { RealtimeEvent } from './events';

/**
 * The only place topic names are built. Every name carries its tenant (the
 * organization, or the user for a personal inbox), so a subscription can never
 * name another tenant's stream by accident.
 */
export const topics = {
  organizationActivity: (organizationId: string) => `org:${organizationId}:activity`,
  project: (organizationId: string, projectId: string) => `project:${organizationId}:${projectId}`,
  task: (organizationId: string, taskId: string) => `task:${organizationId}:${taskId}`,
  userNotifications: (userId: string) => `user:${userId}:notifications`,
  presence: (organizationId: string, taskId: string) => `presence:${organizationId}:${taskId}`,
  /** Wake-up calls: this user's access may have changed (see access-watch.ts). */
  userAccess: (userId: string) => `user:${userId}:access`,
} as const;

/**
 * Where the sequencer publishes an event: activity to its organization, project and task feeds; a notification to its recipient.
 * A membership event (joined, role changed, removed, left) also goes to its member's access topic, in the same seq order as
 * everything else: a subscription sees the access change before any later event, and re-checks before delivering that.
 */
export function topicsFor(event: RealtimeEvent): string[] {
  if (event.stream === 'notification') return event.recipientId ? [topics.userNotifications(event.recipientId)] : [];
  const names = [topics.organizationActivity(event.organizationId)];
  if (event.projectId) names.push(topics.project(event.organizationId, event.projectId));
  if (event.taskId) names.push(topics.task(event.organizationId, event.taskId));
  if (event.subjectType === 'member') names.push(topics.userAccess(event.subjectId));
  return names;
}
