import { commentReactions } from '../../db/schema/index';
import { commentSchedules } from '../comment-schedule';
import { DATASET_NOW, HOUR, MINUTE, timestamp } from '../timeline';
import { REACTION_EMOJI } from '../vocabulary';
import { defineSeeder, type Cell } from './table-seeder';

/** Comments that get any reaction; those get 1 to 4 (the mean below), a popular emoji often several times. */
const REACTED_COMMENTS = 0.22;
const MAX_REACTIONS = 4;
const MEAN_REACTIONS = 1.9;

export const commentReactionsSeeder = defineSeeder(
  commentReactions,
  ['organizationId', 'commentId', 'userId', 'emoji', 'createdAt', 'updatedAt', 'createdBy'],
  {
    expectedRows: (plan) => ({ rows: Math.round(plan.options.comments * REACTED_COMMENTS * MEAN_REACTIONS), exact: false }),
    *rows(plan) {
      const schedules = commentSchedules(plan);
      const streams = plan.random.streams('comment-reactions');
      // One reaction per user and emoji (the primary key): pairs already used on the current comment.
      const given = new Set<string>();
      for (const project of plan.projects) {
        if (project.commentCount === 0) continue;
        const schedule = schedules(project);
        const rng = streams(project.index);
        const { members, id: organizationId } = project.organization;
        for (let k = 0; k < schedule.count; k++) {
          if (!rng.chance(REACTED_COMMENTS)) continue;
          given.clear();
          for (let n = 1 + rng.skewedIndex(MAX_REACTIONS, 1.5); n > 0; n--) {
            // Anyone in the organization may react (viewers too), except the author to their own comment.
            const userId = members[rng.skewedIndex(members.length, 1.5)]!.userId;
            const emoji = REACTION_EMOJI[rng.skewedIndex(REACTION_EMOJI.length, 2.2)]!;
            if (userId === schedule.authorId[k] || given.has(userId + emoji)) continue;
            given.add(userId + emoji);
            const reactedMs = Math.min(DATASET_NOW - 1, schedule.createdMs[k]! + MINUTE + Math.floor(rng.exponential(6 * HOUR)));
            const reacted = timestamp(reactedMs);
            const row: Cell[] = [organizationId, schedule.id[k]!, userId, emoji, reacted, reacted, userId];
            yield row;
          }
        }
      }
    },
  },
);
