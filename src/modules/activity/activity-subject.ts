import type { ActivityRow } from './activity.repository';

/** GraphQL type of each subject type; types added later (comments, attachments) get their names here too. */
const SUBJECT_TYPENAMES: Record<string, string> = {
  organization: 'Organization',
  member: 'Member',
  project: 'Project',
  milestone: 'Milestone',
  label: 'Label',
  task: 'Task',
  dependency: 'TaskDependency',
  comment: 'Comment',
  attachment: 'Attachment',
  time_entry: 'TimeEntry',
};

const pascalCase = (value: string) => value.replace(/(^|_)([a-z])/g, (_m, _sep, letter: string) => letter.toUpperCase());

/** The subject's global id. A membership has no id of its own: its node id is "organizationId:userId" (see member.types.ts). */
export function subjectGlobalId(event: Pick<ActivityRow, 'subjectType' | 'subjectId' | 'organizationId'>): { type: string; id: string } {
  const type = SUBJECT_TYPENAMES[event.subjectType] ?? pascalCase(event.subjectType);
  const id = event.subjectType === 'member' ? `${event.organizationId}:${event.subjectId}` : event.subjectId;
  return { type, id };
}
