/**
 * @udpix/service-kit: the HTTP plumbing both services share (no protocol, no
 * pixels: scope:service libs may depend only on scope:service libs).
 *
 * Usage (main.ts of an app):
 *
 *   // config.ts: property names ARE the environment variables; initializers are defaults.
 *   export class SenderConfig {
 *     @IsString() UDPIX_HTTP_HOST = '0.0.0.0';
 *     @IsInt() @Min(0) @Max(65535) UDPIX_HTTP_PORT = 3000;   // "3000" → 3000 (the default is a number)
 *     @IsOptional() @IsString() UDPIX_RECEIVER?: string;
 *     @ToBoolean() @IsBoolean() UDPIX_FLAG = false;          // booleans need @ToBoolean()
 *   }
 *   const config = loadConfig(SenderConfig, process.env);  // throws ConfigValidationError naming each bad variable
 *   // UDPIX_KEY: declare `@IsOptional() @IsSharedKey() UDPIX_KEY?: string` and pass parseSharedKey(config.UDPIX_KEY)
 *   // (hex or base64, >= 16 bytes) as the transport's `key`, so both services derive the same bytes.
 *
 *   // app.module.ts: metrics and health are modules/controllers.
 *   @Module({
 *     imports: [MetricsModule.forRoot({ prefix: 'udpix_sender_' })],  // global: inject METRICS_REGISTRY anywhere
 *     controllers: [createHealthController({ service: 'sender' }), ...],
 *     providers: [{ provide: SenderConfig, useValue: config }],
 *   })
 *
 *   // your own metric, on the app's registry (never prom-client's global one):
 *   constructor(@Inject(METRICS_REGISTRY) registry: Registry) {
 *     this.sent = new Counter({ name: 'udpix_sender_images_total', help: '...', labelNames: ['outcome'], registers: [registry] });
 *   }
 *
 *   // main.ts
 *   const app = await NestFactory.create(AppModule);
 *   applyHttpDefaults(app);          // ProblemDetailsFilter + createValidationPipe(), also in tests
 *   setupOpenApi(app, { title: 'udpix sender', version: '1' });  // /docs and /docs-json
 *   await app.listen(config.UDPIX_HTTP_PORT, config.UDPIX_HTTP_HOST);
 *
 * Tests: `const base = await listenOnFreePort(app)` (127.0.0.1, port 0) then fetch(`${base}/v1/...`): supertest is not installed.
 *
 * Errors: throw `new ProblemException({ status: 413, detail: '...', code: 'TOO_LARGE' })`
 * for full control; any HttpException (NotFoundException, ...) is mapped too;
 * anything else is a 500 with a generic detail (the cause is logged, not sent).
 * DTO validation failures are 400 `{type: 'urn:udpix:problem:validation',
 * title, status, detail: 'invalid field: to', instance, errors: [{field, message}]}`.
 * Query DTOs: numbers convert implicitly (`?limit=10`); use @ToBoolean() for
 * booleans (`?wait=false`), since implicit conversion makes "false" true.
 */
export * from './problem/problem-details';
export * from './problem/problem.exception';
export * from './problem/problem-details.filter';
export * from './validation/validation-pipe';
export * from './validation/to-boolean';
export * from './config/load-config';
export * from './config/shared-key';
export * from './metrics/metrics.tokens';
export * from './metrics/metrics.controller';
export * from './metrics/metrics.module';
export * from './health/health.types';
export * from './health/health.controller';
export * from './openapi/setup-openapi';
export * from './http-defaults';
export * from './testing/listen';
export * from './testing/sse-reader';
