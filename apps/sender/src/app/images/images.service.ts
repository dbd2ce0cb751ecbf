/**
 * POST /v1/images, minus HTTP: read the body under the limit, judge it from
 * its bytes, start the transfer, and either wait for the receiver's verdict
 * or hand back the transfer to poll.
 */
import { Injectable } from '@nestjs/common';
import { IMAGE_CONTENT_TYPES, probeImage } from '@udpix/imaging';
import { hash } from 'node:crypto';
import type { Readable } from 'node:stream';
import { parseReceiverAddress } from '../config/receiver-address';
import { SenderConfig } from '../config/sender-config';
import { SenderMetrics } from '../metrics/sender-metrics';
import type { TransferRecord } from '../transfers/transfer-record';
import { TransferRefusedError } from '../transfers/transfer-refused.error';
import { TransfersService } from '../transfers/transfers.service';
import { BodyAbortedError, BodyTooLargeError, readBody } from './read-body';
import type { UploadImageQuery } from './upload-image.query';
import { abortedProblem, bodyTooLargeProblem, mediaTypeProblem, probeProblem, refusedProblem, sendProblem } from './upload-problems';

export interface Upload {
  query: UploadImageQuery;
  /** The Content-Type header, if any. */
  contentType: string | undefined;
  /** The Content-Length header, if any. */
  declaredLength: number | undefined;
  body: Readable;
}

export type UploadOutcome = { waited: true; record: TransferRecord } | { waited: false; record: TransferRecord };

/** File name extensions for names made up when the client gave none. */
const EXTENSIONS: Readonly<Record<string, string>> = { jpeg: 'jpg', png: 'png', webp: 'webp', avif: 'avif', tiff: 'tif', gif: 'gif' };

/** `image/*` or `application/octet-stream`, parameters ignored; no header at all counts as octet-stream. */
export function isAcceptedMediaType(contentType: string | undefined): boolean {
  if (contentType === undefined || contentType.trim() === '') return true;
  const type = contentType.split(';')[0].trim().toLowerCase();
  return type === 'application/octet-stream' || /^image\/[a-z0-9.+-]+$/.test(type);
}

@Injectable()
export class ImagesService {
  constructor(
    private readonly config: SenderConfig,
    private readonly transfers: TransfersService,
    private readonly metrics: SenderMetrics,
  ) {}

  async upload(upload: Upload): Promise<UploadOutcome> {
    try {
      return await this.run(upload);
    } catch (err) {
      if (err instanceof BodyTooLargeError) {
        this.metrics.refused.inc({ code: 'TOO_LARGE' });
        throw bodyTooLargeProblem(err.maxBytes);
      }
      if (err instanceof TransferRefusedError) {
        this.metrics.refused.inc({ code: err.code });
        throw refusedProblem(err.code, err.message);
      }
      if (err instanceof BodyAbortedError) throw abortedProblem(err.message);
      throw err;
    }
  }

  private async run({ query, contentType, declaredLength, body }: Upload): Promise<UploadOutcome> {
    if (!isAcceptedMediaType(contentType)) {
      this.metrics.refused.inc({ code: 'UNSUPPORTED_MEDIA_TYPE' });
      throw mediaTypeProblem(contentType ?? '');
    }
    // Refuse before reading: a full sender should not first swallow 64 MB.
    this.transfers.assertAccepting();
    const bytes = await readBody(body, { maxBytes: this.config.UDPIX_MAX_BYTES, declaredLength });
    const probe = await probeImage(bytes, { maxBytes: this.config.UDPIX_MAX_BYTES, maxPixels: this.config.UDPIX_MAX_PIXELS });
    if (!probe.ok) {
      this.metrics.refused.inc({ code: probe.code });
      throw probeProblem(probe.code, probe.message);
    }
    const to = parseReceiverAddress(query.to ?? this.config.UDPIX_RECEIVER);
    // Both strings were validated (query DTO, config), so this cannot happen; kept for the type.
    if (to === undefined) throw new Error('receiver address slipped past validation');
    const sha256 = hash('sha256', bytes, 'hex');
    const started = this.transfers.start({
      to,
      bytes,
      format: probe.format,
      sha256,
      meta: {
        name: query.name ?? `image-${sha256.slice(0, 12)}.${EXTENSIONS[probe.format]}`,
        contentType: IMAGE_CONTENT_TYPES[probe.format],
        width: probe.width,
        height: probe.height,
      },
    });
    if (query.wait === false) {
      // The caller polls GET /v1/transfers/:id; the outcome is in the record.
      void started.done;
      return { waited: false, record: started.record };
    }
    const record = await started.done;
    if (record.state === 'failed' && record.error !== undefined) throw sendProblem(record.error, record.receiver, record.id);
    return { waited: true, record };
  }
}
