#!/usr/bin/env node
/** gRPC entry point of the vcluster composition function (mutual TLS, bounded shutdown: functions/lib/serve.ts). */
import { serveFunction } from '../lib/serve.js';
import { compose } from './function.js';

serveFunction(compose, 'function-vcluster');
