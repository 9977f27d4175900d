/**
 * What the demo organization contains. Plain data: demo-seed.ts writes it.
 * Keys (`key`) only link entries to each other inside this file.
 */

export const DEMO_LOGIN = Object.freeze({ email: 'demo@taskgraph.dev', password: 'taskgraph-demo' });

export const DEMO_ORGANIZATION = { name: 'Acme', slug: 'acme', planId: 'team' } as const;

type Role = 'owner' | 'admin' | 'member' | 'viewer';
type Status = 'backlog' | 'todo' | 'in_progress' | 'done' | 'canceled';
type Priority = 'none' | 'low' | 'medium' | 'high' | 'urgent';

export type DemoPerson = { key: string; name: string; email: string; role: Role };
export type DemoLabel = { key: string; name: string; color: string };
export type DemoTask = {
  key?: string;
  title: string;
  description?: string;
  status: Status;
  priority?: Priority;
  assignee?: string;
  labels?: string[];
  inMilestone?: boolean;
  estimateMinutes?: number;
  dueInDays?: number;
  subtasks?: DemoTask[];
};
export type DemoProject = {
  name: string;
  description: string;
  lead: string;
  milestone?: { name: string; description: string; dueInDays: number };
  tasks: DemoTask[];
};
export type DemoDependency = { from: string; to: string; type: 'blocks' | 'relates_to' | 'duplicates' };

/** Everyone shares the demo password, so each role can be tried out. */
export const DEMO_PEOPLE: DemoPerson[] = [
  { key: 'demo', name: 'Demo User', email: DEMO_LOGIN.email, role: 'owner' },
  { key: 'ada', name: 'Ada Lovelace', email: 'ada@taskgraph.dev', role: 'admin' },
  { key: 'grace', name: 'Grace Hopper', email: 'grace@taskgraph.dev', role: 'member' },
  { key: 'alan', name: 'Alan Turing', email: 'alan@taskgraph.dev', role: 'viewer' },
];

export const DEMO_LABELS: DemoLabel[] = [
  { key: 'bug', name: 'bug', color: '#d73a4a' },
  { key: 'feature', name: 'feature', color: '#0e8a16' },
  { key: 'design', name: 'design', color: '#5319e7' },
  { key: 'infra', name: 'infra', color: '#1d76db' },
];

export const DEMO_PROJECTS: DemoProject[] = [
  {
    name: 'Website relaunch',
    description: 'New marketing site and docs, live for the public beta.',
    lead: 'ada',
    milestone: { name: 'Public beta', description: 'Site live, sign-ups open.', dueInDays: 21 },
    tasks: [
      { title: 'Define the information architecture', status: 'done', priority: 'high', assignee: 'ada', labels: ['design'], inMilestone: true },
      {
        key: 'design-landing',
        title: 'Design the landing page',
        status: 'in_progress',
        priority: 'high',
        assignee: 'grace',
        labels: ['design'],
        inMilestone: true,
        dueInDays: 7,
        subtasks: [
          { title: 'Hero section mock-up', status: 'done', assignee: 'grace' },
          { title: 'Pricing table mock-up', status: 'todo', assignee: 'grace', estimateMinutes: 120 },
          { title: 'Review with marketing', status: 'todo', assignee: 'demo' },
        ],
      },
      {
        key: 'build-landing',
        title: 'Build the landing page',
        description: 'Static pages from the approved design; lighthouse score above 90.',
        status: 'todo',
        priority: 'high',
        assignee: 'grace',
        labels: ['feature'],
        inMilestone: true,
        estimateMinutes: 480,
      },
      { title: 'Set up CDN and TLS', status: 'todo', priority: 'medium', assignee: 'demo', labels: ['infra'], inMilestone: true },
      { title: 'Fix broken links on the docs site', status: 'backlog', priority: 'low', labels: ['bug'] },
      { title: 'Write the launch blog post', status: 'backlog', priority: 'medium', assignee: 'demo', dueInDays: 20 },
    ],
  },
  {
    name: 'Mobile app',
    description: 'iOS and Android client with offline support.',
    lead: 'grace',
    tasks: [
      {
        key: 'offline',
        title: 'Offline mode',
        status: 'in_progress',
        priority: 'urgent',
        assignee: 'grace',
        labels: ['feature'],
        subtasks: [
          { title: 'Local cache for tasks', status: 'in_progress', assignee: 'grace', estimateMinutes: 600 },
          { title: 'Sync conflict screen', status: 'todo', assignee: 'ada', labels: ['design'] },
        ],
      },
      { key: 'login-crash', title: 'Crash on login with an expired session', status: 'todo', priority: 'urgent', assignee: 'ada', labels: ['bug'] },
      { title: 'Push notifications', status: 'backlog', priority: 'medium', labels: ['feature'] },
      { title: 'App store screenshots', status: 'canceled', priority: 'low', labels: ['design'] },
    ],
  },
];

export const DEMO_DEPENDENCIES: DemoDependency[] = [
  { from: 'design-landing', to: 'build-landing', type: 'blocks' },
  { from: 'login-crash', to: 'offline', type: 'relates_to' },
];
