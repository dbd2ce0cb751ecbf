export * from './wire';
export * from './core';
export * from './testing';
export * from './node';
export * from './nest';
