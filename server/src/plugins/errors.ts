import { STATUS_CODES } from 'node:http';
import type { Duplex } from 'node:stream';
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import {
  hasZodFastifySchemaValidationErrors,
  isResponseSerializationError,
} from 'fastify-type-provider-zod';
import { HttpProblem, problemBody, type FieldError } from '../lib/problem.js';

/** Maps every failure to RFC 9457 problem+json; never a stack trace. */
export function registerErrorHandling(app: FastifyInstance): void {
  app.setErrorHandler((error: FastifyError, request, reply) => {
    const problem = toProblem(error);
    if (problem.status >= 500) request.log.error({ err: error }, 'request failed');
    else request.log.info({ code: problem.code, status: problem.status }, 'request refused');
    for (const [name, value] of Object.entries(problem.headers ?? {})) reply.header(name, value);
    return reply
      .code(problem.status)
      .type('application/problem+json')
      .send(JSON.stringify(problemBody(problem, request.url, request.id)));
  });

  app.setNotFoundHandler((request, reply) => {
    const problem = new HttpProblem({
      status: 404,
      code: 'route_not_found',
      detail: `No route ${request.method} ${request.url.split('?')[0]}.`,
    });
    return reply
      .code(404)
      .type('application/problem+json')
      .send(JSON.stringify(problemBody(problem, request.url, request.id)));
  });
}

function toProblem(error: FastifyError): HttpProblem {
  if (error instanceof HttpProblem) return error;
  if (hasZodFastifySchemaValidationErrors(error)) {
    const where = error.validationContext ?? 'body';
    const errors: FieldError[] = error.validation.flatMap((v) => {
      const path = v.instancePath.split('/').filter(Boolean).join('.');
      const params = v.params as { keys?: string[] };
      // An unknown field is reported on the field itself, one entry each.
      if (v.keyword === 'unrecognized_keys' && params.keys?.length) {
        return params.keys.map((k) => ({
          path: path ? `${path}.${k}` : k,
          message: 'is not a known field',
          code: 'unknown_field',
        }));
      }
      return [{ path: path || where, message: v.message ?? 'is invalid', code: v.keyword }];
    });
    return new HttpProblem({
      status: 400,
      code: 'invalid_request',
      detail: `The request ${where} is invalid: ${errors.map((e) => `${e.path}: ${e.message}`).join('; ')}`,
      errors,
    });
  }
  if (isResponseSerializationError(error)) {
    return new HttpProblem({
      status: 500,
      code: 'internal_error',
      detail: 'Unexpected server error.',
    });
  }
  switch (error.code) {
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return new HttpProblem({
        status: 413,
        code: 'body_too_large',
        detail: 'The request body is too large.',
      });
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return new HttpProblem({
        status: 415,
        code: 'unsupported_media_type',
        detail: 'Send the body as application/json.',
      });
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
    case 'FST_ERR_CTP_INVALID_JSON_BODY':
      return new HttpProblem({
        status: 400,
        code: 'malformed_json',
        detail: 'The body is not valid JSON.',
      });
  }
  if (error instanceof SyntaxError && error.statusCode === 400) {
    return new HttpProblem({
      status: 400,
      code: 'malformed_json',
      detail: 'The body is not valid JSON.',
    });
  }
  if (error.statusCode === 429) {
    return new HttpProblem({
      status: 429,
      code: 'rate_limited',
      detail: error.message || 'Too many requests; try again later.',
    });
  }
  if (error.statusCode && error.statusCode >= 400 && error.statusCode < 500) {
    return new HttpProblem({
      status: error.statusCode,
      code: 'bad_request',
      detail: error.message,
    });
  }
  return new HttpProblem({
    status: 500,
    code: 'internal_error',
    detail: 'Unexpected server error.',
  });
}

/**
 * Fastify's own refusals before routing (a malformed percent-encoding in the URL, a path
 * parameter over `maxParamLength`) — as problem+json like everything else.
 */
export function frameworkErrors(
  error: FastifyError,
  request: FastifyRequest,
  reply: FastifyReply,
): void {
  const status = error.statusCode && error.statusCode < 500 ? error.statusCode : 400;
  const problem = new HttpProblem({
    status,
    code: status === 414 ? 'uri_too_long' : 'invalid_request',
    title: status === 414 ? 'URI Too Long' : undefined,
    detail: status === 414 ? 'A path parameter is too long.' : 'The request URL is malformed.',
  });
  request.log.info({ code: problem.code, status }, 'request refused');
  // No onRequest hook ran for such a request: name it here as every other answer does.
  void reply
    .code(status)
    .header('x-request-id', request.id)
    .type('application/problem+json')
    .send(JSON.stringify(problemBody(problem, stripQuery(request.url), request.id)));
}

/**
 * What Node's HTTP parser refuses (oversized headers, a broken request line) never becomes a
 * request: answer on the socket, still as problem+json.
 */
export function clientErrorHandler(err: NodeJS.ErrnoException, socket: Duplex): void {
  if (err.code === 'ECONNRESET' || socket.destroyed) return;
  const [status, code, detail] =
    err.code === 'ERR_HTTP_REQUEST_TIMEOUT'
      ? [408, 'request_timeout', 'The request took too long to arrive.']
      : err.code === 'HPE_HEADER_OVERFLOW'
        ? [431, 'headers_too_large', 'The request headers are too large.']
        : [400, 'malformed_request', 'The HTTP request is malformed.'];
  const title = STATUS_CODES[status] ?? 'Bad Request';
  const body = JSON.stringify({
    type: `https://kefu.dev/problems/${code}`,
    title,
    status,
    detail,
    code,
  });
  if (socket.writable) {
    socket.write(
      `HTTP/1.1 ${status} ${title}\r\nContent-Length: ${Buffer.byteLength(body)}\r\n` +
        `Content-Type: application/problem+json\r\nConnection: close\r\n\r\n${body}`,
    );
  }
  socket.destroy(err);
}

/** A logged or echoed URL without its query string (search terms can be phone numbers). */
export function stripQuery(url: string): string {
  const at = url.indexOf('?');
  return at < 0 ? url : `${url.slice(0, at)}?…`;
}
