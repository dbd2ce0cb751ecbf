import { HttpException } from '@nestjs/common';
import { STATUS_CODES } from 'node:http';
import { ABOUT_BLANK, type FieldError } from './problem-details';

export interface ProblemInit {
  status: number;
  /** Default `about:blank`. */
  type?: string;
  /** Default: the HTTP reason phrase of `status`. */
  title?: string;
  detail?: string;
  code?: string;
  errors?: FieldError[];
  /** Extra members to put in the body (must not reuse the standard names). */
  extensions?: Record<string, unknown>;
}

/**
 * An HttpException that carries a full problem description, so a service can
 * throw exactly what the client will read (e.g. 502 with `code: REJECTED`).
 * Other HttpExceptions are mapped too; this one only adds control.
 */
export class ProblemException extends HttpException {
  readonly problem: Required<Pick<ProblemInit, 'status' | 'type' | 'title'>> & Omit<ProblemInit, 'status' | 'type' | 'title'>;

  constructor(init: ProblemInit) {
    const title = init.title ?? STATUS_CODES[init.status] ?? 'Error';
    super(init.detail ?? title, init.status);
    this.problem = { ...init, type: init.type ?? ABOUT_BLANK, title };
    this.name = 'ProblemException';
  }
}
