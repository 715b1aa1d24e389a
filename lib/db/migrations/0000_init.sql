CREATE TABLE "runs" (
	"id" text PRIMARY KEY NOT NULL,
	"kind" text NOT NULL,
	"model" text,
	"owner_id" text,
	"input" jsonb NOT NULL,
	"status" text DEFAULT 'running' NOT NULL,
	"end_reason" text,
	"result" jsonb,
	"metrics" jsonb,
	"error" jsonb,
	"last_seq" integer DEFAULT 0 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"ended_at" timestamp with time zone
);
--> statement-breakpoint
CREATE INDEX "runs_owner_created_idx" ON "runs" USING btree ("owner_id","created_at" DESC NULLS LAST);--> statement-breakpoint
CREATE INDEX "runs_kind_created_idx" ON "runs" USING btree ("kind","created_at" DESC NULLS LAST);--> statement-breakpoint
CREATE INDEX "runs_running_idx" ON "runs" USING btree ("status") WHERE "runs"."status" = 'running';