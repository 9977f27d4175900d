-- The server connects as taskgraph_app: not the owner, not a superuser, no BYPASSRLS,
-- so every tenant row it touches goes through the policies created in 0000.
DO $$
BEGIN
  IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'taskgraph_app') THEN
    CREATE ROLE taskgraph_app LOGIN NOSUPERUSER NOBYPASSRLS NOCREATEDB NOCREATEROLE;
  END IF;
END
$$;--> statement-breakpoint
GRANT USAGE ON SCHEMA public TO taskgraph_app;--> statement-breakpoint
GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO taskgraph_app;--> statement-breakpoint
ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO taskgraph_app;--> statement-breakpoint
-- Reference data is read-only for the server.
REVOKE INSERT, UPDATE, DELETE ON plans FROM taskgraph_app;--> statement-breakpoint
-- FORCE makes the policies apply to the table owner as well.
ALTER TABLE organizations FORCE ROW LEVEL SECURITY;--> statement-breakpoint
ALTER TABLE organization_members FORCE ROW LEVEL SECURITY;--> statement-breakpoint
ALTER TABLE invitations FORCE ROW LEVEL SECURITY;--> statement-breakpoint
ALTER TABLE projects FORCE ROW LEVEL SECURITY;--> statement-breakpoint
ALTER TABLE milestones FORCE ROW LEVEL SECURITY;--> statement-breakpoint
ALTER TABLE tasks FORCE ROW LEVEL SECURITY;--> statement-breakpoint
ALTER TABLE labels FORCE ROW LEVEL SECURITY;--> statement-breakpoint
ALTER TABLE task_labels FORCE ROW LEVEL SECURITY;--> statement-breakpoint
ALTER TABLE task_dependencies FORCE ROW LEVEL SECURITY;--> statement-breakpoint
INSERT INTO plans (id, name, max_projects, max_members, features) VALUES
  ('free', 'Free', 10, 10, '{"milestones": true, "dependencies": true, "guestViewers": false}'),
  ('team', 'Team', 200, 500, '{"milestones": true, "dependencies": true, "guestViewers": true}'),
  ('enterprise', 'Enterprise', NULL, NULL, '{"milestones": true, "dependencies": true, "guestViewers": true}')
ON CONFLICT (id) DO NOTHING;
