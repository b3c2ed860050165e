/**
 * `ShareNetwork` over NATS: the stream `PADDOCK_SHARES` (created here when missing; file storage,
 * one hour of retention) holds assignments and the coordinators' go/revoked decisions
 * (`paddock.share.assign.<runnerId>`) and reports
 * (`paddock.share.report.<taskId>`); each is followed with an ordered consumer that starts right
 * after the last message already stored on its subject, so nothing published later is missed and
 * nothing older is replayed (nats-server 2.9: one filter subject per consumer). Stop orders go over
 * core NATS (`paddock.control.share.<taskId>`). Heartbeats (`paddock.runner.*.heartbeat`) feed the
 * directory.
 */
import {
  DeliverPolicy,
  DiscardPolicy,
  type JetStreamClient,
  type JetStreamManager,
  jetstream,
  jetstreamManager,
  RetentionPolicy,
  StorageType,
} from "@nats-io/jetstream";
import type { NatsConnection } from "@nats-io/transport-node";
import { describeError } from "@paddock/shared/errors";
import { decodeEvent } from "@paddock/shared/event-codec";
import type { IterationRecord } from "@paddock/shared/events";
import {
  ALL_HEARTBEATS,
  ALL_SHARE_CONTROLS,
  EVENTS_STREAM,
  SHARE_SUBJECTS,
  SHARES_STREAM,
  subjects,
} from "@paddock/shared/subjects";
import type { Logger } from "pino";
import { RunnerDirectory } from "./runner-directory.js";
import type { Following, IterationBatch, IterationFollowing, ShareNetwork } from "./share-network.js";
import {
  type AssignmentMessage,
  assignmentCodec,
  controlCodec,
  isDecision,
  reportCodec,
  type ShareReport,
} from "./share-protocol.js";

const SECOND_NS = 1_000_000_000;
const decoder = new TextDecoder();

/** Creates `PADDOCK_SHARES` when it is missing. */
async function ensureSharesStream(jsm: JetStreamManager): Promise<void> {
  try {
    await jsm.streams.info(SHARES_STREAM);
    return;
  } catch {
    // Missing: created below.
  }
  try {
    await jsm.streams.add({
      name: SHARES_STREAM,
      subjects: [...SHARE_SUBJECTS],
      storage: StorageType.File,
      retention: RetentionPolicy.Limits,
      discard: DiscardPolicy.Old,
      duplicate_window: 120 * SECOND_NS,
      max_age: 3600 * SECOND_NS,
    });
  } catch (error) {
    // Another runner may have created it at the same moment.
    await jsm.streams.info(SHARES_STREAM).catch(() => {
      throw error;
    });
  }
}

/** The stream sequence a follower of `subject` starts at: right after its last stored message. */
async function startAfterLast(jsm: JetStreamManager, stream: string, subject: string): Promise<number> {
  const last = await jsm.streams.getMessage(stream, { last_by_subj: subject }).catch(() => null);
  if (last !== null) return last.seq + 1;
  const info = await jsm.streams.info(stream);
  return info.state.last_seq + 1;
}

async function follow(
  js: JetStreamClient,
  jsm: JetStreamManager,
  stream: string,
  subject: string,
  onMessage: (data: Uint8Array, seq: number) => void,
): Promise<Following> {
  const consumer = await js.consumers.get(stream, {
    filter_subjects: subject,
    deliver_policy: DeliverPolicy.StartSequence,
    opt_start_seq: await startAfterLast(jsm, stream, subject),
  });
  const messages = await consumer.consume();
  const done = (async () => {
    for await (const message of messages) onMessage(message.data, message.seq);
  })();
  return {
    async stop() {
      await Promise.resolve()
        .then(() => messages.close())
        .catch(() => undefined);
      await done.catch(() => undefined);
    },
  };
}

export interface NatsShareNetworkOptions {
  readonly logger: Logger;
}

export async function createNatsShareNetwork(
  nc: NatsConnection,
  options: NatsShareNetworkOptions,
): Promise<ShareNetwork> {
  const { logger } = options;
  const js = jetstream(nc);
  const jsm = await jetstreamManager(nc);
  await ensureSharesStream(jsm);
  const directory = new RunnerDirectory();
  const heartbeats = nc.subscribe(ALL_HEARTBEATS, {
    callback: (error, message) => {
      if (error) return;
      try {
        const event = decodeEvent(message.data);
        if (event.type === "RunnerHeartbeat") directory.heard(event.data);
      } catch (invalid) {
        logger.debug(`ignored a malformed heartbeat on ${message.subject}: ${describeError(invalid)}`);
      }
    },
  });

  return {
    directory,

    async assign(assignment) {
      await js.publish(subjects.shareAssignments(assignment.runnerId), assignmentCodec.encode(assignment), {
        msgID: assignment.shareId,
        timeout: 5000,
      });
    },

    async decide(decision) {
      await js.publish(subjects.shareAssignments(decision.runnerId), assignmentCodec.encode(decision), {
        msgID: `${decision.shareId}.${decision.decision}`,
        timeout: 5000,
      });
    },

    async report(report: ShareReport) {
      await js.publish(subjects.shareReports(report.taskId), reportCodec.encode(report), {
        ...(report.kind === "progress" ? {} : { msgID: `${report.shareId}.${report.kind}` }),
        timeout: 5000,
      });
    },

    control(message) {
      try {
        nc.publish(subjects.shareControl(message.taskId), controlCodec.encode(message));
      } catch (error) {
        // The connection is gone: the shares stop on their own once this runner's heartbeats stop.
        logger.warn({ taskId: message.taskId }, `share stop order not sent: ${describeError(error)}`);
      }
    },

    followReports(taskId, onReport) {
      return follow(js, jsm, SHARES_STREAM, subjects.shareReports(taskId), (data) => {
        try {
          onReport(reportCodec.decode(data));
        } catch (invalid) {
          logger.warn({ taskId }, `ignored a share report: ${describeError(invalid)}`);
        }
      });
    },

    async followIterations(taskId, skipRunnerId, onBatch) {
      const subject = subjects.task(taskId, "iterations");
      // Its own batches are skipped before being parsed: the runner id sits in the first bytes.
      const own = `"runnerId":${JSON.stringify(skipRunnerId)}`;
      let handled = 0;
      const following = await follow(js, jsm, EVENTS_STREAM, subject, (data, seq) => {
        handled = seq;
        if (decoder.decode(data.subarray(0, 512)).includes(own)) return;
        try {
          const event = JSON.parse(decoder.decode(data)) as {
            type?: unknown;
            data?: { workloadId?: unknown; runnerId?: unknown; iterations?: unknown };
          };
          const batch = event.data;
          if (
            event.type !== "IterationsRecorded" ||
            typeof batch?.workloadId !== "string" ||
            typeof batch.runnerId !== "string" ||
            !Array.isArray(batch.iterations)
          ) {
            throw new Error("not an IterationsRecorded event");
          }
          onBatch({
            workloadId: batch.workloadId,
            runnerId: batch.runnerId,
            iterations: batch.iterations as IterationRecord[],
          } satisfies IterationBatch);
        } catch (invalid) {
          logger.warn({ taskId }, `ignored an iterations message (seq ${seq}): ${describeError(invalid)}`);
        }
      });
      const caughtUp = async (timeoutMs: number): Promise<boolean> => {
        const last = await jsm.streams.getMessage(EVENTS_STREAM, { last_by_subj: subject }).catch(() => null);
        if (last === null) return true;
        const deadline = Date.now() + timeoutMs;
        while (handled < last.seq) {
          if (Date.now() > deadline) return false;
          await new Promise((resolve) => setTimeout(resolve, 20));
        }
        return true;
      };
      return { stop: following.stop, caughtUp } satisfies IterationFollowing;
    },

    receiveAssignments(runnerId, onAssignment, onDecision) {
      return follow(js, jsm, SHARES_STREAM, subjects.shareAssignments(runnerId), (data) => {
        let message: AssignmentMessage;
        try {
          message = assignmentCodec.decode(data);
        } catch (invalid) {
          logger.warn(`ignored a share assignment: ${describeError(invalid)}`);
          return;
        }
        if (isDecision(message)) onDecision(message);
        else onAssignment(message);
      });
    },

    receiveControls(onControl) {
      const subscription = nc.subscribe(ALL_SHARE_CONTROLS, {
        callback: (error, message) => {
          if (error) return;
          try {
            onControl(controlCodec.decode(message.data));
          } catch (invalid) {
            logger.warn(`ignored a share control message: ${describeError(invalid)}`);
          }
        },
      });
      return {
        async stop() {
          subscription.unsubscribe();
        },
      };
    },

    async close() {
      heartbeats.unsubscribe();
    },
  };
}
