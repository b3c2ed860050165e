import { defineScenario, Type } from "../../plugin.js";

const LOREM =
  "Lorem ipsum dolor sit amet, consectetur adipiscing elit, sed do eiusmod tempor incididunt ut labore et dolore magna aliqua.";

const describe = (title: string) => `This is a description text for ${title}`;

/** `Dummy.dummy_output`: adds one of each of Rally's chart kinds, filled with random values. */
export const dummyOutput = defineScenario({
  name: "Dummy.dummy_output",
  description: "Generate dummy output.",
  args: Type.Object(
    {
      random_range: Type.Integer({
        minimum: 1,
        default: 25,
        description: "Max int limit for generated random values.",
      }),
    },
    { additionalProperties: false },
  ),
  run(ctx, { random_range }) {
    const randint = () => 1 + Math.floor(Math.random() * random_range);
    const rand = <T>(name: T): [T, number] => [name, randint()];
    const range = (from: number, to: number) => Array.from({ length: to - from }, (_, i) => from + i);

    ctx.addOutput({
      additive: {
        title: "Additive StatsTable",
        description: describe("Additive StatsTable"),
        chart_plugin: "StatsTable",
        data: [rand("foo stat"), rand("bar stat"), rand("spam stat")],
      },
    });
    ctx.addOutput({
      additive: {
        title: "Additive StackedArea (no description)",
        chart_plugin: "StackedArea",
        data: range(1, 7).map((i) => rand(`foo ${i}`)),
        label: "Measure this in Foo units",
      },
    });
    ctx.addOutput({
      additive: {
        title: "Additive Lines",
        description: describe("Additive Lines"),
        chart_plugin: "Lines",
        data: range(1, 4).map((i) => rand(`bar ${i}`)),
        label: "Measure this in Bar units",
      },
    });
    ctx.addOutput({
      additive: {
        title: "Additive Pie",
        description: describe("Additive Pie"),
        chart_plugin: "Pie",
        data: range(1, 4).map((i) => rand(`spam ${i}`)),
      },
      complete: {
        title: "Complete Lines",
        description: describe("Complete Lines"),
        chart_plugin: "Lines",
        data: ["Foo", "Bar", "Spam"].map((name) => [name, range(1, 8).map((i) => rand(i))]),
        label: "Measure this is some units",
        axis_label: "This is a custom X-axis label",
      },
    });
    ctx.addOutput({
      complete: {
        title: "Complete StackedArea",
        description: describe("Complete StackedArea"),
        chart_plugin: "StackedArea",
        data: ["alpha", "beta", "gamma"].map((name) => [name, range(0, 50).map((i) => rand(i))]),
        label: "Yet another measurement units",
        axis_label: "This is a custom X-axis label",
      },
    });
    ctx.addOutput({
      complete: { title: "Arbitrary Text", chart_plugin: "TextArea", data: Array(4).fill(LOREM.repeat(2)) },
    });
    ctx.addOutput({
      complete: {
        title: "Complete Pie (no description)",
        chart_plugin: "Pie",
        data: ["delta", "epsilon", "zeta", "theta", "lambda", "omega"].map(rand),
      },
    });
    ctx.addOutput({
      complete: {
        title: "Complete Table",
        description: describe("Complete Table"),
        chart_plugin: "Table",
        data: {
          cols: ["mu column", "xi column", "pi column", "tau column", "chi column"],
          rows: ["iota", "nu", "rho", "phi", "psi"].map((name) => [
            `${name} row`,
            ...range(0, 4).map(randint),
          ]),
        },
      },
    });
  },
});
