/**
 * Crossplane providers the catalog's definitions emit managed resources of;
 * `install/providers.yaml` installs them beside the functions' own. The
 * package and version are pinned, with their source, in functions/lib/pins.ts.
 */
import { PACKAGES } from '../../../functions/lib/pins.js';

export const PROVIDER_AWS_APIGATEWAYV2 = { provider: 'provider-aws-apigatewayv2', ...PACKAGES['provider-aws-apigatewayv2'] } as const;

/** The snowflake-datawarehouse component's Workspace. */
export const PROVIDER_TERRAFORM = { provider: 'provider-terraform', ...PACKAGES['provider-terraform'] } as const;

export const CATALOG_PROVIDERS = [PROVIDER_AWS_APIGATEWAYV2, PROVIDER_TERRAFORM];
