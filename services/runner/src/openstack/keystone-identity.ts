/**
 * Keystone v3 identity calls, each the request Rally's keystone client makes (see
 * `rally-rest-calls.md`): users, projects, roles, role assignments, domains and tokens.
 */
import type { HttpClient } from "../plugin.js";
import type { KeystoneSession } from "./keystone-session.js";
import { ResourceNotFound } from "./openstack-errors.js";

/** An identity resource as Keystone lists it. */
export interface IdentityEntity {
  readonly id: string;
  readonly name: string;
}

export interface NewUser {
  readonly name: string;
  readonly password: string;
  readonly domainId: string;
  /** Set as the user's `default_project_id`. */
  readonly projectId?: string | undefined;
  readonly enabled?: boolean;
}

/** Identity calls as `session`'s user, over `http` (bound to the iteration's abort signal). */
export class KeystoneIdentity {
  constructor(
    readonly session: KeystoneSession,
    private readonly http: HttpClient,
  ) {}

  private call(method: string, path: string, body?: unknown, expect?: readonly number[]) {
    return this.session.call(this.http, "identity", method, path, {
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

  async createUser(user: NewUser): Promise<IdentityEntity> {
    const response = await this.call("POST", "/users", {
      user: {
        name: user.name,
        password: user.password,
        domain_id: user.domainId,
        ...(user.projectId === undefined ? {} : { default_project_id: user.projectId }),
        enabled: user.enabled ?? true,
      },
    });
    return response.json<{ user: IdentityEntity }>().user;
  }

  async getUser(id: string): Promise<IdentityEntity> {
    return (await this.call("GET", `/users/${id}`)).json<{ user: IdentityEntity }>().user;
  }

  async deleteUser(id: string): Promise<void> {
    await this.call("DELETE", `/users/${id}`);
  }

  /** `GET /users`. */
  async listUsers(): Promise<IdentityEntity[]> {
    return (await this.call("GET", "/users")).json<{ users: IdentityEntity[] }>().users;
  }

  async createProject(name: string, domainId: string): Promise<IdentityEntity> {
    const response = await this.call("POST", "/projects", {
      project: { domain_id: domainId, name, enabled: true },
    });
    return response.json<{ project: IdentityEntity }>().project;
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

  /** `GET /roles` (every role; Rally looks the name up in the list). */
  async listRoles(): Promise<IdentityEntity[]> {
    return (await this.call("GET", "/roles")).json<{ roles: IdentityEntity[] }>().roles;
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

  async addRole(projectId: string, userId: string, roleId: string): Promise<void> {
    await this.call("PUT", `/projects/${projectId}/users/${userId}/roles/${roleId}`);
  }

  /** `GET /auth/tokens` with `X-Subject-Token`: 200 when `token` is valid. */
  async validateToken(token: string): Promise<void> {
    await this.session.call(this.http, "identity", "GET", "/auth/tokens", {
      headers: { "x-subject-token": token },
    });
  }
}
