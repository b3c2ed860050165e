// biome-ignore-all lint/suspicious/noTemplateCurlyInString: ${VAR} is how environments reference secrets.
/** A scenario library and environments folder in a temporary directory, for the catalog's tests. */
import { mkdirSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { type TempDir, tempDir } from "@paddock/testkit";

export const DUMMY = `{% set times = times or 10 %}
{% set concurrency = concurrency or 2 %}
{% set sleep = sleep or 0 %}
---
version: 2
title: Dummy
description: sleeps
tags: [dummy, smoke]
subtasks:
  - title: dummy
    scenario:
      Dummy.dummy:
        sleep: {{ sleep }}
    runner:
      constant:
        times: {{ times }}
        concurrency: {{ concurrency }}
`;

export const BROKEN_YAML = `version: 2
title: Broken
subtasks:
  - title: [unclosed
    scenario: {Dummy.dummy: {}}
`;

export const FILES: Record<string, string> = {
  "scenarios/dummy/dummy.yaml": DUMMY,
  "scenarios/dummy/_fragment.yaml": "not: a scenario\n",
  "scenarios/dummy/_runner.yaml": "    runner:\n      serial: {times: {{ times }}}\n",
  "scenarios/dummy/included.yaml": `{% set times = times or 3 %}
version: 2
title: Included runner
subtasks:
  - title: s
    scenario: {Dummy.dummy: {}}
{% include "_runner.yaml" %}
`,
  "scenarios/dummy/.hidden.yaml": "not: a scenario\n",
  "scenarios/dummy/notes.md": "# not a scenario\n",
  "scenarios/top-level.yaml": "not: in a service folder\n",
  "scenarios/.git/config.yaml": "not: a scenario\n",
  "scenarios/keystone/authenticate.json": JSON.stringify({
    "Authenticate.keystone": [{ runner: { type: "constant", times: 5, concurrency: 1 } }],
  }),
  "scenarios/http/nested/check.yml": `version: 2
title: Check {{ url }}
tags: [http]
subtasks:
  - scenario:
      HttpRequests.check_request: {url: "{{ url }}", method: GET}
`,
  "scenarios/broken/broken.yaml": BROKEN_YAML,
  "environments/local.yaml": "name: local\ndescription: this machine\nplatform: generic\n",
  "environments/lab.yaml":
    "description: the lab\nplatform: openstack\nspec:\n  auth_url: http://10.0.0.5/identity\n  admin: {username: admin, password: '${OS_PASSWORD}'}\n",
  "environments/broken.yaml": "platform: [generic\n",
  "scenarios/_contexts/two-users.yaml":
    "description: two users\ncontexts:\n  users: {tenants: 1, users_per_tenant: 2}\n",
  "scenarios/_contexts/broken.yaml": "description: no contexts\n",
};

export interface LibraryFixture extends TempDir {
  readonly scenarios: string;
  readonly environments: string;
  /** The context presets folder (`scenarios/_contexts`). */
  readonly contexts: string;
  write(path: string, text: string): void;
}

/** Writes `FILES` into a new temporary folder. */
export function libraryFixture(): LibraryFixture {
  const dir = tempDir("paddock-catalog-");
  const write = (path: string, text: string) => {
    const target = join(dir.path, path);
    mkdirSync(dirname(target), { recursive: true });
    writeFileSync(target, text);
  };
  for (const [path, text] of Object.entries(FILES)) write(path, text);
  return {
    ...dir,
    scenarios: join(dir.path, "scenarios"),
    environments: join(dir.path, "environments"),
    contexts: join(dir.path, "scenarios", "_contexts"),
    write,
  };
}
