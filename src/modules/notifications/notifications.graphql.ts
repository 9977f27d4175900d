// The notifications module's GraphQL entry (imported by graphql/schema.ts).
export { Notification, NotificationKindEnum } from './notification.graphql';
import './inbox.graphql';
import './watcher.graphql';
