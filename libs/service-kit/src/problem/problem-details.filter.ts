import { Catch, HttpException, HttpStatus, Injectable, Logger, type ArgumentsHost, type ExceptionFilter } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import { STATUS_CODES } from 'node:http';
import { ABOUT_BLANK, PROBLEM_CONTENT_TYPE, type FieldError, type ProblemDetails } from './problem-details';
import { ProblemException } from './problem.exception';

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function titleFor(status: number): string {
  return STATUS_CODES[status] ?? 'Error';
}

/** Maps what Nest's own HttpExceptions carry ({statusCode, message, error} or a string) onto a problem. */
function fromHttpException(exception: HttpException): ProblemDetails {
  const status = exception.getStatus();
  if (exception instanceof ProblemException) {
    const { extensions, ...rest } = exception.problem;
    // Standard members win over extensions of the same name.
    return { ...extensions, ...rest, status };
  }
  const response: unknown = exception.getResponse();
  const problem: ProblemDetails = { type: ABOUT_BLANK, title: titleFor(status), status };
  if (typeof response === 'string') {
    problem.detail = response;
  } else if (isRecord(response)) {
    const message = response['message'];
    if (typeof message === 'string') problem.detail = message;
    // Nest's default ValidationPipe reports a list of sentences without field names.
    if (Array.isArray(message)) {
      const errors: FieldError[] = message.map((m) => ({ field: '', message: String(m) }));
      problem.errors = errors;
      problem.detail = errors.map((e) => e.message).join('; ');
    }
  }
  return problem;
}

/**
 * Global filter writing every HTTP error as RFC 9457 problem+json. Unknown
 * errors become a 500 whose body says nothing about the cause (it is logged
 * instead): stack traces and messages of internal errors can leak paths and
 * secrets.
 *
 * Logging: a ProblemException of 5xx is a failure the service expected and
 * described (an upstream that refused, timed out, or is unavailable: 502,
 * 503, 504), so it is a warning with its status, code and detail and no
 * stack (the stack only points at the throw site). Any other 5xx HttpException
 * and every unknown error is an error, logged with its stack.
 *
 * HTTP only: a microservice's RPC errors keep the transport's own handling
 * (connect microservices without `inheritAppConfig`).
 */
@Catch()
@Injectable()
export class ProblemDetailsFilter implements ExceptionFilter {
  private readonly logger = new Logger('ProblemDetails');

  constructor(private readonly adapterHost: HttpAdapterHost) {}

  catch(exception: unknown, host: ArgumentsHost): void {
    if (host.getType() !== 'http') throw exception;
    const http = host.switchToHttp();
    const request: unknown = http.getRequest();
    const response: unknown = http.getResponse();
    const adapter = this.adapterHost.httpAdapter;

    let problem: ProblemDetails;
    if (exception instanceof HttpException) {
      problem = fromHttpException(exception);
      if (problem.status >= 500) {
        const summary = `${problem.status} ${problem.code === undefined ? '' : `${problem.code}: `}${problem.detail ?? problem.title}`;
        if (exception instanceof ProblemException) this.logger.warn(summary);
        else this.logger.error(summary, exception.stack);
      }
    } else {
      const status = HttpStatus.INTERNAL_SERVER_ERROR;
      problem = { type: ABOUT_BLANK, title: titleFor(status), status, detail: 'An unexpected error occurred.' };
      this.logger.error(exception instanceof Error ? exception.message : String(exception), exception instanceof Error ? exception.stack : undefined);
    }
    const url: unknown = adapter.getRequestUrl(request);
    if (typeof url === 'string') problem.instance = url.split('?')[0];

    // A streaming response (a file, SSE) that failed midway can only be cut.
    if (adapter.isHeadersSent(response)) {
      this.logger.warn(`error after headers were sent on ${problem.instance ?? '?'}: ${problem.detail ?? problem.title}`);
      adapter.end(response);
      return;
    }
    // Written by hand: the adapter's reply() resets any non-JSON Content-Type of an error body to application/json.
    const body = JSON.stringify(problem);
    adapter.status(response, problem.status);
    adapter.setHeader(response, 'Content-Type', `${PROBLEM_CONTENT_TYPE}; charset=utf-8`);
    adapter.setHeader(response, 'Content-Length', String(Buffer.byteLength(body)));
    adapter.end(response, body);
  }
}
