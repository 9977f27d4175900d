import type { ServiceContext } from '../../graphql/context';
import { NotFoundError } from '../../shared/errors';
import { toConnection, type Connection, type PageArgs } from '../../shared/pagination';
import { asViewer } from '../../shared/unit-of-work';
import { readActivityPage } from './activity-cursor';
import { listActivity, type ActivityRow, type ActivityScope } from './activity.repository';

/**
 * Visibility is organization membership: today everything in an organization
 * is visible to all its members (there is no per-project access yet), so a
 * feed shows events of the viewer's organizations only.
 */
const visibleOrganizations = (ctx: ServiceContext, organizationIds: readonly string[]) =>
  organizationIds.filter((id) => ctx.viewer?.roles.has(id) ?? false);

async function feedPage(ctx: ServiceContext, organizationIds: readonly string[], scope: ActivityScope, args: PageArgs) {
  const page = readActivityPage(args);
  const rows = organizationIds.length ? await asViewer(ctx, (tx) => listActivity(tx, organizationIds, scope, page)) : [];
  return toConnection(rows, page.page, (event) => [event.seq]);
}

/** An organization's feed, or a project's or task's in it, newest first. Not a member: not found. */
export function activityFeed(ctx: ServiceContext, organizationId: string, scope: ActivityScope, args: PageArgs): Promise<Connection<ActivityRow>> {
  if (visibleOrganizations(ctx, [organizationId]).length === 0) throw new NotFoundError('Organization', organizationId);
  return feedPage(ctx, [organizationId], scope, args);
}

/**
 * What a person did, newest first: in one organization, or (organizationId
 * null) in all the viewer's. Null for an organization the viewer is not in.
 */
export async function userActivityFeed(
  ctx: ServiceContext,
  userId: string,
  organizationId: string | null,
  args: PageArgs,
): Promise<Connection<ActivityRow> | null> {
  const wanted = organizationId ? [organizationId] : (ctx.viewer?.organizationIds ?? []);
  const visible = visibleOrganizations(ctx, wanted);
  if (organizationId && visible.length === 0) return null;
  return feedPage(ctx, visible, { actorId: userId }, args);
}
