#!/usr/bin/env node
/** gRPC entry point of the event-driven-service composition function (mutual TLS, bounded shutdown: functions/lib/serve.ts). */
import { serveFunction } from '../lib/serve.js';
import { compose } from './function.js';

serveFunction(compose, 'function-event-driven-service');
