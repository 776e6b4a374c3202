export * from './model/units';
export * from './model/quality';
export * from './model/point';
export * from './model/sample';
export * from './model/device';
export * from './model/bacnet';
export * from './model/site';
export * from './live/messages';
