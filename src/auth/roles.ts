import type { Role, Viewer } from './viewer';

const RANK: Record<Role, number> = { viewer: 0, member: 1, admin: 2, owner: 3 };

export const ROLES = ['owner', 'admin', 'member', 'viewer'] as const satisfies readonly Role[];

export function roleAtLeast(role: Role | undefined, minimum: Role): boolean {
  return role !== undefined && RANK[role] >= RANK[minimum];
}

/** The viewer's role in an organization, or undefined when not a member. */
export function roleIn(viewer: Viewer | null, organizationId: string): Role | undefined {
  return viewer?.roles.get(organizationId);
}

export function viewerHasRole(viewer: Viewer | null, organizationId: string, minimum: Role): boolean {
  return roleAtLeast(roleIn(viewer, organizationId), minimum);
}
