/**
 * The encoding floor: a function on the same SDK that answers every request
 * with a response computed once at start (realtime-platform's, for its
 * benchmark request). What remains is gRPC and protobuf Struct encoding of
 * the same output, without any compose work.
 */
import { serve, type RunFunctionResponse } from '@crossplane-org/function-sdk-typescript';
import { composeOf } from '../functions/catalog.js';
import { convergedRequest, run } from '../harness/request.js';

const fn = process.env.ENCODE_FLOOR_FUNCTION ?? 'realtime-platform';
const compose = await composeOf(fn);
const precomputed: RunFunctionResponse = await run(compose, await convergedRequest(fn, compose));

serve((req, rsp) => ({ ...precomputed, meta: rsp.meta }), { name: 'function-encode-floor' });
