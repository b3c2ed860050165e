import { describe, expect, it } from "vitest";
import { RunnerDirectory } from "./runner-directory.js";

describe("RunnerDirectory", () => {
  it("knows who is alive by each heartbeat's ttl and who is idle by its capacity", () => {
    let now = 1_000_000;
    const directory = new RunnerDirectory(() => now);
    directory.heard({ runnerId: "me", tasks: ["t1"], ttl: 2 });
    directory.heard({ runnerId: "b", tasks: [], ttl: 2 });
    directory.heard({ runnerId: "a", tasks: ["t9"], ttl: 2, capacity: 2 });
    directory.heard({ runnerId: "c", tasks: ["t2"], ttl: 2 });
    expect(directory.idle("me")).toEqual(["b", "a"]);
    expect(directory.isAlive("c")).toBe(true);
    expect(directory.isAlive("nobody")).toBe(false);
    expect(directory.silentFor("nobody")).toBe(Number.POSITIVE_INFINITY);

    now += 1500;
    directory.heard({ runnerId: "a", tasks: [], ttl: 2, capacity: 2 });
    now += 1000;
    expect(directory.isAlive("b")).toBe(false);
    expect(directory.silentFor("b")).toBeCloseTo(2.5);
    expect(directory.idle("me")).toEqual(["a"]);
  });

  it("counts a share just handed out until the runner's next heartbeat", () => {
    const directory = new RunnerDirectory(() => 0);
    directory.heard({ runnerId: "b", tasks: [], ttl: 10 });
    directory.claim("b", "t1");
    expect(directory.idle("me")).toEqual([]);
    directory.heard({ runnerId: "b", tasks: [], ttl: 10 });
    expect(directory.idle("me")).toEqual(["b"]);
  });
});
