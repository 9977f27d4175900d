-- The live memberships of many users at once, for re-checking the access of many open
-- subscriptions in one statement. Row-level security lets a transaction read only the
-- memberships of its one acting user (own_memberships); this returns, for each user asked
-- about, exactly what that user's own transaction would read, and nothing about anyone else.
-- Like the other cross-tenant finders: SECURITY DEFINER, owned by the migrating role,
-- executable by taskgraph_app only.
CREATE OR REPLACE FUNCTION live_memberships_of(user_ids uuid[])
RETURNS TABLE (user_id uuid, organization_id uuid, role member_role)
LANGUAGE sql
STABLE
SECURITY DEFINER
SET search_path = public, pg_temp
AS $$
  SELECT m.user_id, m.organization_id, m.role
  FROM organization_members m
  WHERE m.user_id = ANY (user_ids) AND m.deleted_at IS NULL
$$;--> statement-breakpoint
REVOKE ALL ON FUNCTION live_memberships_of(uuid[]) FROM PUBLIC;--> statement-breakpoint
GRANT EXECUTE ON FUNCTION live_memberships_of(uuid[]) TO taskgraph_app;
