/**
 * An `openstack` environment as the client uses it: its spec read into a cloud target and users,
 * one admin session per run (so every iteration reuses the admin's token), and the name prefix of
 * everything Paddock creates in the cloud during the run.
 */
import { randomBytes } from "node:crypto";
import { createHttpClient } from "../http-client.js";
import type { ScenarioEnvironment } from "../plugin.js";
import { type CloudTarget, KeystoneSession, type OpenStackUser } from "./keystone-session.js";
import { OpenStackSpecInvalid } from "./openstack-errors.js";

/** Every resource Paddock creates in a cloud is named `paddock_<run>_<random>`. */
export const RESOURCE_PREFIX = "paddock_";

function text(spec: Readonly<Record<string, unknown>>, key: string, where: string): string | undefined {
  const value = spec[key];
  if (value === undefined) return undefined;
  if (typeof value !== "string") throw new OpenStackSpecInvalid(`${where}.${key} must be a string`);
  return value;
}

function userOf(value: unknown, where: string): OpenStackUser {
  if (typeof value !== "object" || value === null) {
    throw new OpenStackSpecInvalid(`${where} must be a mapping with username and password`);
  }
  const spec = value as Record<string, unknown>;
  const username = text(spec, "username", where);
  const password = text(spec, "password", where);
  if (username === undefined || password === undefined) {
    throw new OpenStackSpecInvalid(`${where} needs username and password`);
  }
  return {
    username,
    password,
    userDomainName: text(spec, "user_domain_name", where),
    projectName: text(spec, "project_name", where),
    projectDomainName: text(spec, "project_domain_name", where),
  };
}

/** The cloud an environment points at; throws `OpenStackSpecInvalid` naming the field. */
export function cloudTargetOf(environment: ScenarioEnvironment): CloudTarget {
  const where = `environment '${environment.name}': spec`;
  if (environment.platform !== "openstack") {
    throw new OpenStackSpecInvalid(
      `environment '${environment.name}' is a '${environment.platform}' environment; OpenStack scenarios need platform: openstack`,
    );
  }
  const authUrl = text(environment.spec, "auth_url", where);
  if (authUrl === undefined) throw new OpenStackSpecInvalid(`${where}.auth_url is missing`);
  const itf = text(environment.spec, "interface", where) ?? text(environment.spec, "endpoint_type", where);
  if (itf !== undefined && itf !== "public" && itf !== "internal" && itf !== "admin") {
    throw new OpenStackSpecInvalid(`${where}.interface must be public, internal or admin, not '${itf}'`);
  }
  return { authUrl, region: text(environment.spec, "region_name", where), interface: itf };
}

/** The environment's admin user (`spec.admin`). */
export function adminUserOf(environment: ScenarioEnvironment): OpenStackUser {
  const admin = environment.spec.admin;
  if (admin === undefined) {
    throw new OpenStackSpecInvalid(
      `environment '${environment.name}': spec.admin (an admin user) is missing`,
    );
  }
  return userOf(admin, `environment '${environment.name}': spec.admin`);
}

/** Existing users the environment lists (`spec.users`), possibly none. */
export function listedUsersOf(environment: ScenarioEnvironment): OpenStackUser[] {
  const users = environment.spec.users;
  if (users === undefined) return [];
  if (!Array.isArray(users))
    throw new OpenStackSpecInvalid(`environment '${environment.name}': spec.users must be a list`);
  return users.map((user, index) => userOf(user, `environment '${environment.name}': spec.users[${index}]`));
}

interface RunState {
  readonly tag: string;
  admin: KeystoneSession | undefined;
}

/** One state per resolved environment object, i.e. per task run. */
const runs = new WeakMap<ScenarioEnvironment, RunState>();

function runOf(environment: ScenarioEnvironment): RunState {
  let state = runs.get(environment);
  if (state === undefined) {
    state = { tag: randomBytes(4).toString("hex"), admin: undefined };
    runs.set(environment, state);
  }
  return state;
}

/**
 * The admin session of this run: one token shared by all iterations and contexts, renewed when it
 * expires (its own authentications are bound to no iteration, so an aborted iteration cannot break it).
 */
export function adminSessionOf(environment: ScenarioEnvironment): KeystoneSession {
  const state = runOf(environment);
  state.admin ??= new KeystoneSession(
    cloudTargetOf(environment),
    adminUserOf(environment),
    createHttpClient(),
  );
  return state.admin;
}

/** `paddock_<run>_`: the prefix of every name this run gives a cloud resource. */
export function runPrefixOf(environment: ScenarioEnvironment): string {
  return `${RESOURCE_PREFIX}${runOf(environment).tag}_`;
}

/** A fresh resource name for this run, e.g. `paddock_1a2b3c4d_x7k2p9qz`. */
export function randomNameOf(environment: ScenarioEnvironment): string {
  return `${runPrefixOf(environment)}${randomBytes(6)
    .toString("base64url")
    .toLowerCase()
    .replace(/[^a-z0-9]/g, "x")}`;
}

/** A random password for a created user. */
export function randomPassword(): string {
  return randomBytes(18).toString("base64url");
}
