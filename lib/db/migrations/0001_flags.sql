CREATE TABLE "flag_settings" (
	"key" text PRIMARY KEY NOT NULL,
	"kill_switch" boolean DEFAULT false NOT NULL,
	"percentage" integer DEFAULT 0 NOT NULL,
	"allowlist" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"default_value" boolean DEFAULT false NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "flag_settings_percentage_range" CHECK ("flag_settings"."percentage" between 0 and 100)
);
--> statement-breakpoint
CREATE TABLE "user_preferences" (
	"user_id" text PRIMARY KEY NOT NULL,
	"streaming" boolean,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
