/**
 * Crossplane providers the catalog's definitions emit managed resources of;
 * `install/providers.yaml` installs them beside the functions' own.
 */

/**
 * The upjet AWS provider's apigatewayv2 family package. Subpackage
 * `cmd/provider/apigatewayv2` of crossplane-contrib/provider-upjet-aws
 * v2.6.0, published to xpkg.crossplane.io/crossplane-contrib
 * (.github/workflows/publish-provider-packages.yaml → crossplane-contrib/
 * provider-workflows publish-provider-family.yml, CROSSPLANE_PROXY_REGORG).
 */
export const PROVIDER_AWS_APIGATEWAYV2 = {
  provider: 'provider-aws-apigatewayv2',
  package: 'xpkg.crossplane.io/crossplane-contrib/provider-aws-apigatewayv2',
  version: 'v2.6.0',
} as const;

export const CATALOG_PROVIDERS = [PROVIDER_AWS_APIGATEWAYV2];
