/**
 * Every way an upload can fail, as the problem+json the client reads. One
 * table, so the status of each code is decided in one place:
 * 413 too large, 415 not an image we take, 502 refused by the receiver,
 * 503 this sender cannot take it now, 504 no answer from the receiver.
 */
import { HttpStatus } from '@nestjs/common';
import type { ProbeErrorCode } from '@udpix/imaging';
import { ProblemException } from '@udpix/service-kit';
import type { TransferFailure } from '../transfers/transfer-record';
import type { SendFailureKind } from '../udp/image-client';

const PROBE_STATUS: Readonly<Record<ProbeErrorCode, number>> = {
  NOT_AN_IMAGE: HttpStatus.UNSUPPORTED_MEDIA_TYPE,
  UNSUPPORTED_FORMAT: HttpStatus.UNSUPPORTED_MEDIA_TYPE,
  CORRUPT: HttpStatus.UNSUPPORTED_MEDIA_TYPE,
  TOO_MANY_PIXELS: HttpStatus.PAYLOAD_TOO_LARGE,
  TOO_LARGE: HttpStatus.PAYLOAD_TOO_LARGE,
};

const SEND_STATUS: Readonly<Record<SendFailureKind, number>> = {
  rejected: HttpStatus.BAD_GATEWAY,
  unreachable: HttpStatus.GATEWAY_TIMEOUT,
  unavailable: HttpStatus.SERVICE_UNAVAILABLE,
};

export function probeProblem(code: ProbeErrorCode, message: string): ProblemException {
  return new ProblemException({ status: PROBE_STATUS[code], code, detail: message });
}

export function bodyTooLargeProblem(maxBytes: number): ProblemException {
  return new ProblemException({ status: HttpStatus.PAYLOAD_TOO_LARGE, code: 'TOO_LARGE', detail: `the image exceeds the limit of ${maxBytes} bytes (UDPIX_MAX_BYTES)` });
}

export function mediaTypeProblem(contentType: string): ProblemException {
  return new ProblemException({
    status: HttpStatus.UNSUPPORTED_MEDIA_TYPE,
    code: 'UNSUPPORTED_MEDIA_TYPE',
    detail: `Content-Type ${contentType} is not accepted: send the image as image/* or application/octet-stream`,
  });
}

/** The body broke off; the client is probably gone, but say so in case it is not. */
export function abortedProblem(message: string): ProblemException {
  return new ProblemException({ status: HttpStatus.BAD_REQUEST, code: 'BODY_ABORTED', detail: message });
}

export function refusedProblem(code: string, message: string): ProblemException {
  return new ProblemException({ status: HttpStatus.SERVICE_UNAVAILABLE, code, detail: message });
}

export function sendProblem(failure: TransferFailure, receiver: string, transfer: string): ProblemException {
  return new ProblemException({
    status: SEND_STATUS[failure.kind],
    code: failure.code,
    detail: failure.message,
    extensions: { receiver, transfer },
  });
}
