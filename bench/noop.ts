/** The floor: a function on the same SDK that returns the request's desired state unchanged. */
import { serve } from '@crossplane-org/function-sdk-typescript';

serve((_req, rsp) => rsp, { name: 'function-noop' });
