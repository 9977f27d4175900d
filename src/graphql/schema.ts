import { builder } from './builder';
// Types register themselves on the builder when their module is imported; the order does not matter.
import './errors';
import '../modules/users/user.graphql';
import '../modules/viewer/viewer.graphql';
import '../modules/auth/auth.graphql';
import '../modules/organizations/organization.graphql';
import '../modules/members/member.graphql';
import '../modules/projects/project.graphql';
import '../modules/milestones/milestone.graphql';
import '../modules/labels/label.graphql';
import '../modules/tasks/task.graphql';
import '../modules/dependencies/dependency.graphql';
import '../modules/comments/comment.graphql';
import '../modules/attachments/attachment.graphql';
import '../modules/activity/activity.graphql';
import '../modules/notifications/notifications.graphql';
import '../modules/live/live.graphql';
import '../modules/presence/presence.graphql';

export const schema = builder.toSchema({ sortSchema: true });
