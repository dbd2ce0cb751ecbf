import type { INestApplication } from '@nestjs/common';
import { DocumentBuilder, SwaggerModule, type OpenAPIObject } from '@nestjs/swagger';

export interface OpenApiOptions {
  title: string;
  version: string;
  description?: string;
  /** UI route; the JSON is at `<path>-json`. Default `docs`. */
  path?: string;
}

/**
 * Serves the OpenAPI document of every route of `app`: the UI at `/docs`,
 * the JSON at `/docs-json`. Call after the app's modules are built and before
 * listen(). Returns the document (tests assert on its paths).
 */
export function setupOpenApi(app: INestApplication, options: OpenApiOptions): OpenAPIObject {
  const builder = new DocumentBuilder().setTitle(options.title).setVersion(options.version);
  if (options.description) builder.setDescription(options.description);
  const document = SwaggerModule.createDocument(app, builder.build());
  const path = options.path ?? 'docs';
  SwaggerModule.setup(path, app, document, { jsonDocumentUrl: `${path}-json`, raw: ['json'] });
  return document;
}
