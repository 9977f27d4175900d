import { comments } from '../../db/schema/index';
import { commentSchedules } from '../comment-schedule';
import type { ScalePlan } from '../plan';
import type { Random } from '../random';
import { timestamp } from '../timeline';
import { COMMENT_OPENERS, COMMENT_REPLIES, DESCRIPTION_SENTENCES, TASK_NOUNS, TASK_VERBS } from '../vocabulary';
import { defineSeeder } from './table-seeder';

export const commentsSeeder = defineSeeder(
  comments,
  ['id', 'organizationId', 'taskId', 'projectId', 'authorId', 'body', 'createdAt', 'updatedAt', 'createdBy'],
  {
    expectedRows: (plan) => ({ rows: plan.options.comments, exact: true }),
    *rows(plan) {
      const schedules = commentSchedules(plan);
      const bodies = plan.random.streams('comment-bodies');
      const mentionPrefix = mentionWriter(plan);
      for (const project of plan.projects) {
        if (project.commentCount === 0) continue;
        const schedule = schedules(project);
        const rng = bodies(project.index);
        for (let k = 0; k < schedule.count; k++) {
          const task = schedule.task[k]!;
          const created = timestamp(schedule.createdMs[k]!);
          const mentions = mentionPrefix(schedule.mentionIds, schedule.mentionStart[k]!, schedule.mentionStart[k + 1]!);
          yield [
            schedule.id[k]!,
            project.organization.id,
            task ? task.id : null,
            task ? null : project.id,
            schedule.authorId[k]!,
            mentions + body(rng),
            created,
            created,
            schedule.authorId[k]!,
          ];
        }
      }
    },
  },
);

/** Mentions in the API's Markdown syntax, `@[Name](user:<id>)`, so parsing a seeded body finds the seeded mentions. */
function mentionWriter(plan: ScalePlan): (ids: readonly string[], start: number, end: number) => string {
  const names = new Map(plan.users.map((user) => [user.id, user.name]));
  return (ids, start, end) => {
    let text = '';
    for (let i = start; i < end; i++) text += `@[${names.get(ids[i]!)}](user:${ids[i]}) `;
    return text;
  };
}

/** Mostly one-liners, some short paragraphs, a few long write-ups with a checklist. */
function body(rng: Random): string {
  const roll = rng.next();
  if (roll < 0.45) return rng.pick(COMMENT_REPLIES);
  if (roll < 0.88) {
    return `${rng.pick(COMMENT_OPENERS)} ${sentences(rng, 1 + rng.int(2))}`;
  }
  const paragraphs: string[] = [];
  for (let p = 1 + rng.int(3); p > 0; p--) paragraphs.push(sentences(rng, 2 + rng.int(3)));
  const steps: string[] = [];
  for (let s = 2 + rng.int(4); s > 0; s--) steps.push(`- [${rng.chance(0.4) ? 'x' : ' '}] ${rng.pick(TASK_VERBS)} the ${rng.pick(TASK_NOUNS)}`);
  return `${rng.pick(COMMENT_OPENERS)}\n\n${paragraphs.join('\n\n')}\n\n${steps.join('\n')}`;
}

/** `count` different sentences in a row (consecutive in the list, from a random start). */
function sentences(rng: Random, count: number): string {
  const start = rng.int(DESCRIPTION_SENTENCES.length);
  let text = DESCRIPTION_SENTENCES[start]!;
  for (let i = 1; i < count; i++) text += ` ${DESCRIPTION_SENTENCES[(start + i) % DESCRIPTION_SENTENCES.length]}`;
  return text;
}
