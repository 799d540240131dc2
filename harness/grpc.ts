/** A gRPC client of a composition function (FunctionRunnerService), for the benchmark and the serving tests. */
import * as grpc from '@grpc/grpc-js';
import { FunctionRunnerServiceService, type RunFunctionRequest, type RunFunctionResponse } from '@crossplane-org/function-sdk-typescript';

const Client = grpc.makeGenericClientConstructor(FunctionRunnerServiceService, 'FunctionRunnerService');

export function functionClient(address: string, credentials = grpc.credentials.createInsecure()): grpc.Client {
  return new Client(address, credentials);
}

export function runFunction(client: grpc.Client, req: RunFunctionRequest, timeoutMs = 10_000): Promise<RunFunctionResponse> {
  return new Promise((resolve, reject) =>
    (
      client as unknown as {
        runFunction: (r: RunFunctionRequest, opts: grpc.CallOptions, cb: (e: Error | null, v: RunFunctionResponse) => void) => void;
      }
    ).runFunction(req, { deadline: Date.now() + timeoutMs }, (err, res) => (err ? reject(err) : resolve(res))),
  );
}
