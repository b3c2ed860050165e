/**
 * `fetch` for one Paddock service calling another (the runner asking the catalog): sends
 * `Authorization: Bearer <PADDOCK_API_TOKEN>` when a token is configured, as every route but
 * health then requires it.
 */
export function bearerFetch(token: string | undefined, base: typeof fetch = fetch): typeof fetch {
  if (token === undefined || token === "") return base;
  return (input, init) => {
    const headers = new Headers(init?.headers);
    if (!headers.has("authorization")) headers.set("authorization", `Bearer ${token}`);
    return base(input, { ...init, headers });
  };
}
