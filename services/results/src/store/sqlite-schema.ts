/**
 * The SQLite store's schema, as numbered migrations. `PRAGMA user_version` holds how many have
 * been applied; opening a store applies the missing ones in one transaction. Append new
 * migrations; never edit a released one.
 */
import type { DatabaseSync } from "node:sqlite";
import { StoreIncompatible } from "../errors.js";

export const MIGRATIONS: readonly string[] = [
  `
  CREATE TABLE tasks (
    id TEXT PRIMARY KEY,
    title TEXT NOT NULL,
    description TEXT NOT NULL,
    environment TEXT NOT NULL,
    status TEXT NOT NULL,
    pass_sla INTEGER NOT NULL,
    runner_id TEXT,
    reason TEXT,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    started_at TEXT,
    finished_at TEXT,
    iterations INTEGER NOT NULL,
    failed_iterations INTEGER NOT NULL,
    placeholder INTEGER NOT NULL,
    tags TEXT NOT NULL,
    scenarios TEXT NOT NULL,
    source TEXT NOT NULL,
    args TEXT NOT NULL,
    input TEXT NOT NULL,
    task TEXT NOT NULL,
    search_text TEXT NOT NULL
  );
  CREATE INDEX tasks_by_created ON tasks (created_at DESC, id DESC);
  CREATE INDEX tasks_by_status ON tasks (status, created_at DESC, id DESC);
  CREATE INDEX tasks_by_environment ON tasks (environment, created_at DESC, id DESC);

  CREATE TABLE task_tags (
    tag TEXT NOT NULL,
    task_id TEXT NOT NULL,
    PRIMARY KEY (tag, task_id)
  ) WITHOUT ROWID;
  CREATE INDEX task_tags_by_task ON task_tags (task_id);

  CREATE TABLE task_scenarios (
    scenario TEXT NOT NULL,
    task_id TEXT NOT NULL,
    PRIMARY KEY (scenario, task_id)
  ) WITHOUT ROWID;
  CREATE INDEX task_scenarios_by_task ON task_scenarios (task_id);

  CREATE TABLE workloads (
    id TEXT PRIMARY KEY,
    task_id TEXT NOT NULL,
    subtask_index INTEGER NOT NULL,
    position INTEGER NOT NULL,
    subtask_title TEXT NOT NULL,
    spec TEXT NOT NULL,
    expected_iterations INTEGER,
    status TEXT NOT NULL,
    start_time REAL,
    load_duration REAL NOT NULL,
    full_duration REAL NOT NULL,
    total_iteration_count INTEGER NOT NULL,
    failed_iteration_count INTEGER NOT NULL,
    stored_iteration_count INTEGER NOT NULL,
    stored_failed_count INTEGER NOT NULL,
    min_duration REAL,
    max_duration REAL,
    pass_sla INTEGER NOT NULL,
    sla_results TEXT NOT NULL,
    contexts_results TEXT NOT NULL,
    hook_results TEXT NOT NULL,
    statistics TEXT,
    placeholder INTEGER NOT NULL,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
  );
  CREATE INDEX workloads_by_task ON workloads (task_id, subtask_index, position);

  -- The bucket pattern: ordered JSON arrays of iteration records. 'seqs' repeats the records'
  -- seq numbers so de-duplication and paging read numbers, not whole records.
  CREATE TABLE iteration_chunks (
    workload_id TEXT NOT NULL,
    runner_id TEXT NOT NULL,
    first_seq INTEGER NOT NULL,
    last_seq INTEGER NOT NULL,
    task_id TEXT NOT NULL,
    record_count INTEGER NOT NULL,
    failed_count INTEGER NOT NULL,
    seqs TEXT NOT NULL,
    records TEXT NOT NULL,
    PRIMARY KEY (workload_id, first_seq, runner_id)
  );
  CREATE INDEX iteration_chunks_by_tail ON iteration_chunks (workload_id, last_seq);
  CREATE INDEX iteration_chunks_by_task ON iteration_chunks (task_id);

  CREATE TABLE applied_events (
    event_id TEXT PRIMARY KEY,
    task_id TEXT NOT NULL,
    applied_at TEXT NOT NULL
  ) WITHOUT ROWID;
  CREATE INDEX applied_events_by_task ON applied_events (task_id);

  CREATE TABLE parked_events (
    stream_seq INTEGER PRIMARY KEY,
    subject TEXT NOT NULL,
    event_id TEXT,
    reason TEXT NOT NULL,
    raw TEXT NOT NULL,
    parked_at TEXT NOT NULL
  );

  CREATE TABLE deleted_tasks (
    task_id TEXT PRIMARY KEY,
    deleted_at TEXT NOT NULL
  ) WITHOUT ROWID;
  `,
  `
  -- Each chunk's statistics digest (statistics/iteration-digest.ts): shapes as JSON text, numbers
  -- as little-endian float64s. NULL on chunks written before; those are digested when read.
  ALTER TABLE iteration_chunks ADD COLUMN digest_shapes TEXT;
  ALTER TABLE iteration_chunks ADD COLUMN digest BLOB;
  `,
  `
  -- Workloads whose chunks are to be compacted after the transaction that scheduled it.
  CREATE TABLE pending_compactions (
    workload_id TEXT PRIMARY KEY
  ) WITHOUT ROWID;
  `,
  `
  -- 1: the chunk's records are written one per line by store/iteration-lines.ts (Rally-first,
  -- exported without parsing). 0: written before, as plain JSON; read by parsing.
  ALTER TABLE iteration_chunks ADD COLUMN line_format INTEGER NOT NULL DEFAULT 0;
  `,
];

/** Brings the database to the latest schema; refuses a database written by a newer version. */
export function migrate(db: DatabaseSync, file: string): void {
  const row = db.prepare("PRAGMA user_version").get() as { user_version: number } | undefined;
  const version = row?.user_version ?? 0;
  if (version > MIGRATIONS.length) {
    throw new StoreIncompatible(
      `${file} has schema version ${version}, newer than this results service knows (${MIGRATIONS.length}). Run a newer Paddock, or point PADDOCK_DATA_DIR elsewhere.`,
    );
  }
  if (version === MIGRATIONS.length) return;
  db.exec("BEGIN IMMEDIATE");
  try {
    for (let next = version; next < MIGRATIONS.length; next += 1) db.exec(MIGRATIONS[next] as string);
    db.exec(`PRAGMA user_version = ${MIGRATIONS.length}`);
    db.exec("COMMIT");
  } catch (error) {
    db.exec("ROLLBACK");
    throw error;
  }
}
