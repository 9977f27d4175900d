ALTER TABLE comments FORCE ROW LEVEL SECURITY;--> statement-breakpoint
ALTER TABLE comment_revisions FORCE ROW LEVEL SECURITY;--> statement-breakpoint
ALTER TABLE comment_reactions FORCE ROW LEVEL SECURITY;--> statement-breakpoint
ALTER TABLE comment_mentions FORCE ROW LEVEL SECURITY;--> statement-breakpoint
ALTER TABLE task_watchers FORCE ROW LEVEL SECURITY;--> statement-breakpoint
ALTER TABLE attachments FORCE ROW LEVEL SECURITY;--> statement-breakpoint
ALTER TABLE activity_events FORCE ROW LEVEL SECURITY;--> statement-breakpoint
ALTER TABLE notifications FORCE ROW LEVEL SECURITY;--> statement-breakpoint
-- Wakes the sequencer. NOTIFY is delivered at commit (and never for a rolled-back transaction),
-- so events are published only after their transaction commits.
CREATE OR REPLACE FUNCTION notify_realtime_events() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM pg_notify('taskgraph_events', '');
  RETURN NULL;
END
$$;--> statement-breakpoint
CREATE TRIGGER activity_events_notify AFTER INSERT ON activity_events
  FOR EACH STATEMENT EXECUTE FUNCTION notify_realtime_events();--> statement-breakpoint
CREATE TRIGGER notifications_notify AFTER INSERT ON notifications
  FOR EACH STATEMENT EXECUTE FUNCTION notify_realtime_events();--> statement-breakpoint
-- The sequencer: numbers committed, not yet numbered events, oldest first, for every tenant.
-- One caller at a time (transaction advisory lock), so numbers become visible in increasing order
-- and a client resuming after cursor N never misses an event. It is the only cross-tenant
-- capability the server role has: SECURITY DEFINER, owned by the migrating role (a superuser in
-- every supported deployment, which row-level security does not apply to).
CREATE OR REPLACE FUNCTION assign_realtime_seq(batch_size integer)
RETURNS TABLE (
  stream text, seq bigint, organization_id uuid, id uuid, verb text,
  subject_type text, subject_id uuid, project_id uuid, task_id uuid, recipient_id uuid
)
LANGUAGE plpgsql
SECURITY DEFINER
SET search_path = public, pg_temp
AS $$
DECLARE
  next_seq bigint;
  numbered bigint;
BEGIN
  PERFORM pg_advisory_xact_lock(hashtextextended('taskgraph.realtime_seq', 0));
  next_seq := nextval('realtime_event_seq');

  RETURN QUERY
  WITH pending AS (
    SELECT e.organization_id, e.id, row_number() OVER (ORDER BY e.created_at, e.id) AS n
    FROM (
      SELECT a.organization_id, a.id, a.created_at FROM activity_events a
      WHERE a.seq IS NULL ORDER BY a.created_at, a.id LIMIT batch_size FOR UPDATE
    ) e
  )
  UPDATE activity_events a SET seq = next_seq + p.n - 1
  FROM pending p
  WHERE a.organization_id = p.organization_id AND a.id = p.id
  RETURNING 'activity'::text, a.seq, a.organization_id, a.id, a.verb, a.subject_type, a.subject_id, a.project_id, a.task_id, NULL::uuid;
  GET DIAGNOSTICS numbered = ROW_COUNT;
  next_seq := next_seq + numbered;

  RETURN QUERY
  WITH pending AS (
    SELECT e.organization_id, e.id, row_number() OVER (ORDER BY e.created_at, e.id) AS n
    FROM (
      SELECT x.organization_id, x.id, x.created_at FROM notifications x
      WHERE x.seq IS NULL ORDER BY x.created_at, x.id LIMIT batch_size FOR UPDATE
    ) e
  )
  UPDATE notifications x SET seq = next_seq + p.n - 1
  FROM pending p
  WHERE x.organization_id = p.organization_id AND x.id = p.id
  RETURNING 'notification'::text, x.seq, x.organization_id, x.id, x.kind::text, 'notification'::text, x.id, NULL::uuid, x.task_id, x.recipient_id;
  GET DIAGNOSTICS numbered = ROW_COUNT;
  next_seq := next_seq + numbered;

  -- The next number handed out is the first one not used (no holes when nothing was pending).
  PERFORM setval('realtime_event_seq', next_seq, false);
END
$$;--> statement-breakpoint
REVOKE ALL ON FUNCTION assign_realtime_seq(integer) FROM PUBLIC;--> statement-breakpoint
GRANT EXECUTE ON FUNCTION assign_realtime_seq(integer) TO taskgraph_app;
