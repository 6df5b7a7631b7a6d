import type { Role } from './roles.js';

/** Who is making a request, resolved once per request from the session cookie or API token. */
export interface Actor {
  userId: string;
  name: string;
  email: string;
  roles: Role[];
  teamIds: string[];
  via: 'session' | 'token';
  sessionId?: string;
  /** Hash of the session secret or API token: the key of the principal cache. */
  principalKey: string;
  csrfToken?: string;
  /** Scopes of the API token, when the request carries one. */
  scopes?: string[];
}
