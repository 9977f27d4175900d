-- Finders for the background jobs, so that they run on the server's own role. The app role cannot
-- see across organizations (row-level security), and a job must find its work in all of them.
-- Each finder returns only what routes the work (the organization and ids); the job then does the
-- work organization by organization, in a transaction scoped to that tenant, where row-level
-- security applies as usual. Like assign_realtime_seq(): SECURITY DEFINER, owned by the migrating
-- role (a superuser in every supported deployment, which row-level security does not apply to),
-- callable by taskgraph_app only.

-- The due-soon job: open tasks due between two dates (inclusive) in every organization, that is
-- live tasks not done or canceled, in live, active projects of live organizations.
CREATE OR REPLACE FUNCTION find_open_tasks_due_between(due_from date, due_to date)
RETURNS TABLE (organization_id uuid, task_id uuid, assignee_id uuid, due_date date)
LANGUAGE sql
STABLE
SECURITY DEFINER
SET search_path = public, pg_temp
AS $$
  SELECT t.organization_id, t.id, t.assignee_id, t.due_date
  FROM tasks t
  JOIN projects p
    ON p.organization_id = t.organization_id AND p.id = t.project_id
   AND p.deleted_at IS NULL AND p.status = 'active'
  JOIN organizations o ON o.id = t.organization_id AND o.deleted_at IS NULL
  WHERE t.deleted_at IS NULL
    AND t.status NOT IN ('done', 'canceled')
    AND t.due_date IS NOT NULL
    AND t.due_date >= due_from
    AND t.due_date <= due_to
  ORDER BY t.organization_id, t.due_date, t.id
$$;--> statement-breakpoint
REVOKE ALL ON FUNCTION find_open_tasks_due_between(date, date) FROM PUBLIC;--> statement-breakpoint
GRANT EXECUTE ON FUNCTION find_open_tasks_due_between(date, date) TO taskgraph_app;--> statement-breakpoint
-- The upload sweeper: attachments still pending (never confirmed) that were requested before
-- `created_before`, oldest first, at most `batch_size` of them. The sweeper re-checks and locks
-- each one in its tenant's transaction before it deletes anything.
CREATE OR REPLACE FUNCTION find_abandoned_uploads(created_before timestamptz, batch_size integer)
RETURNS TABLE (organization_id uuid, id uuid, storage_key text)
LANGUAGE sql
STABLE
SECURITY DEFINER
SET search_path = public, pg_temp
AS $$
  SELECT a.organization_id, a.id, a.storage_key
  FROM attachments a
  WHERE a.status = 'pending' AND a.created_at < created_before
  ORDER BY a.created_at, a.id
  LIMIT batch_size
$$;--> statement-breakpoint
REVOKE ALL ON FUNCTION find_abandoned_uploads(timestamptz, integer) FROM PUBLIC;--> statement-breakpoint
GRANT EXECUTE ON FUNCTION find_abandoned_uploads(timestamptz, integer) TO taskgraph_app;
