export * from './service-process';
export * from './ports';
export * from './http';
export * from './services';
export * from './stack';
export * from './build';
export * from './images';
export * from './table';
