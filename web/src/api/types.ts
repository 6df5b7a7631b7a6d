export type Locale = 'zh-CN' | 'en-US';

export const ROLES = [
  'admin',
  'supervisor',
  'agent',
  'specialist',
  'qa_inspector',
  'knowledge_editor',
  'reviewer',
  'customer',
] as const;

export type Role = (typeof ROLES)[number];

export interface TeamRef {
  id: string;
  name: string;
}

export interface User {
  id: string;
  email: string;
  name: string;
  roles: string[];
  teams: TeamRef[];
  locale: Locale;
  active: boolean;
  createdAt: string;
  lastSignInAt: string | null;
}

export type Abilities = Record<string, boolean>;

export interface Me {
  user: User;
  csrfToken: string | null;
  abilities: Abilities;
}

export interface SessionPayload {
  user: User;
  csrfToken: string;
}

export interface Team {
  id: string;
  name: string;
  description: string | null;
  memberCount: number;
  createdAt: string;
}

export interface AuditEvent {
  id: string;
  at: string;
  actorId: string | null;
  actorName: string | null;
  action: string;
  targetType: string | null;
  targetId: string | null;
  /** Ticket number and subject, or the user's / customer's / team's name. */
  targetLabel?: string | null;
  diff: unknown;
  ip: string | null;
  userAgent: string | null;
  requestId: string | null;
}

export interface ApiToken {
  id: string;
  name: string;
  scopes: string[];
  expiresAt: string | null;
  lastUsedAt: string | null;
  createdAt: string;
  prefix: string;
}

export interface CreatedApiToken {
  token: ApiToken;
  secret: string;
}

export interface Meta {
  roles: string[];
  scopes: string[];
  version: string;
}
