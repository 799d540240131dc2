#!/usr/bin/env node
/** gRPC entry point of the vcluster composition function. */
import { serve } from '@crossplane-org/function-sdk-typescript';
import { compose } from './function.js';

serve(compose, { name: 'function-vcluster' });
