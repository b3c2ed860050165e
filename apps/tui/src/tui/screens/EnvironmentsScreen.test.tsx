import { afterEach, describe, expect, it } from "vitest";
import { environmentList } from "../../../test/fixtures/index.js";
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
