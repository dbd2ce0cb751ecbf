/**
 * RFC 9457 problem details: the one error body both services answer with
 * (`Content-Type: application/problem+json`).
 */
export const PROBLEM_CONTENT_TYPE = 'application/problem+json';

/** `type` for problems that need no more than their HTTP status to be understood (RFC 9457 §4.2.1). */
export const ABOUT_BLANK = 'about:blank';

/** `type` of a request that failed validation; the body then carries `errors`. */
export const VALIDATION_PROBLEM_TYPE = 'urn:udpix:problem:validation';

/** One invalid input: `field` is a dotted path (`to`, `limits.maxBytes`, `items.0.name`). */
export interface FieldError {
  field: string;
  message: string;
}

export interface ProblemDetails {
  type: string;
  title: string;
  status: number;
  detail?: string;
  /** The request path that produced the problem. */
  instance?: string;
  /** Validation problems: every bad field, with why. */
  errors?: FieldError[];
  /** A machine-readable error name (BAD_CHECKSUM, TOO_LARGE, ...), as in counters and logs. */
  code?: string;
  /** Other extension members (RFC 9457 §3.2). */
  [extension: string]: unknown;
}
