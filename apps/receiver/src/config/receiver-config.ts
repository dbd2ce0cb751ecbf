import { IsSharedKey, loadConfig } from '@udpix/service-kit';
import { IsInt, IsNotEmpty, IsOptional, IsString, Max, Min } from 'class-validator';
import { envDefault, type ReceiverEnvName } from './receiver-env';

const num = (name: ReceiverEnvName): number => Number(envDefault(name));

/** The receiver's configuration: property names are the variables, defaults come from RECEIVER_ENV. */
export class ReceiverConfig {
  @IsString() @IsNotEmpty() UDPIX_HTTP_HOST = envDefault('UDPIX_HTTP_HOST');
  @IsInt() @Min(0) @Max(65535) UDPIX_HTTP_PORT = num('UDPIX_HTTP_PORT');
  @IsString() @IsNotEmpty() UDPIX_UDP_HOST = envDefault('UDPIX_UDP_HOST');
  @IsInt() @Min(0) @Max(65535) UDPIX_UDP_PORT = num('UDPIX_UDP_PORT');
  @IsString() @IsNotEmpty() UDPIX_DATA_DIR = envDefault('UDPIX_DATA_DIR');
  @IsOptional() @IsSharedKey() UDPIX_KEY?: string;
  @IsInt() @Min(1) UDPIX_MAX_BYTES = num('UDPIX_MAX_BYTES');
  @IsInt() @Min(1) @Max(65536) UDPIX_MAX_TRANSFERS = num('UDPIX_MAX_TRANSFERS');
  @IsInt() @Min(1) UDPIX_MAX_MEMORY_BYTES = num('UDPIX_MAX_MEMORY_BYTES');
  @IsInt() @Min(576) @Max(65507) UDPIX_MAX_DATAGRAM = num('UDPIX_MAX_DATAGRAM');
  @IsInt() @Min(1) UDPIX_HANDLER_TIMEOUT_MS = num('UDPIX_HANDLER_TIMEOUT_MS');
  @IsInt() @Min(0) UDPIX_DRAIN_TIMEOUT_MS = num('UDPIX_DRAIN_TIMEOUT_MS');
  @IsInt() @Min(0) @Max(60_000) UDPIX_LINGER_MS = num('UDPIX_LINGER_MS');
  @IsInt() @Min(10) UDPIX_SSE_HEARTBEAT_MS = num('UDPIX_SSE_HEARTBEAT_MS');
  @IsInt() @Min(1) UDPIX_MAX_LISTED_TRANSFERS = num('UDPIX_MAX_LISTED_TRANSFERS');
}

/** Reads and validates the environment; throws ConfigValidationError naming each bad variable. */
export function loadReceiverConfig(env: NodeJS.ProcessEnv = process.env): ReceiverConfig {
  return loadConfig(ReceiverConfig, env);
}
