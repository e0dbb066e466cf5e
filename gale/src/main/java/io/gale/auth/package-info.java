/**
 * Logging users in with OAuth 2 and OpenID Connect providers (Tornado's {@code tornado.auth}, for
 * today's providers; its OAuth 1.0a and OpenID 2.0 mixins have no counterpart).
 *
 * <ul>
 *   <li>{@link io.gale.auth.OidcClient}: OpenID Connect (discovery, PKCE, state, nonce, ID token
 *       verified with Nimbus JOSE+JWT against the provider's JWKS, userinfo).</li>
 *   <li>{@link io.gale.auth.OAuth2Client}: plain OAuth 2 (Tornado's {@code OAuth2Mixin}):
 *       authorization redirect, code exchange, refresh, API calls.</li>
 *   <li>{@link io.gale.auth.Providers}: Google (OpenID Connect) and GitHub (OAuth 2).</li>
 * </ul>
 *
 * <p>A login handler calls {@code isCallback}, {@code authorizeRedirect} and
 * {@code getAuthenticatedUser} and then sets its own session (a signed cookie) and redirects to
 * {@link io.gale.auth.AuthenticatedUser#next()}. Every call to a provider goes through Gale's
 * {@link io.gale.httpclient.AsyncHttpClient}; every failure is an
 * {@link io.gale.auth.OAuth2Exception} (an error page, no user); the limits are in
 * {@link io.gale.auth.AuthLimits}.
 */
package io.gale.auth;
