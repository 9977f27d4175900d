CREATE TYPE "public"."attachment_status" AS ENUM('pending', 'ready');--> statement-breakpoint
CREATE TYPE "public"."watch_reason" AS ENUM('creator', 'assignee', 'commenter', 'mentioned', 'manual');--> statement-breakpoint
CREATE TYPE "public"."notification_kind" AS ENUM('assigned', 'mentioned', 'commented', 'due_soon', 'unblocked');--> statement-breakpoint
CREATE SEQUENCE "public"."realtime_event_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1;--> statement-breakpoint
CREATE TABLE "attachments" (
	"id" uuid NOT NULL,
	"organization_id" uuid NOT NULL,
	"task_id" uuid,
	"comment_id" uuid,
	"filename" text NOT NULL,
	"content_type" text NOT NULL,
	"size_bytes" bigint NOT NULL,
	"storage_key" text NOT NULL,
	"status" "attachment_status" DEFAULT 'pending' NOT NULL,
	"confirmed_at" timestamp (3) with time zone,
	"created_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	"created_by" uuid,
	"deleted_at" timestamp (3) with time zone,
	CONSTRAINT "attachments_organization_id_id_pk" PRIMARY KEY("organization_id","id"),
	CONSTRAINT "attachments_one_target" CHECK (num_nonnulls("attachments"."task_id", "attachments"."comment_id") = 1),
	CONSTRAINT "attachments_size_positive" CHECK ("attachments"."size_bytes" > 0)
);
--> statement-breakpoint
ALTER TABLE "attachments" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
CREATE TABLE "comment_mentions" (
	"organization_id" uuid NOT NULL,
	"comment_id" uuid NOT NULL,
	"user_id" uuid NOT NULL,
	"created_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	"created_by" uuid,
	CONSTRAINT "comment_mentions_organization_id_comment_id_user_id_pk" PRIMARY KEY("organization_id","comment_id","user_id")
);
--> statement-breakpoint
ALTER TABLE "comment_mentions" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
CREATE TABLE "comment_reactions" (
	"organization_id" uuid NOT NULL,
	"comment_id" uuid NOT NULL,
	"user_id" uuid NOT NULL,
	"emoji" text NOT NULL,
	"created_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	"created_by" uuid,
	CONSTRAINT "comment_reactions_organization_id_comment_id_user_id_emoji_pk" PRIMARY KEY("organization_id","comment_id","user_id","emoji"),
	CONSTRAINT "comment_reactions_emoji_length" CHECK (char_length("comment_reactions"."emoji") between 1 and 32)
);
--> statement-breakpoint
ALTER TABLE "comment_reactions" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
CREATE TABLE "comment_revisions" (
	"id" uuid NOT NULL,
	"organization_id" uuid NOT NULL,
	"comment_id" uuid NOT NULL,
	"body" text NOT NULL,
	"created_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	"created_by" uuid,
	CONSTRAINT "comment_revisions_organization_id_id_pk" PRIMARY KEY("organization_id","id")
);
--> statement-breakpoint
ALTER TABLE "comment_revisions" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
CREATE TABLE "comments" (
	"id" uuid NOT NULL,
	"organization_id" uuid NOT NULL,
	"task_id" uuid,
	"project_id" uuid,
	"author_id" uuid NOT NULL,
	"body" text NOT NULL,
	"edited_at" timestamp (3) with time zone,
	"created_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	"created_by" uuid,
	"deleted_at" timestamp (3) with time zone,
	CONSTRAINT "comments_organization_id_id_pk" PRIMARY KEY("organization_id","id"),
	CONSTRAINT "comments_one_target" CHECK (num_nonnulls("comments"."task_id", "comments"."project_id") = 1),
	CONSTRAINT "comments_body_length" CHECK (char_length("comments"."body") between 1 and 20000)
);
--> statement-breakpoint
ALTER TABLE "comments" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
CREATE TABLE "task_watchers" (
	"organization_id" uuid NOT NULL,
	"task_id" uuid NOT NULL,
	"user_id" uuid NOT NULL,
	"watching" boolean DEFAULT true NOT NULL,
	"reason" "watch_reason" NOT NULL,
	"created_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	"created_by" uuid,
	CONSTRAINT "task_watchers_organization_id_task_id_user_id_pk" PRIMARY KEY("organization_id","task_id","user_id")
);
--> statement-breakpoint
ALTER TABLE "task_watchers" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
CREATE TABLE "activity_events" (
	"id" uuid NOT NULL,
	"organization_id" uuid NOT NULL,
	"seq" bigint,
	"actor_id" uuid,
	"verb" text NOT NULL,
	"subject_type" text NOT NULL,
	"subject_id" uuid NOT NULL,
	"project_id" uuid,
	"task_id" uuid,
	"changes" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"created_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "activity_events_organization_id_id_pk" PRIMARY KEY("organization_id","id")
);
--> statement-breakpoint
ALTER TABLE "activity_events" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
CREATE TABLE "notifications" (
	"id" uuid NOT NULL,
	"organization_id" uuid NOT NULL,
	"seq" bigint,
	"recipient_id" uuid NOT NULL,
	"kind" "notification_kind" NOT NULL,
	"actor_id" uuid,
	"task_id" uuid,
	"comment_id" uuid,
	"activity_id" uuid,
	"dedupe_key" text,
	"read_at" timestamp (3) with time zone,
	"archived_at" timestamp (3) with time zone,
	"created_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "notifications_organization_id_id_pk" PRIMARY KEY("organization_id","id")
);
--> statement-breakpoint
ALTER TABLE "notifications" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
ALTER TABLE "attachments" ADD CONSTRAINT "attachments_task_fk" FOREIGN KEY ("organization_id","task_id") REFERENCES "public"."tasks"("organization_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "attachments" ADD CONSTRAINT "attachments_comment_fk" FOREIGN KEY ("organization_id","comment_id") REFERENCES "public"."comments"("organization_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "comment_mentions" ADD CONSTRAINT "comment_mentions_comment_fk" FOREIGN KEY ("organization_id","comment_id") REFERENCES "public"."comments"("organization_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "comment_mentions" ADD CONSTRAINT "comment_mentions_member_fk" FOREIGN KEY ("organization_id","user_id") REFERENCES "public"."organization_members"("organization_id","user_id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "comment_reactions" ADD CONSTRAINT "comment_reactions_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "comment_reactions" ADD CONSTRAINT "comment_reactions_comment_fk" FOREIGN KEY ("organization_id","comment_id") REFERENCES "public"."comments"("organization_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "comment_revisions" ADD CONSTRAINT "comment_revisions_comment_fk" FOREIGN KEY ("organization_id","comment_id") REFERENCES "public"."comments"("organization_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "comments" ADD CONSTRAINT "comments_author_id_users_id_fk" FOREIGN KEY ("author_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "comments" ADD CONSTRAINT "comments_task_fk" FOREIGN KEY ("organization_id","task_id") REFERENCES "public"."tasks"("organization_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "comments" ADD CONSTRAINT "comments_project_fk" FOREIGN KEY ("organization_id","project_id") REFERENCES "public"."projects"("organization_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "task_watchers" ADD CONSTRAINT "task_watchers_task_fk" FOREIGN KEY ("organization_id","task_id") REFERENCES "public"."tasks"("organization_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "task_watchers" ADD CONSTRAINT "task_watchers_member_fk" FOREIGN KEY ("organization_id","user_id") REFERENCES "public"."organization_members"("organization_id","user_id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "activity_events" ADD CONSTRAINT "activity_events_actor_id_users_id_fk" FOREIGN KEY ("actor_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "notifications" ADD CONSTRAINT "notifications_recipient_id_users_id_fk" FOREIGN KEY ("recipient_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "notifications" ADD CONSTRAINT "notifications_actor_id_users_id_fk" FOREIGN KEY ("actor_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "attachments_task_idx" ON "attachments" USING btree ("organization_id","task_id") WHERE "attachments"."task_id" is not null;--> statement-breakpoint
CREATE INDEX "attachments_comment_idx" ON "attachments" USING btree ("organization_id","comment_id") WHERE "attachments"."comment_id" is not null;--> statement-breakpoint
CREATE INDEX "comment_mentions_user_idx" ON "comment_mentions" USING btree ("organization_id","user_id");--> statement-breakpoint
CREATE INDEX "comment_revisions_comment_idx" ON "comment_revisions" USING btree ("organization_id","comment_id","created_at");--> statement-breakpoint
CREATE INDEX "comments_task_thread_idx" ON "comments" USING btree ("organization_id","task_id","created_at","id") WHERE "comments"."task_id" is not null;--> statement-breakpoint
CREATE INDEX "comments_project_thread_idx" ON "comments" USING btree ("organization_id","project_id","created_at","id") WHERE "comments"."project_id" is not null;--> statement-breakpoint
CREATE INDEX "task_watchers_user_idx" ON "task_watchers" USING btree ("organization_id","user_id");--> statement-breakpoint
CREATE UNIQUE INDEX "activity_events_seq_key" ON "activity_events" USING btree ("seq") WHERE "activity_events"."seq" is not null;--> statement-breakpoint
CREATE INDEX "activity_events_org_seq_idx" ON "activity_events" USING btree ("organization_id","seq") WHERE "activity_events"."seq" is not null;--> statement-breakpoint
CREATE INDEX "activity_events_project_seq_idx" ON "activity_events" USING btree ("organization_id","project_id","seq") WHERE "activity_events"."seq" is not null;--> statement-breakpoint
CREATE INDEX "activity_events_task_seq_idx" ON "activity_events" USING btree ("organization_id","task_id","seq") WHERE "activity_events"."seq" is not null;--> statement-breakpoint
CREATE INDEX "activity_events_actor_seq_idx" ON "activity_events" USING btree ("organization_id","actor_id","seq") WHERE "activity_events"."seq" is not null;--> statement-breakpoint
CREATE INDEX "activity_events_unsequenced_idx" ON "activity_events" USING btree ("created_at") WHERE "activity_events"."seq" is null;--> statement-breakpoint
CREATE UNIQUE INDEX "notifications_seq_key" ON "notifications" USING btree ("seq") WHERE "notifications"."seq" is not null;--> statement-breakpoint
CREATE INDEX "notifications_inbox_idx" ON "notifications" USING btree ("recipient_id","created_at","id") WHERE "notifications"."archived_at" is null;--> statement-breakpoint
CREATE INDEX "notifications_recipient_seq_idx" ON "notifications" USING btree ("recipient_id","seq") WHERE "notifications"."seq" is not null;--> statement-breakpoint
CREATE INDEX "notifications_unread_idx" ON "notifications" USING btree ("recipient_id") WHERE "notifications"."read_at" is null and "notifications"."archived_at" is null;--> statement-breakpoint
CREATE INDEX "notifications_unsequenced_idx" ON "notifications" USING btree ("created_at") WHERE "notifications"."seq" is null;--> statement-breakpoint
CREATE UNIQUE INDEX "notifications_dedupe_key" ON "notifications" USING btree ("organization_id","recipient_id","dedupe_key") WHERE "notifications"."dedupe_key" is not null;--> statement-breakpoint
CREATE POLICY "tenant_isolation" ON "attachments" AS PERMISSIVE FOR ALL TO public USING (organization_id = any((nullif(current_setting('app.organization_ids', true), ''))::uuid[])) WITH CHECK (organization_id = any((nullif(current_setting('app.organization_ids', true), ''))::uuid[]));--> statement-breakpoint
CREATE POLICY "tenant_isolation" ON "comment_mentions" AS PERMISSIVE FOR ALL TO public USING (organization_id = any((nullif(current_setting('app.organization_ids', true), ''))::uuid[])) WITH CHECK (organization_id = any((nullif(current_setting('app.organization_ids', true), ''))::uuid[]));--> statement-breakpoint
CREATE POLICY "tenant_isolation" ON "comment_reactions" AS PERMISSIVE FOR ALL TO public USING (organization_id = any((nullif(current_setting('app.organization_ids', true), ''))::uuid[])) WITH CHECK (organization_id = any((nullif(current_setting('app.organization_ids', true), ''))::uuid[]));--> statement-breakpoint
CREATE POLICY "tenant_isolation" ON "comment_revisions" AS PERMISSIVE FOR ALL TO public USING (organization_id = any((nullif(current_setting('app.organization_ids', true), ''))::uuid[])) WITH CHECK (organization_id = any((nullif(current_setting('app.organization_ids', true), ''))::uuid[]));--> statement-breakpoint
CREATE POLICY "tenant_isolation" ON "comments" AS PERMISSIVE FOR ALL TO public USING (organization_id = any((nullif(current_setting('app.organization_ids', true), ''))::uuid[])) WITH CHECK (organization_id = any((nullif(current_setting('app.organization_ids', true), ''))::uuid[]));--> statement-breakpoint
CREATE POLICY "tenant_isolation" ON "task_watchers" AS PERMISSIVE FOR ALL TO public USING (organization_id = any((nullif(current_setting('app.organization_ids', true), ''))::uuid[])) WITH CHECK (organization_id = any((nullif(current_setting('app.organization_ids', true), ''))::uuid[]));--> statement-breakpoint
CREATE POLICY "tenant_isolation" ON "activity_events" AS PERMISSIVE FOR ALL TO public USING (organization_id = any((nullif(current_setting('app.organization_ids', true), ''))::uuid[])) WITH CHECK (organization_id = any((nullif(current_setting('app.organization_ids', true), ''))::uuid[]));--> statement-breakpoint
CREATE POLICY "recipient_reads" ON "notifications" AS RESTRICTIVE FOR SELECT TO public USING (recipient_id = (nullif(current_setting('app.user_id', true), ''))::uuid);--> statement-breakpoint
CREATE POLICY "recipient_updates" ON "notifications" AS RESTRICTIVE FOR UPDATE TO public USING (recipient_id = (nullif(current_setting('app.user_id', true), ''))::uuid);--> statement-breakpoint
CREATE POLICY "recipient_deletes" ON "notifications" AS RESTRICTIVE FOR DELETE TO public USING (recipient_id = (nullif(current_setting('app.user_id', true), ''))::uuid);--> statement-breakpoint
CREATE POLICY "tenant_isolation" ON "notifications" AS PERMISSIVE FOR ALL TO public USING (organization_id = any((nullif(current_setting('app.organization_ids', true), ''))::uuid[])) WITH CHECK (organization_id = any((nullif(current_setting('app.organization_ids', true), ''))::uuid[]));