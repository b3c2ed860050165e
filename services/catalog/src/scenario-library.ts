/**
 * The scenario library: every task file under `<root>/<service>/**`, read into memory, kept
 * current by watching the folder (recursively; a change is rescanned after a short quiet
 * period), searchable, and editable (a save is atomic and stays inside the root).
 *
 * A file that cannot be loaded is listed with its problem and never hides the others. Hidden
 * files and folders, `_fragments` (include-only files), `_folders` (such as `_contexts`, the
 * context presets) and symbolic links are not scenarios.
 */
import { type Dirent, type FSWatcher, watch } from "node:fs";
import { access, constants, readdir, readFile, stat } from "node:fs/promises";
import { dirname, join, relative, sep } from "node:path";
import type { Logger } from "@paddock/http";
import type {
  RenderScenarioResponse,
  ScenarioDetail,
  ScenarioList,
  ScenarioQuery,
  ScenarioSummary,
  ServiceList,
  WorkloadOverrides,
} from "@paddock/shared/api";
import { Conflict, describeError, ScenarioNotFound, TaskFileInvalid } from "@paddock/shared/errors";
import type { TaskSpec } from "@paddock/shared/task-model";
import {
  applyOverrides,
  checkTaskSpec,
  hashText,
  hasIncludes,
  loadRenderedTask,
  renderTemplate,
  type TaskArgs,
} from "@paddock/tasks";
import { ScenarioTooLarge } from "./catalog-errors.js";
import { createFile, locateScenario, removeFile, replaceFile } from "./library-files.js";
import { checkScenarioId, isLibraryFolderName, isScenarioFileName } from "./scenario-id.js";
import { problemsOf, readScenario, type ScenarioEntry, scenarioTextProblems } from "./scenario-reader.js";

export interface ScenarioLibraryOptions {
  /** The library folder (`scenarios/`). */
  readonly root: string;
  readonly logger: Logger;
  /** Watch the folder and rescan on changes. Default true. */
  readonly watch?: boolean;
  /** Quiet period after a change before rescanning, in milliseconds. Default 100. */
  readonly debounceMs?: number;
  /** While the root folder is missing, how often to look for it, in milliseconds. Default 1000. */
  readonly rootPollMs?: number;
  /** Largest scenario text a save accepts, in bytes. Default `DEFAULT_MAX_SCENARIO_BYTES`. */
  readonly maxScenarioBytes?: number;
}

/** Largest scenario text a save accepts by default, in bytes (512 KiB). */
export const DEFAULT_MAX_SCENARIO_BYTES = 512 * 1024;

export interface ScenarioLibrary {
  /** Scenarios grouped by service folder (sorted), filtered by `query`. */
  list(query?: ScenarioQuery): ScenarioList;
  /** Service folders with their scenario counts, sorted. */
  services(): ServiceList;
  /** One scenario with its text. Throws `RequestInvalid` for a bad id, `ScenarioNotFound`. */
  get(id: string): ScenarioDetail;
  /**
   * Writes a scenario file atomically (creating its service folder) and returns it as loaded.
   * With `baseHash`, refuses (`Conflict`) when the file changed since that version.
   */
  save(id: string, raw: string, baseHash?: string): Promise<ScenarioDetail>;
  /**
   * Writes a new scenario file atomically (creating its folders); `Conflict` when it exists.
   * Like `save`, refuses a text that does not load (`TaskFileInvalid`) or is too large.
   */
  create(id: string, raw: string): Promise<ScenarioDetail>;
  /** Removes a scenario file; with `baseHash`, only if it has not changed since that version. */
  delete(id: string, baseHash?: string): Promise<void>;
  /**
   * Renders a scenario with `args`, applies `overrides` and checks the result, starting nothing.
   * Render and load problems are answered, not thrown; overrides that do not fit the task throw
   * `RequestInvalid`.
   */
  render(id: string, args?: TaskArgs, overrides?: WorkloadOverrides): RenderScenarioResponse;
  /** Largest scenario text a save accepts, in bytes. */
  readonly maxBytes: number;
  /** Rescans the folder now. */
  refresh(): Promise<void>;
  /** Whether the root folder exists and can be read. */
  isReadable(): Promise<boolean>;
  /** Stops watching. */
  close(): Promise<void>;
}

const matchesQuery = (summary: ScenarioSummary, query: ScenarioQuery): boolean => {
  if (query.service !== undefined && query.service !== "" && summary.service !== query.service) return false;
  if (query.tag !== undefined && query.tag !== "") {
    const tag = query.tag.toLowerCase();
    if (!summary.tags.some((candidate) => candidate.toLowerCase() === tag)) return false;
  }
  if (query.q !== undefined && query.q.trim() !== "") {
    const needle = query.q.trim().toLowerCase();
    const haystack = [summary.id, summary.title, summary.description, ...summary.tags, ...summary.plugins];
    if (!haystack.some((text) => text.toLowerCase().includes(needle))) return false;
  }
  return true;
};

function toDetail(entry: ScenarioEntry): ScenarioDetail {
  const detail: ScenarioDetail = { ...entry.summary, raw: entry.raw };
  if (entry.expanded !== undefined) detail.expanded = entry.expanded;
  if (entry.parsed !== undefined) detail.parsed = entry.parsed;
  return detail;
}

class FolderScenarioLibrary implements ScenarioLibrary {
  private entries = new Map<string, ScenarioEntry>();
  private watcher: FSWatcher | undefined;
  private poll: NodeJS.Timeout | undefined;
  private debounce: NodeJS.Timeout | undefined;
  private scanning: Promise<void> | undefined;
  private rescanRequested = false;
  private closed = false;

  constructor(private readonly options: ScenarioLibraryOptions) {}

  private get root(): string {
    return this.options.root;
  }

  async open(): Promise<void> {
    await this.refresh();
    if (this.options.watch !== false) await this.startWatching();
  }

  list(query: ScenarioQuery = {}): ScenarioList {
    const groups = new Map<string, ScenarioSummary[]>();
    for (const entry of this.entries.values()) {
      if (!matchesQuery(entry.summary, query)) continue;
      const group = groups.get(entry.summary.service) ?? [];
      group.push(entry.summary);
      groups.set(entry.summary.service, group);
    }
    return {
      services: [...groups.keys()].sort().map((service) => ({
        service,
        scenarios: (groups.get(service) ?? []).sort((a, b) => a.id.localeCompare(b.id)),
      })),
    };
  }

  services(): ServiceList {
    const counts = new Map<string, number>();
    for (const entry of this.entries.values()) {
      counts.set(entry.summary.service, (counts.get(entry.summary.service) ?? 0) + 1);
    }
    return {
      services: [...counts.keys()]
        .sort()
        .map((service) => ({ service, scenarios: counts.get(service) ?? 0 })),
    };
  }

  get(id: string): ScenarioDetail {
    checkScenarioId(id);
    const entry = this.entries.get(id);
    if (!entry) throw new ScenarioNotFound(id);
    return toDetail(entry);
  }

  async save(id: string, raw: string, baseHash?: string): Promise<ScenarioDetail> {
    checkScenarioId(id, { file: true });
    this.checkSize(raw);
    const planned = await locateScenario(this.root, id, "plan");
    if (baseHash !== undefined) {
      const current = planned.exists ? hashText(await readFile(planned.file, "utf8")) : undefined;
      if (current !== baseHash) {
        throw new Conflict(
          current === undefined
            ? `Scenario '${id}' was deleted since it was opened; not saved`
            : `Scenario '${id}' was changed on disk since it was opened; not saved (reload it and edit again)`,
        );
      }
    }
    this.checkText(id, raw, planned.folder);
    await replaceFile(await locateScenario(this.root, id, "create"), raw);
    this.options.logger.info({ scenario: id }, `saved scenario ${id}`);
    await this.refresh();
    return this.get(id);
  }

  async create(id: string, raw: string): Promise<ScenarioDetail> {
    checkScenarioId(id, { file: true });
    this.checkSize(raw);
    const planned = await locateScenario(this.root, id, "plan");
    if (planned.exists)
      throw new Conflict(`Scenario '${id}' already exists; change it with PUT /scenarios/${id}`);
    this.checkText(id, raw, planned.folder);
    await createFile(await locateScenario(this.root, id, "create"), id, raw);
    this.options.logger.info({ scenario: id }, `created scenario ${id}`);
    await this.refresh();
    return this.get(id);
  }

  async delete(id: string, baseHash?: string): Promise<void> {
    checkScenarioId(id, { file: true });
    const location = await locateScenario(this.root, id, "existing");
    if (!location.exists) throw new ScenarioNotFound(id);
    if (baseHash !== undefined && hashText(await readFile(location.file, "utf8")) !== baseHash) {
      throw new Conflict(`Scenario '${id}' was changed on disk since it was opened; not deleted`);
    }
    await removeFile(location, id);
    this.options.logger.info({ scenario: id }, `deleted scenario ${id}`);
    await this.refresh();
  }

  render(id: string, args: TaskArgs = {}, overrides: WorkloadOverrides = []): RenderScenarioResponse {
    const detail = this.get(id);
    const base = { id, hash: detail.hash };
    const baseDir = dirname(join(this.root, ...id.split("/")));
    let rendered: string;
    try {
      rendered = renderTemplate(detail.raw, args, id, { baseDir });
    } catch (error) {
      return { ...base, valid: false, problems: problemsOf(id, error) };
    }
    let task: TaskSpec;
    try {
      task = loadRenderedTask(rendered, id).task;
    } catch (error) {
      return { ...base, rendered, valid: false, problems: problemsOf(id, error) };
    }
    if (overrides.length === 0) return { ...base, rendered, task, valid: true, problems: [] };
    const edited = applyOverrides(task, overrides);
    const problems = checkTaskSpec(edited).map((problem) => ({
      path: problem.path === "" ? "task" : problem.path,
      message: problem.message,
    }));
    return { ...base, rendered, task: edited, valid: problems.length === 0, problems };
  }

  /** Refuses a text over the size limit (`ScenarioTooLarge`, 413). */
  private checkSize(raw: string): void {
    if (Buffer.byteLength(raw, "utf8") > this.maxBytes) throw new ScenarioTooLarge(this.maxBytes);
  }

  /** Refuses a text that does not load as a task (`TaskFileInvalid`, 422, every problem listed). */
  private checkText(id: string, raw: string, folder: string): void {
    const problems = scenarioTextProblems(id, raw, folder);
    if (problems.length === 0) return;
    const listed = problems
      .map(
        (problem) =>
          `${problem.path ?? id}${problem.line === undefined ? "" : ` (line ${problem.line})`}: ${problem.message}`,
      )
      .join("; ");
    throw new TaskFileInvalid(`Scenario '${id}' was not saved: it does not load as a task: ${listed}`, {
      problems,
    });
  }

  get maxBytes(): number {
    return this.options.maxScenarioBytes ?? DEFAULT_MAX_SCENARIO_BYTES;
  }

  async isReadable(): Promise<boolean> {
    try {
      await access(this.root, constants.R_OK | constants.X_OK);
      return (await stat(this.root)).isDirectory();
    } catch {
      return false;
    }
  }

  /** Rescans; concurrent calls share one scan, and a call during a scan triggers one more. */
  refresh(): Promise<void> {
    if (this.scanning) {
      this.rescanRequested = true;
      return this.scanning;
    }
    this.scanning = (async () => {
      try {
        do {
          this.rescanRequested = false;
          await this.scan();
        } while (this.rescanRequested && !this.closed);
      } finally {
        this.scanning = undefined;
      }
    })();
    return this.scanning;
  }

  async close(): Promise<void> {
    this.closed = true;
    this.stopWatching();
    if (this.poll) clearInterval(this.poll);
    this.poll = undefined;
    await this.scanning;
  }

  private async scan(): Promise<void> {
    if (!(await this.isReadable())) {
      if (this.entries.size > 0)
        this.options.logger.warn({ root: this.root }, "scenario library folder is gone");
      this.entries = new Map();
      if (this.watcher) {
        this.stopWatching();
        this.pollForRoot();
      }
      return;
    }
    const next = new Map<string, ScenarioEntry>();
    for (const path of await this.scenarioFiles(this.root)) {
      const id = relative(this.root, path).split(sep).join("/");
      let raw: string;
      try {
        raw = await readFile(path, "utf8");
      } catch (error) {
        // Deleted between listing and reading, or unreadable: the next event rescans.
        this.options.logger.debug({ scenario: id, err: error }, `cannot read ${id}: ${describeError(error)}`);
        continue;
      }
      const previous = this.entries.get(id);
      const unchanged = previous && previous.raw === raw && !hasIncludes(raw);
      next.set(id, unchanged ? previous : readScenario(id, raw, dirname(path)));
    }
    this.entries = next;
  }

  private async scenarioFiles(folder: string, depth = 0): Promise<string[]> {
    let items: Dirent[];
    try {
      items = await readdir(folder, { withFileTypes: true });
    } catch (error) {
      if (depth > 0)
        this.options.logger.warn({ folder, err: error }, `cannot list ${folder}: ${describeError(error)}`);
      return [];
    }
    const files: string[] = [];
    for (const item of items) {
      if (!isLibraryFolderName(item.name)) continue;
      const path = join(folder, item.name);
      if (item.isDirectory()) files.push(...(await this.scenarioFiles(path, depth + 1)));
      else if (item.isFile() && depth > 0 && isScenarioFileName(item.name)) files.push(path);
    }
    return files;
  }

  private async startWatching(): Promise<void> {
    if (this.closed) return;
    if (!(await this.isReadable())) {
      this.options.logger.warn(
        { root: this.root },
        `scenario library ${this.root} is not readable; waiting for it`,
      );
      this.pollForRoot();
      return;
    }
    try {
      this.watcher = watch(this.root, { recursive: true }, () => this.scheduleRescan());
      this.watcher.on("error", (error) => {
        this.options.logger.warn(
          { err: error },
          `stopped watching the scenario library: ${describeError(error)}`,
        );
        this.stopWatching();
        this.pollForRoot();
        this.scheduleRescan();
      });
    } catch (error) {
      this.options.logger.warn({ err: error }, `cannot watch the scenario library: ${describeError(error)}`);
      this.pollForRoot();
    }
  }

  private stopWatching(): void {
    this.watcher?.close();
    this.watcher = undefined;
    if (this.debounce) clearTimeout(this.debounce);
    this.debounce = undefined;
  }

  /** While the root is missing, looks for it; once it is back, watches and rescans it. */
  private pollForRoot(): void {
    if (this.poll || this.closed) return;
    this.poll = setInterval(() => {
      void this.isReadable()
        .then(async (readable) => {
          if (!readable || this.closed || !this.poll) return;
          clearInterval(this.poll);
          this.poll = undefined;
          this.options.logger.info({ root: this.root }, `scenario library ${this.root} is back`);
          await this.startWatching();
          await this.refresh();
        })
        .catch((error: unknown) => {
          this.options.logger.error(
            { err: error },
            `reopening the scenario library failed: ${describeError(error)}`,
          );
        });
    }, this.options.rootPollMs ?? 1000);
    this.poll.unref();
  }

  private scheduleRescan(): void {
    if (this.closed) return;
    if (this.debounce) clearTimeout(this.debounce);
    this.debounce = setTimeout(() => {
      this.debounce = undefined;
      this.refresh().catch((error: unknown) => {
        this.options.logger.error(
          { err: error },
          `rescanning the scenario library failed: ${describeError(error)}`,
        );
      });
    }, this.options.debounceMs ?? 100);
  }
}

/** Scans the library folder and, unless told otherwise, starts watching it. */
export async function openScenarioLibrary(options: ScenarioLibraryOptions): Promise<ScenarioLibrary> {
  const library = new FolderScenarioLibrary(options);
  await library.open();
  return library;
}
