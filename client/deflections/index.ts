// The deflection endpoint's public surface.
export { createDeflectionServer, startDeflectionServer, deflectionServerOptionsFromEnv, type DeflectionServerOptions, type RunningDeflectionServer } from './server';
export { createDeflectionAuth, SECRET_HEADER, type DeflectionAuthOptions } from './auth';
export { startDeflection, type StartDeflectionOptions } from './start';
