/** A numbered event as the sequencer hands it out and pub/sub carries it: ids and routing, never row contents. */
export type RealtimeEvent = {
  /**
   * `presence` and `access` events are wake-up calls between instances (seq 0): never numbered, never replayed.
   * `access`: a user's sessions or memberships may have changed, so their open subscriptions re-check now.
   */
  stream: 'activity' | 'notification' | 'presence' | 'access';
  /** The cursor: increasing in the order events became visible; clients resume with `after: seq`. */
  seq: number;
  organizationId: string;
  /** The activity event's or the notification's id. */
  id: string;
  /** Activity verb (`comment.created`, `task.updated` …) or notification kind. */
  verb: string;
  subjectType: string;
  subjectId: string;
  projectId: string | null;
  taskId: string | null;
  /** Notifications only. */
  recipientId: string | null;
};
