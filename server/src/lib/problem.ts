/**
 * RFC 9457 problem details. Every error the API answers is one of these, with a stable `code`
 * clients can switch on and, for input errors, one entry per offending field.
 */
export interface FieldError {
  path: string;
  /** Short English explanation, for logs and API users. */
  message: string;
  /** Stable machine code clients translate (e.g. `too_small`, `taken`, `not_found`). */
  code?: string;
}

export interface ProblemInit {
  status: number;
  code: string;
  title?: string;
  detail?: string;
  errors?: FieldError[];
  headers?: Record<string, string>;
  extra?: Record<string, unknown>;
}

const TITLES: Record<number, string> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  405: 'Method Not Allowed',
  409: 'Conflict',
  412: 'Precondition Failed',
  413: 'Content Too Large',
  415: 'Unsupported Media Type',
  422: 'Unprocessable Content',
  423: 'Locked',
  429: 'Too Many Requests',
  500: 'Internal Server Error',
  503: 'Service Unavailable',
};

export class HttpProblem extends Error {
  readonly status: number;
  readonly code: string;
  readonly title: string;
  readonly errors?: FieldError[];
  readonly headers?: Record<string, string>;
  readonly extra?: Record<string, unknown>;

  constructor(init: ProblemInit) {
    super(init.detail ?? init.title ?? init.code);
    this.status = init.status;
    this.code = init.code;
    this.title = init.title ?? TITLES[init.status] ?? 'Error';
    this.errors = init.errors;
    this.headers = init.headers;
    this.extra = init.extra;
  }
}

export const problems = {
  unauthorized: (detail = 'Sign in to continue.') =>
    new HttpProblem({ status: 401, code: 'unauthorized', detail }),
  forbidden: (detail = 'Your role does not allow this action.') =>
    new HttpProblem({ status: 403, code: 'forbidden', detail }),
  notFound: (what: string, field?: string) =>
    new HttpProblem({
      status: 404,
      code: 'not_found',
      detail: `${what} not found.`,
      errors: field
        ? [{ path: field, message: `${what} not found`, code: 'not_found' }]
        : undefined,
    }),
  conflict: (code: string, detail: string, errors?: FieldError[]) =>
    new HttpProblem({ status: 409, code, detail, errors }),
  invalid: (errors: FieldError[], detail = 'The request has invalid fields.') =>
    new HttpProblem({ status: 422, code: 'validation_failed', detail, errors }),
};

export function problemBody(p: HttpProblem, instance: string, requestId: string) {
  return {
    type: `https://kefu.dev/problems/${p.code}`,
    title: p.title,
    status: p.status,
    detail: p.message,
    code: p.code,
    instance,
    requestId,
    ...(p.errors ? { errors: p.errors } : {}),
    ...p.extra,
  };
}
