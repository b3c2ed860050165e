/**
 * The arithmetic of splitting a workload's load across runner replicas, and the `distribute`
 * option every splittable runner accepts (`runner: {constant: {times: 900, concurrency: 30,
 * distribute: 3}}`). Not a Rally option: a Rally task file never has it and stays valid.
 */
import Type, { type Static } from "typebox";

/** `distribute`: how many replicas to split the load across, or `all` idle ones. */
export const DistributeOption = Type.Optional(
  Type.Union([Type.Integer({ minimum: 1 }), Type.Literal("all")], {
    description:
      "Paddock: split the load across this many runner replicas (fewer when fewer are idle), or 'all' idle replicas alive by their heartbeats. Not a Rally option.",
  }),
);
export type Distribute = Static<typeof DistributeOption>;

/**
 * `total` divided into `parts` whole numbers that differ by at most one, the larger first:
 * share k gets ⌊total / parts⌋ + (k < total mod parts ? 1 : 0). With seqs interleaved (share k
 * runs k, k + parts, ...) these are exactly the seqs 0..total−1.
 */
export function splitEvenly(total: number, parts: number): number[] {
  const base = Math.floor(total / parts);
  const extra = total % parts;
  return Array.from({ length: parts }, (_, k) => base + (k < extra ? 1 : 0));
}

/** How many shares make sense: at most `replicas`, at most `limit` (e.g. the concurrency), at least 1. */
export function shareCount(replicas: number, limit: number): number {
  return Math.max(1, Math.min(Math.floor(replicas), Math.floor(limit)));
}

/** A runner configuration without `distribute` (a share's configuration is never split again). */
export function withoutDistribute<C extends { distribute?: unknown }>(config: C): Omit<C, "distribute"> {
  const { distribute: _distribute, ...rest } = config;
  return rest;
}
