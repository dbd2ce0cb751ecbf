/**
 * The sender's configuration: validated once at start-up by loadConfig, so a
 * bad value stops the process with a message naming the variable. Property
 * names are the environment variables; defaults come from SENDER_ENV.
 */
import { IsInt, IsOptional, IsString, Max, MaxLength, Min, MinLength } from 'class-validator';
import { IsSharedKey } from '@udpix/service-kit';
import { IsReceiverAddress } from './is-receiver-address';
import { SENDER_ENV } from './sender-env';

export class SenderConfig {
  @IsString() @MinLength(1) @MaxLength(255)
  UDPIX_HTTP_HOST: string = SENDER_ENV.UDPIX_HTTP_HOST.default;

  @IsInt() @Min(0) @Max(65535)
  UDPIX_HTTP_PORT: number = SENDER_ENV.UDPIX_HTTP_PORT.default;

  @IsReceiverAddress()
  UDPIX_RECEIVER: string = SENDER_ENV.UDPIX_RECEIVER.default;

  @IsString() @MinLength(1) @MaxLength(255)
  UDPIX_UDP_HOST: string = SENDER_ENV.UDPIX_UDP_HOST.default;

  @IsInt() @Min(0) @Max(65535)
  UDPIX_UDP_PORT: number = SENDER_ENV.UDPIX_UDP_PORT.default;

  @IsOptional() @IsSharedKey()
  UDPIX_KEY?: string;

  // The transport carries at most 256 MiB per transfer by default; 4 GiB is the wire format's ceiling.
  @IsInt() @Min(1) @Max(4 * 1024 ** 3)
  UDPIX_MAX_BYTES: number = SENDER_ENV.UDPIX_MAX_BYTES.default;

  @IsInt() @Min(1)
  UDPIX_MAX_PIXELS: number = SENDER_ENV.UDPIX_MAX_PIXELS.default;

  @IsInt() @Min(1) @Max(10_000)
  UDPIX_MAX_TRANSFERS: number = SENDER_ENV.UDPIX_MAX_TRANSFERS.default;

  @IsInt() @Min(0) @Max(1_000_000)
  UDPIX_KEEP_FINISHED: number = SENDER_ENV.UDPIX_KEEP_FINISHED.default;

  @IsInt() @Min(576) @Max(65507)
  UDPIX_MAX_DATAGRAM: number = SENDER_ENV.UDPIX_MAX_DATAGRAM.default;

  // The protocol core's own bounds.
  @IsInt() @Min(1000) @Max(1e11)
  UDPIX_RATE_BYTES_PER_SEC: number = SENDER_ENV.UDPIX_RATE_BYTES_PER_SEC.default;

  @IsInt() @Min(100) @Max(2 ** 31 - 1)
  UDPIX_TIMEOUT_MS: number = SENDER_ENV.UDPIX_TIMEOUT_MS.default;

  @IsInt() @Min(0) @Max(2 ** 31 - 1)
  UDPIX_DRAIN_TIMEOUT_MS: number = SENDER_ENV.UDPIX_DRAIN_TIMEOUT_MS.default;
}
