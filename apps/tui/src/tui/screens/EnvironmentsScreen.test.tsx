import { afterEach, describe, expect, it } from "vitest";
import { devstackCheck, environmentList } from "../../../test/fixtures/index.js";
import { expectFits } from "../../../test/support/frames.js";
import { KEYS, type RenderedTui, renderTui } from "../../../test/support/render-tui.js";
import { twinBus, twinClients } from "../../../test/support/twins.js";
import { App } from "../App.js";

let ui: RenderedTui | undefined;
afterEach(() => {
  ui?.unmount();
  ui = undefined;
});

describe("Environments", () => {
  it("lists name, platform, description and secret references, with a broken file's problems", async () => {
    const clients = twinClients({ environments: environmentList });
    ui = renderTui(<App deps={{ clients, bus: twinBus(), resultsWaitMs: 1000, healthIntervalMs: 50 }} />);
    await ui.waitFor("Services (2)");
    await ui.press("4");
    const list = await ui.waitFor("example-api");
    expect(list).toMatch(/ {2}name\s+platform\s+description\s+secrets \(references\)/);
    expect(list).toMatch(/› devstack\s+openstack\s+A DevStack all-in-one on th…\s+\$\{OS_PASSWORD\}/);
    expect(list).toMatch(/ {2}local\s+generic\s+This machine — no cloud and…\s+—/);
    expect(list).toMatch(
      /environments\/devstack\.yaml · openstack · needs \$\{OS_PASSWORD\} set where the\s+runner runs/,
    );
    expect(list).not.toContain("RegionOne");
    expect(list.split("\n")[1]).toMatch(/^─ Environments › devstack ─+$/);
    expect(list).toContain("↑/↓ move  / filter  r refresh");
    expectFits(list);

    for (let index = 0; index < 3; index += 1) await ui.press(KEYS.down);
    const broken = await ui.waitFor("✗ spec.auth_url: is required");
    expect(broken).toMatch(/› ✗ staging\s+openstack/);

    await ui.press("/");
    for (const char of "api") await ui.press(char);
    const filtered = await ui.waitFor("/api  1/4");
    expect(filtered).toMatch(/› example-api\s+http/);
    expect(filtered).not.toContain("devstack   ");
    await ui.press(KEYS.escape);
    const all = await ui.waitFor("› devstack");
    expect(all).toContain("  local");
  });

  it("checks the selected environment through the runner with c: verdict, services and versions, or why not", async () => {
    const clients = twinClients({
      environments: environmentList,
      environmentChecks: {
        devstack: devstackCheck("authenticated 'admin' at http://10.0.0.5/identity in 41 ms"),
      },
    });
    ui = renderTui(<App deps={{ clients, bus: twinBus(), resultsWaitMs: 1000 }} initialScreen="envs" />);
    const before = await ui.waitFor("› devstack");
    expect(before).toContain("c checks it through a runner");
    await ui.press("c");
    const done = await ui.waitFor("✓ openstack: authenticated 'admin' at http://10.0.0.5/identity in 41 ms");
    expect(done).toContain("· identity public v3.14 http://10.0.0.5/identity");
    expect(done).toContain("✗ image public http://10.0.0.5/image");
    expect(clients.checked).toEqual(["devstack"]);
    expectFits(done);

    await ui.press(KEYS.down);
    await ui.waitFor("› example-api");
    await ui.press("c");
    const failed = await ui.waitFor("✗ the check failed: There is no environment 'example-api'");
    expect(failed).not.toContain("✓ openstack");
    expect(clients.checked).toEqual(["devstack", "example-api"]);
    await ui.press(KEYS.up);
    expect(await ui.waitFor("› devstack")).toContain("· identity public v3.14 http://10.0.0.5/identity");
  });

  it("says when the catalog cannot be reached", async () => {
    const clients = twinClients();
    clients.catalog.listEnvironments = async () => {
      throw new Error("connect ECONNREFUSED 127.0.0.1:7401");
    };
    ui = renderTui(<App deps={{ clients, bus: twinBus(), resultsWaitMs: 1000 }} initialScreen="envs" />);
    await ui.waitFor(
      /Cannot load the environments: connect ECONNREFUSED 127\.0\.0\.1:7401 \(r to try\s+again\)/,
    );
  });
});
