/**
 * Keystone v3 identity calls, each the request Rally's keystone client makes (see
 * `rally-rest-calls.md`): users, projects, roles and role assignments, services, EC2
 * credentials, domains and tokens.
 */
import type { KeystoneSession } from "./keystone-session.js";
import { ResourceNotFound } from "./openstack-errors.js";

/** An identity resource as Keystone lists it. */
export interface IdentityEntity {
  readonly id: string;
  readonly name: string;
}

/** A user as `GET /v3/users/{id}` shows it. */
export interface IdentityUser extends IdentityEntity {
  readonly enabled?: boolean;
  readonly email?: string;
  readonly default_project_id?: string;
  readonly domain_id?: string;
}

/** A service of the catalog. */
export interface IdentityService extends IdentityEntity {
  readonly type: string;
}

/** An EC2 credential (`access` is its id). */
export interface Ec2Credential {
  readonly access: string;
  readonly secret: string;
  readonly user_id: string;
  readonly tenant_id: string;
}

export interface NewUser {
  readonly name: string;
  /** Rally's scenarios create users without one; the `users` context sets one. */
  readonly password?: string | undefined;
  readonly domainId: string;
  /** Set as the user's `default_project_id`. */
  readonly projectId?: string | undefined;
  readonly enabled?: boolean | undefined;
}

/** Fields `PATCH /v3/users/{id}` changes (absent ones are left alone). */
export interface UserChanges {
  readonly name?: string | undefined;
  readonly enabled?: boolean | undefined;
  readonly email?: string | undefined;
  readonly password?: string | undefined;
}

function defined(fields: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(fields).filter(([, value]) => value !== undefined));
}

/** Identity calls as `session`'s user, bound to `signal` (an iteration's, when there is one). */
export class KeystoneIdentity {
  constructor(
    readonly session: KeystoneSession,
    private readonly signal?: AbortSignal | undefined,
  ) {}

  private call(method: string, path: string, body?: unknown, expect?: readonly number[]) {
    return this.session.call("identity", method, path, {
      signal: this.signal,
      ...(body === undefined ? {} : { body }),
      ...(expect === undefined ? {} : { expect }),
    });
  }

  /**
   * A domain's id from its name or id, as Rally's keystone client finds it: `GET /domains/{name}`
   * first, then `GET /domains?name=` when that is 404 (ids are case-sensitive, `Default` is not `default`).
   */
  async domainId(nameOrId: string): Promise<string> {
    const direct = await this.call("GET", `/domains/${encodeURIComponent(nameOrId)}`, undefined, [200, 404]);
    if (direct.status === 200) return direct.json<{ domain: IdentityEntity }>().domain.id;
    const listed = await this.call("GET", `/domains?name=${encodeURIComponent(nameOrId)}`);
    const domain = listed.json<{ domains: IdentityEntity[] }>().domains[0];
    if (domain === undefined) {
      throw new ResourceNotFound(
        `Keystone has no domain '${nameOrId}' (GET /v3/domains?name=${nameOrId} is empty)`,
      );
    }
    return domain.id;
  }

  async createUser(user: NewUser): Promise<IdentityUser> {
    const response = await this.call("POST", "/users", {
      user: defined({
        name: user.name,
        password: user.password,
        domain_id: user.domainId,
        default_project_id: user.projectId,
        enabled: user.enabled ?? true,
      }),
    });
    return response.json<{ user: IdentityUser }>().user;
  }

  async getUser(id: string): Promise<IdentityUser> {
    return (await this.call("GET", `/users/${id}`)).json<{ user: IdentityUser }>().user;
  }

  /** `PATCH /users/{id}` with the given fields only. */
  async updateUser(id: string, changes: UserChanges): Promise<void> {
    await this.call("PATCH", `/users/${id}`, { user: defined({ ...changes }) });
  }

  async deleteUser(id: string): Promise<void> {
    await this.call("DELETE", `/users/${id}`);
  }

  /** `GET /users`. */
  async listUsers(): Promise<IdentityUser[]> {
    return (await this.call("GET", "/users")).json<{ users: IdentityUser[] }>().users;
  }

  async createProject(name: string, domainId: string): Promise<IdentityEntity> {
    const response = await this.call("POST", "/projects", {
      project: { domain_id: domainId, name, enabled: true },
    });
    return response.json<{ project: IdentityEntity }>().project;
  }

  async getProject(id: string): Promise<IdentityEntity> {
    return (await this.call("GET", `/projects/${id}`)).json<{ project: IdentityEntity }>().project;
  }

  /** `PATCH /projects/{id}` with a new name and description. */
  async updateProject(id: string, name: string, description: string): Promise<void> {
    await this.call("PATCH", `/projects/${id}`, { project: { name, description } });
  }

  async deleteProject(id: string): Promise<void> {
    await this.call("DELETE", `/projects/${id}`);
  }

  async listProjects(): Promise<IdentityEntity[]> {
    return (await this.call("GET", "/projects")).json<{ projects: IdentityEntity[] }>().projects;
  }

  /** `GET /roles` (every role; Rally looks a name up in the list). */
  async listRoles(): Promise<IdentityEntity[]> {
    return (await this.call("GET", "/roles")).json<{ roles: IdentityEntity[] }>().roles;
  }

  /** The role named `name` (case-insensitive, as Rally matches `member`), from `GET /roles`. */
  async findRole(name: string): Promise<IdentityEntity | undefined> {
    const roles = await this.listRoles();
    const wanted = name.toLowerCase();
    return (
      roles.find((role) => role.name.toLowerCase() === wanted) ??
      roles.find((role) => role.name.toLowerCase().replace(/^_+|_+$/g, "") === wanted)
    );
  }

  async createRole(name: string, domainId?: string): Promise<IdentityEntity> {
    const response = await this.call("POST", "/roles", {
      role: { name, ...(domainId === undefined ? {} : { domain_id: domainId }) },
    });
    return response.json<{ role: IdentityEntity }>().role;
  }

  async getRole(id: string): Promise<IdentityEntity> {
    return (await this.call("GET", `/roles/${id}`)).json<{ role: IdentityEntity }>().role;
  }

  async deleteRole(id: string): Promise<void> {
    await this.call("DELETE", `/roles/${id}`);
  }

  /** Grants `roleId` to the user on the project (`PUT /projects/{p}/users/{u}/roles/{r}`). */
  async addRole(projectId: string, userId: string, roleId: string): Promise<void> {
    await this.call("PUT", `/projects/${projectId}/users/${userId}/roles/${roleId}`);
  }

  /** Revokes `roleId` from the user on the project (`DELETE /projects/{p}/users/{u}/roles/{r}`). */
  async revokeRole(projectId: string, userId: string, roleId: string): Promise<void> {
    await this.call("DELETE", `/projects/${projectId}/users/${userId}/roles/${roleId}`);
  }

  /** The roles the user has on the project (`GET /projects/{p}/users/{u}/roles`). */
  async listUserProjectRoles(projectId: string, userId: string): Promise<IdentityEntity[]> {
    const response = await this.call("GET", `/projects/${projectId}/users/${userId}/roles`);
    return response.json<{ roles: IdentityEntity[] }>().roles;
  }

  async createService(name: string, type: string, description: string): Promise<IdentityService> {
    const response = await this.call("POST", "/services", {
      service: { name, type, description, enabled: true },
    });
    return response.json<{ service: IdentityService }>().service;
  }

  async getService(id: string): Promise<IdentityService> {
    return (await this.call("GET", `/services/${id}`)).json<{ service: IdentityService }>().service;
  }

  async deleteService(id: string): Promise<void> {
    await this.call("DELETE", `/services/${id}`);
  }

  /** `GET /services`, or only the services named `name`. */
  async listServices(name?: string): Promise<IdentityService[]> {
    const query = name === undefined ? "" : `?name=${encodeURIComponent(name)}`;
    return (await this.call("GET", `/services${query}`)).json<{ services: IdentityService[] }>().services;
  }

  /** `POST /users/{id}/credentials/OS-EC2` for the project. */
  async createEc2Credential(userId: string, projectId: string): Promise<Ec2Credential> {
    const response = await this.call("POST", `/users/${userId}/credentials/OS-EC2`, { tenant_id: projectId });
    return response.json<{ credential: Ec2Credential }>().credential;
  }

  async listEc2Credentials(userId: string): Promise<Ec2Credential[]> {
    const response = await this.call("GET", `/users/${userId}/credentials/OS-EC2`);
    return response.json<{ credentials: Ec2Credential[] }>().credentials;
  }

  async deleteEc2Credential(userId: string, access: string): Promise<void> {
    await this.call("DELETE", `/users/${userId}/credentials/OS-EC2/${access}`);
  }

  /** `GET /auth/tokens` with `X-Subject-Token`: 200 when `token` is valid. */
  async validateToken(token: string): Promise<void> {
    await this.session.call("identity", "GET", "/auth/tokens", {
      headers: { "x-subject-token": token },
      signal: this.signal,
    });
  }
}
