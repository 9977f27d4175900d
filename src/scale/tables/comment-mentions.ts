import { commentMentions } from '../../db/schema/index';
import { commentSchedules, MENTIONS_PER_COMMENT } from '../comment-schedule';
import { timestamp } from '../timeline';
import { defineSeeder } from './table-seeder';

/** Who a comment mentions is part of its schedule (comment-schedule.ts): the comments table writes the same mentions into bodies. */
export const commentMentionsSeeder = defineSeeder(commentMentions, ['organizationId', 'commentId', 'userId', 'createdAt', 'updatedAt', 'createdBy'], {
  expectedRows: (plan) => ({ rows: Math.round(plan.options.comments * MENTIONS_PER_COMMENT), exact: false }),
  *rows(plan) {
    const schedules = commentSchedules(plan);
    for (const project of plan.projects) {
      if (project.commentCount === 0) continue;
      const schedule = schedules(project);
      for (let k = 0; k < schedule.count; k++) {
        const end = schedule.mentionStart[k + 1]!;
        if (end === schedule.mentionStart[k]) continue;
        const created = timestamp(schedule.createdMs[k]!);
        for (let m = schedule.mentionStart[k]!; m < end; m++) {
          yield [project.organization.id, schedule.id[k]!, schedule.mentionIds[m]!, created, created, schedule.authorId[k]!];
        }
      }
    }
  },
});
