// The comments module's GraphQL entry (imported by graphql/schema.ts).
export { Comment } from './comment.type';
import './comment-thread.graphql';
import './comment-mutations.graphql';
import './comment-subscriptions.graphql';
