import { apportion, clamp, normalise, randomWeights, WeightedChoice, zipfWeights } from './distribution';
import type { ScaleOptions } from './options';
import { RandomSource, type Random } from './random';
import { DATASET_NOW, DAY, HISTORY_START, calendarDate } from './timeline';
import {
  COMPANY_SUFFIXES,
  COMPANY_WORDS,
  FIRST_NAMES,
  LABEL_COLORS,
  LABEL_NAMES,
  LAST_NAMES,
  MILESTONE_NAMES,
  PROJECT_AREAS,
} from './vocabulary';

/**
 * The skeleton of the dataset: every row except the task-sized tables, which
 * are streamed from it (tasks, task_labels, task_dependencies). A few
 * thousand organizations and projects fit in memory; a million tasks do not
 * need to.
 */
export type ScalePlan = {
  options: ScaleOptions;
  random: RandomSource;
  /** Every generated user logs in with SCALE_PASSWORD; one hash, computed once. */
  passwordHash: string;
  users: PlannedUser[];
  organizations: PlannedOrganization[];
  projects: PlannedProject[];
  /** Where the --max-depth chain lives (first tasks of that project) and how deep it really is. */
  deepChain: { project: PlannedProject; depth: number } | null;
};

export type PlannedUser = { id: string; name: string; email: string; createdMs: number };
export type Role = 'owner' | 'admin' | 'member' | 'viewer';
export type PlannedMember = { userId: string; role: Role; joinedMs: number };
export type PlanId = 'free' | 'team' | 'enterprise';

export type PlannedOrganization = {
  index: number;
  id: string;
  name: string;
  slug: string;
  planId: PlanId;
  createdMs: number;
  taskCount: number;
  ownerId: string;
  /** The owner first. */
  members: PlannedMember[];
  /** Members who may be assigned tasks (not viewers), busiest first. */
  assigneeIds: string[];
  projects: PlannedProject[];
  labels: PlannedLabel[];
};

export type PlannedProject = {
  /** Position in plan.projects. */
  index: number;
  organization: PlannedOrganization;
  id: string;
  name: string;
  status: 'active' | 'archived';
  leadId: string | null;
  createdById: string;
  /** Tasks are created between startMs and endMs (earlier for archived projects). */
  startMs: number;
  endMs: number;
  taskCount: number;
  /** Global index of the project's first task: per-task random streams are keyed by it. */
  firstTask: number;
  /** Comments on the project and its tasks (see comment-schedule.ts for which task gets how many). */
  commentCount: number;
  milestones: PlannedMilestone[];
};

export type PlannedMilestone = { id: string; name: string; dueDate: string | null; createdMs: number };
export type PlannedLabel = { id: string; name: string; color: string; createdMs: number };

/** Org sizes follow Zipf with this exponent: the largest of 2,000 holds ~8% of the tasks. */
const ORGANIZATION_SIZE_EXPONENT = 0.9;
/** Seats per unit of task share: the biggest tenants have hundreds of members, the tail two or three. */
const MEMBERSHIPS_PER_USER = 1.25;
const TASKS_PER_PROJECT = 250;
const MEMBER_ROLES = new WeightedChoice<Exclude<Role, 'owner'>>({ admin: 8, member: 77, viewer: 15 });
const MAX_PROJECTS_PER_ORGANIZATION = 400;
export const EMAIL_DOMAIN = 'scale.example';
export const SLUG_PREFIX = 'scale-';

export function buildPlan(options: ScaleOptions, passwordHash: string): ScalePlan {
  const random = new RandomSource(options.seed);
  const users = planUsers(options.users, random);
  const weights = zipfWeights(options.organizations, ORGANIZATION_SIZE_EXPONENT);
  const taskCounts = apportion(options.tasks, weights);
  const organizations: PlannedOrganization[] = [];
  const projects: PlannedProject[] = [];
  let memberCursor = 0;
  let taskCursor = 0;
  for (let index = 0; index < options.organizations; index++) {
    const rng = random.stream('organization', index);
    const memberCount = clamp(Math.round(weights[index]! * options.users * MEMBERSHIPS_PER_USER), 2, options.users);
    const organization = planOrganization(index, taskCounts[index]!, rng, users, memberCursor, memberCount);
    memberCursor = (memberCursor + memberCount) % users.length;
    for (const project of planProjects(organization, rng, projects.length, taskCursor)) {
      projects.push(project);
      taskCursor += project.taskCount;
    }
    organizations.push(organization);
  }
  apportionComments(projects, options.comments, random.stream('comment-counts'));
  return { options, random, passwordHash, users, organizations, projects, deepChain: placeDeepChain(organizations[0], options.maxDepth) };
}

function planUsers(count: number, random: RandomSource): PlannedUser[] {
  return Array.from({ length: count }, (_, index) => {
    const rng = random.stream('user', index);
    const first = rng.pick(FIRST_NAMES);
    const last = rng.pick(LAST_NAMES);
    const createdMs = HISTORY_START + rng.int(365 * DAY);
    return {
      id: rng.uuidV7(createdMs),
      name: `${first} ${last}`,
      // The index keeps emails unique; the domain marks scale data (preflight and verification look for it).
      email: `${first}.${last}.${index}@${EMAIL_DOMAIN}`.toLowerCase(),
      createdMs,
    };
  });
}

function planOrganization(
  index: number,
  taskCount: number,
  rng: Random,
  users: readonly PlannedUser[],
  memberStart: number,
  memberCount: number,
): PlannedOrganization {
  const createdMs = HISTORY_START + rng.int(540 * DAY);
  const name = `${rng.pick(COMPANY_WORDS)} ${rng.pick(COMPANY_SUFFIXES)} ${index + 1}`;
  // A sliding window over the user pool: unique within an organization, and about a
  // quarter of the users end up in two organizations when the windows wrap around.
  const members: PlannedMember[] = [];
  for (let k = 0; k < memberCount; k++) {
    const user = users[(memberStart + k) % users.length]!;
    const role: Role = k === 0 ? 'owner' : memberCount < 3 ? 'member' : MEMBER_ROLES.pick(rng);
    const joinedMs = Math.min(Math.max(createdMs, user.createdMs) + rng.int(60 * DAY), DATASET_NOW - DAY);
    members.push({ userId: user.id, role, joinedMs });
  }
  const projectCount = clamp(Math.ceil(taskCount / TASKS_PER_PROJECT), 1, MAX_PROJECTS_PER_ORGANIZATION);
  return {
    index,
    id: rng.uuidV7(createdMs),
    name,
    slug: `${SLUG_PREFIX}${index + 1}-${name.split(' ')[0]!.toLowerCase()}`,
    planId: memberCount > 500 || projectCount > 200 ? 'enterprise' : memberCount > 10 || projectCount > 10 ? 'team' : 'free',
    createdMs,
    taskCount,
    ownerId: members[0]!.userId,
    members,
    assigneeIds: members.filter((member) => member.role !== 'viewer').map((member) => member.userId),
    projects: [],
    labels: planLabels(taskCount, rng, createdMs),
  };
}

function planLabels(taskCount: number, rng: Random, organizationCreatedMs: number): PlannedLabel[] {
  const count = clamp(3 + Math.round(1.5 * Math.log2(1 + taskCount)), 3, LABEL_NAMES.length);
  const names = [...LABEL_NAMES];
  // Partial Fisher-Yates: each organization uses its own subset, in its own popularity order.
  for (let i = 0; i < count; i++) {
    const j = i + rng.int(names.length - i);
    [names[i], names[j]] = [names[j]!, names[i]!];
  }
  return names.slice(0, count).map((name) => {
    const createdMs = organizationCreatedMs + rng.int(30 * DAY);
    return { id: rng.uuidV7(createdMs), name, color: rng.pick(LABEL_COLORS), createdMs };
  });
}

function planProjects(organization: PlannedOrganization, rng: Random, firstIndex: number, firstTask: number): PlannedProject[] {
  const count = clamp(Math.ceil(organization.taskCount / TASKS_PER_PROJECT), 1, MAX_PROJECTS_PER_ORGANIZATION);
  const taskCounts = apportion(organization.taskCount, randomWeights(count, rng));
  const admins = organization.members.filter((member) => member.role === 'owner' || member.role === 'admin');
  let nextTask = firstTask;
  for (let k = 0; k < count; k++) {
    const startMs = organization.createdMs + Math.floor(rng.next() * 0.8 * Math.max(0, DATASET_NOW - 30 * DAY - organization.createdMs));
    const archived = count >= 3 && rng.chance(0.1);
    const endMs = archived ? startMs + Math.floor((DATASET_NOW - startMs) * (0.3 + 0.5 * rng.next())) : DATASET_NOW;
    const taskCount = taskCounts[k]!;
    const project: PlannedProject = {
      index: firstIndex + k,
      organization,
      id: rng.uuidV7(startMs),
      name: `${rng.pick(PROJECT_AREAS)} ${k + 1}`,
      status: archived ? 'archived' : 'active',
      leadId: rng.chance(0.7) ? rng.pick(organization.assigneeIds) : null,
      createdById: rng.pick(admins).userId,
      startMs,
      endMs,
      taskCount,
      firstTask: nextTask,
      commentCount: 0,
      milestones: planMilestones(taskCount, rng, startMs, endMs),
    };
    nextTask += taskCount;
    organization.projects.push(project);
  }
  return organization.projects;
}

function planMilestones(taskCount: number, rng: Random, startMs: number, endMs: number): PlannedMilestone[] {
  const count = taskCount < 20 ? 0 : Math.min(8, 1 + Math.floor(taskCount / 200));
  // Spread over the project's life, the last ones due after it (upcoming work).
  const stride = (endMs + 60 * DAY - startMs) / count;
  return Array.from({ length: count }, (_, k) => {
    const createdMs = startMs + rng.int(Math.max(1, Math.floor(stride * k)) + DAY);
    return {
      id: rng.uuidV7(createdMs),
      name: `${MILESTONE_NAMES[k % MILESTONE_NAMES.length]} ${Math.floor(k / MILESTONE_NAMES.length) + 1}`,
      dueDate: rng.chance(0.9) ? calendarDate(startMs + stride * (k + 0.5 + rng.next() * 0.5)) : null,
      createdMs,
    };
  });
}

/**
 * Comments follow tasks (busy projects talk more), with noise; the one extra
 * task's worth lets a project without tasks still hold project comments.
 */
function apportionComments(projects: PlannedProject[], total: number, rng: Random): void {
  const weights = normalise(projects.map((project) => (project.taskCount + 1) * (0.25 + rng.exponential(1))));
  const counts = apportion(total, weights);
  projects.forEach((project, index) => (project.commentCount = counts[index]!));
}

/** The edge case for recursive queries: the largest organization's largest project opens with one long parent chain. */
function placeDeepChain(largest: PlannedOrganization | undefined, maxDepth: number): ScalePlan['deepChain'] {
  if (!largest || largest.projects.length === 0) return null;
  const project = largest.projects.reduce((best, candidate) => (candidate.taskCount > best.taskCount ? candidate : best));
  const depth = Math.min(maxDepth, project.taskCount - 1);
  return depth > 0 ? { project, depth } : null;
}
